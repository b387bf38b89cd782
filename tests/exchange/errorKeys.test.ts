/**
 * The exchange's refusals carry catalogue keys, and a status they name arrives as the words the
 * renderer's terms know (已签收, 已撤回), so the English interface says Received, not 签收. Rows go
 * straight into the store: the refusals come before any PDF is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue, wordError } from '../../src/shared/errors';
import { HttpErrorBodySchema, type HttpErrorBody } from '../../src/shared/http/errors';
import { termResources, wordsInLanguage } from '../../src/renderer/i18n/terms';
import { act, call, NDRC, startOrg, type Org } from '../documents/helpers';
import { box, exchangeAct, sealedDocument, startCaOrg, type CaOrg } from './helpers';

/** The renderer's English terms, as its i18n `t` reads them (`terms.exchangeStatus.received`). */
const english = termResources('en');
const t = (key: string): string => {
  const path = key.split('.').slice(1);
  let node: unknown = english;
  for (const part of path) node = (node as Record<string, unknown>)[part];
  return typeof node === 'string' ? node : key;
};
/** The text as the English interface shows it: params worded by the renderer's terms. */
const inEnglish = (error: HttpErrorBody['error']): string =>
  wordError({ ...error, params: Object.fromEntries(Object.entries(error.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? wordsInLanguage(v, t) : v])) }, 'en');

describe('exchange refusals carry catalogue keys', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
    for (const [id, status] of [['ex-keys-received', 'received'], ['ex-keys-withdrawn', 'withdrawn'], ['ex-keys-returned', 'returned']] as const) {
      await org.server.deps.db.run(
        `INSERT INTO exchange_items (id, document_id, from_unit_id, to_unit_id, title, doc_number, pdf_sha256, urgency, secrecy_level, status, sent_by, sent_by_name, sent_at)
         VALUES (?, ?, 'unit-szfb', 'unit-sfgw', ?, NULL, ?, 'normal', 'none', ?, 'user-zhao', '赵敏', ?)`,
        [id, `doc-${id}`, `键测试 ${id}`, '0'.repeat(64), status, Date.parse('2026-11-23T02:00:00Z')],
      );
    }
  });
  afterAll(async () => {
    await org.server.stop();
  });

  async function refusal(username: string, method: string, path: string, json?: unknown): Promise<{ status: number; error: HttpErrorBody['error'] }> {
    const response = await call<unknown>(org.server.url, method, path, { token: org.tokens[username]!, ...(json ? { json } : {}) });
    return { status: response.status, error: HttpErrorBodySchema.parse(response.body).error };
  }

  it('receiving what was already received: exchange.statusNow with the status as the terms word it', async () => {
    const { status, error } = await refusal('chen', 'POST', '/api/exchange/ex-keys-received/actions', { action: 'receive' });
    expect(status).toBe(409);
    expect(error).toEqual({ code: 'conflict', key: 'exchange.statusNow', params: { status: '已签收' }, message: '该公文已签收，请刷新' });
    expect(inEnglish(error)).toBe('The document\'s status is now “Received”. Please refresh.');
  });

  it('withdrawing what was returned meanwhile: the status read in the transaction, not the stale row', async () => {
    const { status, error } = await refusal('zhao', 'POST', '/api/exchange/ex-keys-returned/actions', { action: 'withdraw' });
    expect(status).toBe(409);
    expect(error).toMatchObject({ key: 'exchange.statusNow', params: { status: '已退回' }, message: '该公文已退回，请刷新' });
  });

  it('reminding about a withdrawn document: exchange.reminderNotNeeded', async () => {
    const { status, error } = await refusal('zhao', 'POST', '/api/exchange/ex-keys-withdrawn/actions', { action: 'remind' });
    expect(status).toBe(409);
    expect(error).toEqual({ code: 'conflict', key: 'exchange.reminderNotNeeded', params: { status: '已撤回' }, message: '该公文已撤回，无需催收' });
    expect(inEnglish(error)).toBe('No reminder needed: the document\'s status is “Withdrawn”');
  });

  it('a broken page cursor: http.pageInvalid, English in the catalogue', async () => {
    const { status, error } = await refusal('zhao', 'GET', '/api/exchange?box=outgoing&cursor=not-a-cursor');
    expect(status).toBe(400);
    expect(error).toEqual({ code: 'invalid_input', key: 'http.pageInvalid', message: '分页参数无效' });
    expect(wordError(error, 'en')).toBe(errorCatalogue['http.pageInvalid'].en);
  });
});

describe('退回 after 签收 refused by the 收文 workflow', () => {
  let org: CaOrg;
  beforeAll(async () => {
    org = await startCaOrg();
  });
  afterAll(async () => {
    await org.server.stop();
  });

  it('a 收文 already registered: exchange.inProgressNotRegistering, no Chinese reason in a parameter', async () => {
    const id = await sealedDocument(org, '关于退回提示的通知');
    expect((await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC] })).status).toBe(200);
    const item = (await box(org, 'chen', 'incoming')).find((i) => i.documentId === id)!;
    const received = await exchangeAct(org, 'chen', item.id, { action: 'receive' });
    expect(received.status).toBe(200);
    expect((await act(org, 'chen', received.body.incomingDocumentId!, { action: 'register' })).status).toBe(200);
    const refused = await exchangeAct(org, 'chen', item.id, { action: 'return', reason: '送错了' });
    expect(refused.status).toBe(409);
    const { error } = HttpErrorBodySchema.parse(refused.body);
    expect(error).toEqual({ code: 'conflict', key: 'exchange.inProgressNotRegistering', message: '该公文已进入办理，不能退回（只有待登记的收文可以退回来文单位）' });
    expect(wordError(error, 'en')).not.toMatch(/\p{Script=Han}/u);
  });
});
