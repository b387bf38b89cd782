/**
 * OFFLINE's outbox entries as people see them: what a command concerns and one line in Chinese
 * saying what was done ("同意：拟同意"), with its status 待发送 / 已发送 / 被拒绝 and the reason.
 */
import type { DocumentCommand } from '../../../shared/api/documents.contract';
import type { OutboxEntry } from '../../../shared/api/offline.contract';
import { WorkflowActionSchema, workflowActionLabels } from '../../../shared/domain/documents/workflow';
import { formatDuration } from '../../../shared/domain/documents/voiceDuration';

const exchangeLabels = { receive: '签收', return: '退回', withdraw: '撤回', remind: '催收' } as const;

/** The document, exchange item or conversation an entry is about. */
export function targetOf(entry: OutboxEntry): string {
  const command = entry.command;
  switch (command.type) {
    case 'document.create':
    case 'document.action':
    case 'document.signedPdf':
    case 'document.voice':
    case 'document.attachment':
      return command.documentId;
    case 'exchange.action':
      return command.exchangeId;
    case 'message.send':
      return command.conversation;
  }
}

export function summaryOf(entry: OutboxEntry): string {
  const command = entry.command;
  switch (command.type) {
    case 'document.create':
      return `拟稿：${command.fields.title}`;
    case 'document.action': {
      const action = WorkflowActionSchema.safeParse(command.action);
      const label = action.success ? workflowActionLabels[action.data] : command.action;
      const detail = command.opinion?.text || (command.opinion?.ink ? '手写意见' : undefined) || command.reason;
      const voice = command.opinion?.voice ? `（附语音 ${formatDuration(command.opinion.voice.durationMs)}）` : '';
      return detail ? `${label}：${detail}${voice}` : `${label}${voice}`;
    }
    case 'exchange.action':
      return command.reason ? `${exchangeLabels[command.action]}：${command.reason}` : exchangeLabels[command.action];
    case 'document.signedPdf':
      return '上传用印文件';
    case 'document.voice':
      return '上传语音签批录音';
    case 'document.attachment':
      return `添加附件：${command.name}`;
    case 'message.send':
      return `发送消息：${command.text.slice(0, 40)}`;
  }
}

export function commandOf(entry: OutboxEntry): DocumentCommand {
  return {
    clientId: entry.clientId,
    kind: entry.command.type,
    targetId: targetOf(entry),
    summary: summaryOf(entry),
    status: entry.status,
    reason: entry.reason ?? undefined,
    ...(entry.reasonKey ? { reasonKey: entry.reasonKey } : {}),
    ...(entry.reasonParams ? { reasonParams: entry.reasonParams } : {}),
    createdAt: new Date(entry.createdAt).toISOString(),
    updatedAt: new Date(entry.updatedAt).toISOString(),
  };
}
