/**
 * OFFLINE's outbox entries as people see them: what a command concerns and one line in Chinese
 * saying what was done ("同意：拟同意"), with its status 待发送 / 已发送 / 被拒绝 and the reason. Beside
 * the Chinese line goes a key with parameters (`summaryKey`/`summaryParams`) that the renderer words
 * in the person's language; the Chinese line stays for logs and older clients.
 */
import type { CommandSummaryKey, DocumentCommand } from '../../../shared/api/documents.contract';
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

/** What `summaryOf` says, as a key and parameters; action codes stay codes, so the renderer can word them. */
export function summaryKeyOf(entry: OutboxEntry): { summaryKey: CommandSummaryKey; summaryParams?: Record<string, string> } {
  const command = entry.command;
  switch (command.type) {
    case 'document.create':
      return { summaryKey: 'create', summaryParams: { title: command.fields.title } };
    case 'document.action': {
      const summaryParams: Record<string, string> = { action: command.action };
      if (command.opinion?.voice) summaryParams.voice = formatDuration(command.opinion.voice.durationMs);
      // The same order as the Chinese line: the opinion's text, else 手写意见, else the return reason.
      const text = command.opinion?.text;
      if (text) return { summaryKey: 'actionDetail', summaryParams: { ...summaryParams, detail: text } };
      if (command.opinion?.ink) return { summaryKey: 'actionInk', summaryParams };
      if (command.reason) return { summaryKey: 'actionDetail', summaryParams: { ...summaryParams, detail: command.reason } };
      return { summaryKey: 'action', summaryParams };
    }
    case 'exchange.action':
      return command.reason ? { summaryKey: 'exchangeDetail', summaryParams: { action: command.action, detail: command.reason } } : { summaryKey: 'exchange', summaryParams: { action: command.action } };
    case 'document.signedPdf':
      return { summaryKey: 'signedPdf' };
    case 'document.voice':
      return { summaryKey: 'voiceUpload' };
    case 'document.attachment':
      return { summaryKey: 'attachment', summaryParams: { name: command.name } };
    case 'message.send':
      return { summaryKey: 'message', summaryParams: { text: command.text.slice(0, 40) } };
  }
}

export function commandOf(entry: OutboxEntry): DocumentCommand {
  return {
    clientId: entry.clientId,
    kind: entry.command.type,
    targetId: targetOf(entry),
    summary: summaryOf(entry),
    ...summaryKeyOf(entry),
    status: entry.status,
    reason: entry.reason ?? undefined,
    ...(entry.reasonKey ? { reasonKey: entry.reasonKey } : {}),
    ...(entry.reasonParams ? { reasonParams: entry.reasonParams } : {}),
    createdAt: new Date(entry.createdAt).toISOString(),
    updatedAt: new Date(entry.updatedAt).toISOString(),
  };
}
