/**
 * In the English interface nothing a person reads comes out Chinese: main sends keys with codes
 * (the outbox's command summaries, the batch's reasons, transport reasons) and the renderer words
 * them. The Chinese interface must read exactly as main's Chinese lines did.
 */
import { cleanup, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { XietongApi } from '../../src/shared/api';
import type { BatchStatus } from '../../src/shared/api/batchSignoff.contract';
import { encodeReason, errorText } from '../../src/shared/errors';
import { BatchView } from '../../src/renderer/features/batch';
import { BatchProgress } from '../../src/renderer/features/exchange/BatchProgress';
import { runBatch as runExchangeBatch } from '../../src/renderer/features/exchange/batch';
import { docxToBody, DocxImportError } from '../../src/renderer/features/editor/docxImport';
import { renderWithApi } from './render';
import type { OutboxCommand, OutboxEntry } from '../../src/shared/api/offline.contract';
import { commandOf } from '../../src/main/services/documents/commands';
import { commandSummary, stateLabel } from '../../src/renderer/features/document/labels';
import { createI18n } from '../../src/renderer/i18n';
import { describeError, describeReason } from '../../src/renderer/i18n/errors';

const hasChinese = (text: string): boolean => /[\u4e00-\u9fff]/.test(text);

const entry = (command: OutboxCommand): OutboxEntry => ({
  seq: 1,
  clientId: '6f1d2c3b-0a4e-4b5f-8c6d-7e8f9a0b1c2d',
  command,
  status: 'sent',
  reason: null,
  attempts: 1,
  createdAt: 1,
  updatedAt: 2,
});

const ink = { width: 100, height: 50, strokes: [{ color: 'black' as const, size: 2, points: [[1, 1, 0, 0.5, 0, 0] as [number, number, number, number, number, number]] }] };
const voice = { sha256: 'a'.repeat(64), durationMs: 75_000, mimeType: 'audio/webm' };
const commands: OutboxCommand[] = [
  { type: 'document.create', documentId: '0b7d4b0e-4f0a-4c39-9d57-3f3c1a6d2f10', kind: 'outgoing', fields: { title: 'Budget 2027' } },
  { type: 'document.action', documentId: 'd1', action: 'number' },
  { type: 'document.action', documentId: 'd1', action: 'approve', opinion: { text: 'OK' } },
  { type: 'document.action', documentId: 'd1', action: 'approve', opinion: { ink } },
  { type: 'document.action', documentId: 'd1', action: 'approve', opinion: { ink, voice } },
  { type: 'document.action', documentId: 'd1', action: 'return', reason: 'Figures' },
  { type: 'exchange.action', exchangeId: 'x1', action: 'receive' },
  { type: 'exchange.action', exchangeId: 'x1', action: 'return', reason: 'Wrong unit' },
  { type: 'document.signedPdf', documentId: 'd1', pdfSha256: 'b'.repeat(64) },
  { type: 'document.voice', documentId: 'd1', sha256: 'c'.repeat(64), mimeType: 'audio/webm' },
  { type: 'document.attachment', documentId: 'd1', sha256: 'd'.repeat(64), name: 'table.xlsx' },
  { type: 'message.send', conversation: 'c1', text: 'Hello' },
];

describe('outbox command summaries', () => {
  it('reads in English, Done: Assign number for a queued 编号', async () => {
    const en = await createI18n('en');
    const number = commandOf(entry({ type: 'document.action', documentId: 'd1', action: 'number' }));
    expect(en.t('docs.done', { action: commandSummary(number, en.t) })).toBe('Done: Assign number');
    for (const command of commands) {
      const text = commandSummary(commandOf(entry(command)), en.t);
      expect(hasChinese(text), text).toBe(false);
    }
    const withVoice = commandOf(entry({ type: 'document.action', documentId: 'd1', action: 'approve', opinion: { ink, voice } }));
    expect(commandSummary(withVoice, en.t)).toBe('Approve: handwritten opinion (with a voice note, 1:15)');
  });

  it('reads in Chinese exactly as main writes it', async () => {
    const zh = await createI18n('zh-CN');
    for (const command of commands) {
      const view = commandOf(entry(command));
      expect(commandSummary(view, zh.t)).toBe(view.summary);
    }
  });

  it('shows main\'s Chinese line when main sent no key (an older main)', async () => {
    const en = await createI18n('en');
    expect(commandSummary({ summary: '编号' }, en.t)).toBe('编号');
  });
});

describe('batch sign-off reasons', () => {
  const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
  const fakeMain = (answers: Record<string, unknown>): XietongApi =>
    ({
      on: () => () => undefined,
      session: { connection: () => ok({ state: 'online' }), current: () => ok(null) },
      batchSignoff: { ukeys: () => ok({ modules: [] }), savedInk: () => ok({ ink: null }), ...answers },
      documents: { get: () => Promise.resolve({ ok: false, error: { code: 'not_found', message: '' } }) },
      phrases: { list: () => ok({ phrases: [] }) },
    }) as unknown as XietongApi;

  it('says in English why a document was left out, the step named in English', async () => {
    const notAtSignoff = errorText('batch.notAtSignoff', { stateLabel: '核稿' });
    const skipped = [
      { id: 'd1', title: 'Budget', reason: notAtSignoff.message, reasonKey: notAtSignoff.key, reasonParams: notAtSignoff.params },
      { id: 'd2', title: 'd2', reason: '无法读取公文', reasonKey: 'batch.cannotRead' },
    ];
    const api = fakeMain({ prepare: () => ok({ eligible: [], skipped }) });
    await renderWithApi(<BatchView documents={[{ id: 'd1', title: 'Budget' }, { id: 'd2', title: 'd2' }]} onClose={() => undefined} />, api, 'en');
    expect(await screen.findByText('Budget: The document is at Review; you cannot sign it off')).toBeTruthy();
    expect(screen.getByText('d2: Cannot read the document')).toBeTruthy();
    cleanup();
  });

  it('says in English why a document failed', async () => {
    const batchId = '0b7d4b0e-4f0a-4c39-9d57-3f3c1a6d2f10';
    const status: BatchStatus = {
      batch: {
        id: batchId,
        userId: 'user-wang',
        createdAt: 1,
        items: [{ documentId: 'd1', title: 'Budget', opinion: 'OK', clientIds: ['6f1d2c3b-0a4e-4b5f-8c6d-7e8f9a0b1c2d'], state: 'failed', reason: '服务器拒绝了签批', reasonKey: 'batch.refused', updatedAt: 1 }],
      },
      running: false,
      needsSecret: false,
      paused: false,
      done: 0,
      failed: 1,
      total: 1,
    };
    await renderWithApi(<BatchView batchId={batchId} onClose={() => undefined} />, fakeMain({ status: () => ok(status) }), 'en');
    expect(await screen.findByText('Failed: The server refused the approval')).toBeTruthy();
    cleanup();
  });
});

describe('outbox reasons', () => {
  it('says in English why a step waits or was refused', async () => {
    const en = await createI18n('en');
    const unreachable = errorText('outbox.unreachable', { reason: 'connect ECONNREFUSED' });
    const waiting = { reason: unreachable.message, reasonKey: unreachable.key, reasonParams: unreachable.params };
    expect(describeReason(waiting, en.t)).toBe('Cannot reach the server: connect ECONNREFUSED');
    const syncing = errorText('outbox.syncingBody');
    expect(hasChinese(describeReason({ reason: syncing.message, reasonKey: syncing.key }, en.t))).toBe(false);
    const zh = await createI18n('zh-CN');
    expect(describeReason(waiting, zh.t)).toBe('无法连接服务器：connect ECONNREFUSED');
  });
});

describe('errors inside errors', () => {
  it('words a keyed failure inside 保存修改失败 in English', async () => {
    const en = await createI18n('en');
    const zh = await createI18n('zh-CN');
    const saveFailed = errorText('sync.saveFailed', { reason: encodeReason(errorText('replica.blobCorrupt', { sha256: 'ab12' })) });
    expect(describeError(saveFailed, en.t)).toBe('Saving the change failed: A file on this computer is damaged: ab12');
    expect(describeError(saveFailed, zh.t)).toBe('保存修改失败：本地文件已损坏：ab12');
  });
});

describe('renderer leftovers', () => {
  it('words a refused Word file in English; the zh-CN message stays', async () => {
    const en = await createI18n('en');
    const refusal = await docxToBody(new TextEncoder().encode('not a Word file')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DocxImportError);
    const { problem, params, message } = refusal as DocxImportError;
    expect(message).toBe('不是有效的 Word 文件（.docx）');
    expect(en.t(`editor.docx.${problem}`, { ...params })).toBe('Not a valid Word file (.docx)');
    const tracked = new DocxImportError('trackedChanges', { deletions: 1, insertions: 2 });
    expect(tracked.message).toMatch(/未处理的修订（1 处删除、2 处插入）/);
    expect(hasChinese(en.t(`editor.docx.${tracked.problem}`, { ...tracked.params }))).toBe(false);
  });

  it('names the bulk exchange results in English', async () => {
    const run = { label: 'Receive all', total: 1, outcomes: [{ id: 'x1', ok: false, detail: 'Refused' }], success: 'Received' };
    await renderWithApi(<BatchProgress run={run} items={[]} />, {} as XietongApi, 'en');
    expect(screen.getByRole('list', { name: 'Receive all: results' })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Receive all: progress' })).toBeTruthy();
    cleanup();
  });
});

describe('a draft still on this computer', () => {
  it('reads Drafting (waiting to send) in English and 拟稿（待发送） in Chinese', async () => {
    const en = await createI18n('en');
    const zh = await createI18n('zh-CN');
    const row = { state: 'draft' as const, stateLabel: '拟稿（待发送）' };
    expect(stateLabel(row, en.t, 'en')).toBe('Drafting (waiting to send)');
    expect(stateLabel(row, zh.t, 'zh-CN')).toBe('拟稿（待发送）');
  });
});

describe('bulk exchange refusals', () => {
  it('words a refused command by its key', async () => {
    const en = await createI18n('en');
    const refused = errorText('exchange.statusIs', { status: '已签收' });
    const answer = { ok: true as const, value: { command: { status: 'rejected', reason: refused.message, reasonKey: refused.key, reasonParams: refused.params } } };
    const [outcome] = await runExchangeBatch(['x1'], () => Promise.resolve(answer), () => undefined, (error) => describeError(error, en.t));
    expect(outcome?.detail).toBe('The document is already Received. Please refresh.');
  });
});
