/**
 * Issue 4 against a real server, on SQLite and on PostgreSQL: an outbox command sent again after a
 * crash or a lost response (same client id) is applied once and answered as a success — a 签收, a
 * 退回 after 签收, and a sealed PDF upload (which also counts as repeated when byte-identical to the
 * stored sealed PDF) — while a genuinely second attempt still gets its conflict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openPkcs12Signer, signPdf } from '../../src/signing';
import type { AuditResponse, DocumentView, ExchangeItem } from '../../src/shared/http/documents';
import { SealListResponseSchema, SealUsesResponseSchema } from '../../src/shared/http/seals';
import { demoCertificatePaths } from '../../src/sync-server/demo/certificates';
import { call, login, pgSchema, startTestServer, type TestServer } from '../server/helpers';

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('repeated outbox commands on $store', ({ postgresUrl }) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const req = <T = Json>(username: string, method: string, path: string, json?: unknown) =>
    call<T>(server.url, method, path, { token: tokens[username]!, ...(json !== undefined ? { json } : {}) });
  const p12 = (username: string) => readFileSync(demoCertificatePaths(server.dataDir).p12(username));

  beforeAll(async () => {
    server = await startTestServer({ demoCertificates: true, ...(postgresUrl ? { postgresUrl } : {}) });
    for (const username of ['li', 'wang', 'zhao', 'chen']) tokens[username] = await login(server.url, username);
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A 通知 from the office to the NDRC taken to 用印, with zhao's sealed PDF (not yet uploaded). */
  async function toSealing(title: string): Promise<{ id: string; sealed: Buffer }> {
    const created = await req<DocumentView>('li', 'POST', '/api/documents', {
      kind: 'outgoing',
      type: 'notice',
      title,
      body: '请认真做好有关工作。',
      mainRecipients: [{ unitId: 'unit-sfgw', name: '市发展和改革委员会' }],
      writtenDate: '2026-11-22',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await req('li', 'POST', `/api/documents/${id}/actions`, { action: 'submit', to: ['user-wang'] })).status).toBe(200);
    expect((await req('wang', 'POST', `/api/documents/${id}/actions`, { action: 'approve', opinion: { text: '同意' } })).status).toBe(200);
    expect((await req<DocumentView>('zhao', 'POST', `/api/documents/${id}/actions`, { action: 'number' })).body.state).toBe('sealing');
    const response = await fetch(`${server.url}/api/documents/${id}/pdf`, { headers: { authorization: `Bearer ${tokens.zhao!}` } });
    const pdf = Buffer.from(await response.arrayBuffer());
    const placement = JSON.parse(response.headers.get('x-seal-placement')!) as Record<string, number>;
    const signer = openPkcs12Signer(p12('zhao'), 'demo1234');
    const sealed = await signPdf(pdf, signer, {
      reason: '用印',
      appearance: { page: placement.pageNumber!, x: placement.xMm!, y: placement.yMm!, width: placement.diameterMm!, height: placement.diameterMm!, graphic: { type: 'officialSeal', unitName: '市政府办公室' } },
    });
    return { id, sealed };
  }

  const put = (id: string, bytes: Buffer, clientId?: string) =>
    call<DocumentView & Json>(server.url, 'PUT', `/api/documents/${id}/pdf`, {
      token: tokens.zhao!,
      body: bytes,
      headers: { 'content-type': 'application/pdf', ...(clientId !== undefined ? { 'x-client-id': clientId } : {}) },
    });
  const exchangeAct = (username: string, itemId: string, body: Record<string, unknown>) => req<ExchangeItem & Json>(username, 'POST', `/api/exchange/${itemId}/actions`, body);
  const auditActions = async (username: string, id: string) => ((await req<AuditResponse>(username, 'GET', `/api/documents/${id}/audit`)).body.entries).map((e) => e.action);

  /** Seals (upload with client id `upload-<id>`, then 用印), dispatches, and returns the NDRC's exchange item. */
  async function dispatched(title: string): Promise<{ id: string; sealed: Buffer; item: ExchangeItem }> {
    const { id, sealed } = await toSealing(title);
    expect((await put(id, sealed, `upload-${id}`)).status).toBe(200);
    expect((await req<DocumentView>('zhao', 'POST', `/api/documents/${id}/actions`, { action: 'seal' })).body.state).toBe('dispatching');
    expect((await req<DocumentView>('zhao', 'POST', `/api/documents/${id}/actions`, { action: 'dispatch' })).body.state).toBe('dispatched');
    const box = (await req<{ items: ExchangeItem[] }>('chen', 'GET', '/api/exchange?box=incoming')).body.items;
    return { id, sealed, item: box.find((i) => i.documentId === id)! };
  }

  it('accepts a sealed PDF upload sent again as a success, with one 用印记录 and one audit entry', async () => {
    const { id, sealed } = await toSealing('关于重复上传测试的通知');
    const first = await put(id, sealed, 'upload-1');
    expect(first.status).toBe(200);
    expect(first.body.sealed).toBe(true);

    // The outbox resending the same command, and the same bytes without an id: both succeed, nothing is added.
    const resent = await put(id, sealed, 'upload-1');
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ sealed: true, version: first.body.version });
    expect((await put(id, sealed)).status).toBe(200);
    // A malformed client id is refused, not ignored.
    expect((await put(id, sealed, 'x'.repeat(101))).status).toBe(400);

    // Still a success once the document has left 用印 (the resend may arrive after the 用印 action).
    expect((await req<DocumentView>('zhao', 'POST', `/api/documents/${id}/actions`, { action: 'seal' })).body.state).toBe('dispatching');
    const late = await put(id, sealed, 'upload-1');
    expect(late.status).toBe(200);
    expect(late.body.state).toBe('dispatching');
    // Other bytes are still judged as an upload, and refused outside 用印.
    expect((await put(id, Buffer.concat([sealed, Buffer.from('\n')]), 'upload-2')).status).toBe(403);

    const officeSeal = SealListResponseSchema.parse((await req('zhao', 'GET', '/api/seals/mine')).body).items[0]!;
    const uses = SealUsesResponseSchema.parse((await req('zhao', 'GET', `/api/seals/${officeSeal.id}/uses`)).body).items.filter((u) => u.documentId === id);
    expect(uses).toHaveLength(1);
    const actions = await auditActions('zhao', id);
    expect(actions.filter((a) => a === 'pdf.seal')).toHaveLength(1);
    expect(actions.filter((a) => a === 'seal.use')).toHaveLength(1);
  });

  it('applies a repeated 签收 once: the same client id gets 200 with the item, another gets 409', async () => {
    const { id, item } = await dispatched('关于重复签收测试的通知');
    expect(item.status).toBe('pending');

    const received = await exchangeAct('chen', item.id, { action: 'receive', clientId: 'receive-1' });
    expect(received.status).toBe(200);
    expect(received.body.status).toBe('received');
    const incomingId = received.body.incomingDocumentId!;

    const resent = await exchangeAct('chen', item.id, { action: 'receive', clientId: 'receive-1' });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: 'received', incomingDocumentId: incomingId, handledByName: '陈静' });

    // A second, different 签收 is still a conflict, with or without an id.
    expect((await exchangeAct('chen', item.id, { action: 'receive', clientId: 'receive-2' })).status).toBe(409);
    expect((await exchangeAct('chen', item.id, { action: 'receive' })).status).toBe(409);
    // Someone else presenting the same id does not ride on it: they get what their own attempt gets.
    expect((await exchangeAct('zhao', item.id, { action: 'receive', clientId: 'receive-1' })).status).toBe(403);
    expect((await exchangeAct('chen', item.id, { action: 'receive', clientId: '' })).status).toBe(400);

    // One 收文 was created and the sent document records one 签收.
    expect((await auditActions('zhao', id)).filter((a) => a === 'exchange.receive')).toHaveLength(1);
    const incoming = (await req<{ items: DocumentView[] }>('chen', 'GET', '/api/documents?box=todo')).body.items.filter((d) => d.title === '关于重复签收测试的通知');
    expect(incoming.map((d) => d.id)).toEqual([incomingId]);
  });

  it('applies a repeated 退回 after 签收 once', async () => {
    const { item } = await dispatched('关于重复退回测试的通知');
    expect((await exchangeAct('chen', item.id, { action: 'receive', clientId: 'rx' })).status).toBe(200);
    const back = await exchangeAct('chen', item.id, { action: 'return', reason: '缺少附件', clientId: 'back-1' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'returned', reason: '缺少附件' });
    const resent = await exchangeAct('chen', item.id, { action: 'return', reason: '缺少附件', clientId: 'back-1' });
    expect(resent.status).toBe(200);
    expect(resent.body.status).toBe('returned');
    expect((await exchangeAct('chen', item.id, { action: 'return', reason: '缺少附件', clientId: 'back-2' })).status).toBe(409);
    const incomingActions = await auditActions('chen', back.body.incomingDocumentId!);
    expect(incomingActions.filter((a) => a === 'return')).toHaveLength(1);
  });
});
