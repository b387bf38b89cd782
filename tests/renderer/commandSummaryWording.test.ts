/**
 * One outbox command reads the same in Chinese whether main words it (the `summary` line kept for
 * logs and older clients) or the renderer does from its key: every kind of command, with and without
 * an opinion, a handwritten opinion, a voice note, a return reason and an exchange reason.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxCommand, OutboxEntry } from '../../src/shared/api/offline.contract';
import { commandOf } from '../../src/main/services/documents/commands';
import { commandSummary } from '../../src/renderer/features/document/labels';
import { createI18n } from '../../src/renderer/i18n';

const doc = '5d0f5f43-6f39-4d55-9d0f-0d1b1d7c0a11';
const sha = 'a'.repeat(64);
const commands: [OutboxCommand, string][] = [
  [{ type: 'document.create', documentId: doc, kind: 'outgoing', fields: { title: '关于开展安全检查的通知' } }, '拟稿：关于开展安全检查的通知'],
  [{ type: 'document.action', documentId: doc, action: 'approve', opinion: { text: '同意，按此办理。' } }, '同意：同意，按此办理。'],
  [{ type: 'document.action', documentId: doc, action: 'approve', opinion: { text: '同意', voice: { sha256: sha, durationMs: 2_400, mimeType: 'audio/ogg' } } }, '同意：同意（附语音 0:02）'],
  [{ type: 'document.action', documentId: doc, action: 'approve', opinion: { ink: { width: 10, height: 10, strokes: [] } } }, '同意：手写意见'],
  [{ type: 'document.action', documentId: doc, action: 'return', reason: '请补充依据' }, '退回：请补充依据'],
  [{ type: 'document.action', documentId: doc, action: 'number' }, '编号'],
  [{ type: 'document.action', documentId: doc, action: 'unheard-of' }, 'unheard-of'],
  [{ type: 'exchange.action', exchangeId: 'x-1', action: 'receive' }, '签收'],
  [{ type: 'exchange.action', exchangeId: 'x-1', action: 'return', reason: '非本单位来文' }, '退回：非本单位来文'],
  [{ type: 'document.signedPdf', documentId: doc, pdfSha256: sha }, '上传用印文件'],
  [{ type: 'document.voice', documentId: doc, sha256: sha, mimeType: 'audio/ogg' }, '上传语音签批录音'],
  [{ type: 'document.attachment', documentId: doc, sha256: sha, name: '附件1.pdf' }, '添加附件：附件1.pdf'],
  [{ type: 'message.send', conversation: 'c-1', text: '王主任，请看一下会议纪要' }, '发送消息：王主任，请看一下会议纪要'],
];

const entryOf = (command: OutboxCommand): OutboxEntry => ({
  seq: 1,
  clientId: '0b7e5c1a-2f55-4a7e-9a57-5a2f0c1d9e33',
  command,
  status: 'pending',
  reason: null,
  attempts: 0,
  createdAt: 0,
  updatedAt: 0,
});

describe('an outbox command in Chinese', () => {
  it.each(commands)('main and the renderer word %j alike', async (command, expected) => {
    const zh = await createI18n('zh-CN');
    const view = commandOf(entryOf(command));
    expect(view.summary).toBe(expected);
    expect(commandSummary(view, zh.t)).toBe(expected);
  });
});
