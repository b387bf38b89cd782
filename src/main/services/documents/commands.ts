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

/** How each summary reads in Chinese: the zh-CN wording of the renderer's `docs.summary.*` keys. */
const zhSummaries: Record<CommandSummaryKey, (params: Readonly<Record<string, string>>, action: string, voice: string) => string> = {
  create: (p) => `拟稿：${p.title ?? ''}`,
  action: (_p, action, voice) => `${action}${voice}`,
  actionDetail: (p, action, voice) => `${action}：${p.detail ?? ''}${voice}`,
  actionInk: (_p, action, voice) => `${action}：手写意见${voice}`,
  exchange: (_p, action) => action,
  exchangeDetail: (p, action) => `${action}：${p.detail ?? ''}`,
  signedPdf: () => '上传用印文件',
  voiceUpload: () => '上传语音签批录音',
  attachment: (p) => `添加附件：${p.name ?? ''}`,
  message: (p) => `发送消息：${p.text ?? ''}`,
};

/** The action's Chinese word: a workflow step (同意, 编号 …) or an exchange step (签收 …); an unknown code as it is. */
function zhActionWord(key: CommandSummaryKey, code: string): string {
  if (key === 'exchange' || key === 'exchangeDetail') return exchangeLabels[code as keyof typeof exchangeLabels] ?? code;
  const action = WorkflowActionSchema.safeParse(code);
  return action.success ? workflowActionLabels[action.data] : code;
}

/** What was done, in one Chinese line ("同意：拟同意"), for logs and older clients: `summaryKeyOf` worded. */
export function summaryOf(entry: OutboxEntry): string {
  const { summaryKey, summaryParams = {} } = summaryKeyOf(entry);
  const voice = summaryParams.voice ? `（附语音 ${summaryParams.voice}）` : '';
  return zhSummaries[summaryKey](summaryParams, zhActionWord(summaryKey, summaryParams.action ?? ''), voice);
}

/** What was done, as a key and parameters; action codes stay codes, so the renderer can word them. */
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
