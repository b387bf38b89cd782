import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditResponse, ChangesResponse, DocumentListResponse, DocumentView, ExchangeItem } from '../../src/shared/http/documents';
import { act, call, draftToNumbering, getPdf, NDRC, OFFICE, pgSchema, putPdf, sealPdf, startOrg, uid, type Org } from './helpers';
import { requireTools } from '../support/systemTools';

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'xt-doc-'));
  try {
    writeFileSync(join(dir, 'd.pdf'), bytes);
    requireTools('pdftotext');
    return execFileSync('pdftotext', [join(dir, 'd.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const year = new Date().getFullYear();

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('documents API on $store: 发文 → 交换 → 收文 end to end', ({ postgresUrl }) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg({ certified: { zhao: '赵敏|市政府办公室', li: '李文|市政府办公室' }, ...(postgresUrl ? { postgresUrl } : {}) });
  });
  afterAll(async () => {
    await org.server.stop();
  });
  const get = (username: string, path: string) => call(org.server.url, 'GET', path, { token: org.tokens[username]! });

  it('runs the whole flow with the rules enforced at every step', async () => {
    const url = org.server.url;
    const created = await call<DocumentView>(url, 'POST', '/api/documents', {
      token: org.tokens.li!,
      json: { kind: 'outgoing', type: 'notice', title: '关于做好春节期间安全生产工作的通知', body: '请认真做好有关工作。', mainRecipients: [{ unitId: NDRC, name: '市发展和改革委员会' }], writtenDate: '2026-11-22' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ kind: 'outgoing', state: 'draft', holders: [uid('li')], fields: { issuingOrgan: '市政府办公室', organCode: '市政办' } });
    expect(created.body.availableActions.map((a) => a.label)).toEqual(['提交', '转办']);

    // An attachment (附件) goes with the draft.
    const sheet = Buffer.from('序号,单位,检查结果\n1,某厂,合格\n', 'utf8');
    const attached = await call<DocumentView>(url, 'POST', `/api/documents/${id}/attachments?name=${encodeURIComponent('安全检查表.csv')}`, {
      token: org.tokens.li!,
      body: sheet,
      headers: { 'content-type': 'text/csv' },
    });
    expect(attached.status).toBe(201);
    const sheetSha = attached.body.fields.attachments[0]!.sha256!;
    expect(attached.body.fields.attachments).toEqual([{ name: '安全检查表.csv', sha256: sheetSha }]);

    // Another unit reads nothing before dispatch.
    for (const path of [`/api/documents/${id}`, `/api/documents/${id}/pdf`, `/api/documents/${id}/audit`, `/api/documents/${id}/attachments/${sheetSha}`]) expect((await get('chen', path)).status).toBe(403);
    expect(((await get('chen', '/api/documents?box=outgoing')).body as DocumentListResponse).items).toEqual([]);
    expect((await call(url, 'GET', `/api/documents/${id}`)).status).toBe(401);

    // wang cannot approve a draft; li submits to wang.
    const early = await act(org, 'wang', id, { action: 'approve' });
    expect(early.status).toBe(403);
    expect(early.body.error?.message).toBe('拟稿环节不能同意');
    const submitted = await act(org, 'li', id, { action: 'submit', to: [uid('wang')], version: attached.body.version });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ state: 'signoff', stateLabel: '签发', holders: [uid('wang')], holderNames: ['王建国'] });

    const todo = (await get('wang', '/api/documents?box=todo')).body as DocumentListResponse;
    expect(todo.items.map((i) => i.id)).toEqual([id]);
    expect(((await get('li', '/api/documents?box=done')).body as DocumentListResponse).items.map((i) => i.id)).toEqual([id]);

    const signed = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意印发' } });
    expect(signed.body).toMatchObject({ state: 'numbering', holders: [uid('zhao')], signedOffBy: { name: '王建国', opinion: '同意印发' } });

    const numbered = await act(org, 'zhao', id, { action: 'number' });
    expect(numbered.status).toBe(200);
    expect(numbered.body).toMatchObject({ state: 'sealing', docNumber: `市政办〔${year}〕1号` });

    // The frozen PDF carries the number; its seal placement is in a header.
    const pdf = await getPdf(org, 'zhao', id);
    expect(pdf.status).toBe(200);
    expect(pdfText(pdf.bytes)).toContain(`市政办〔${year}〕1号`);
    expect(pdfText(pdf.bytes)).toContain('附件：安全检查表.csv');
    expect(pdf.placement).toMatchObject({ diameterMm: 42 });
    // Sealing needs a real signature: unsigned, wrong person, tampered content are all refused.
    expect((await act(org, 'zhao', id, { action: 'seal' })).status).toBe(400);
    expect((await putPdf(org, 'zhao', id, pdf.bytes)).status).toBe(422);
    const byLi = await putPdf(org, 'zhao', id, await sealPdf(pdf.bytes, org.p12.li!, pdf.placement!, '市政府办公室'));
    expect(byLi.status).toBe(422);
    expect(byLi.body.error?.message).toContain('不是赵敏');
    expect((await putPdf(org, 'li', id, await sealPdf(pdf.bytes, org.p12.zhao!, pdf.placement!, '市政府办公室'))).status).toBe(403);
    const tampered = Buffer.from(pdf.bytes);
    tampered[200] = tampered[200]! ^ 1;
    expect((await putPdf(org, 'zhao', id, await sealPdf(tampered, org.p12.zhao!, pdf.placement!, '市政府办公室'))).status).toBe(422);

    const sealedBytes = await sealPdf(pdf.bytes, org.p12.zhao!, pdf.placement!, '市政府办公室');
    const uploaded = await putPdf(org, 'zhao', id, sealedBytes);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.sealed).toBe(true);
    expect((await getPdf(org, 'zhao', id)).bytes.equals(sealedBytes)).toBe(true);

    expect((await act(org, 'zhao', id, { action: 'seal' })).body.state).toBe('dispatching');
    const dispatched = await act(org, 'zhao', id, { action: 'dispatch' });
    expect(dispatched.body).toMatchObject({ state: 'dispatched', dispatchedTo: [NDRC], receipts: [{ unitId: NDRC, unitName: '市发展和改革委员会', status: 'pending' }] });

    // The receiving unit sees it in 交换, still not the sender's document itself.
    const box = (await get('chen', '/api/exchange?box=incoming')).body as { items: ExchangeItem[] };
    const feed = (await get('chen', '/api/documents/changes?since=0')).body as ChangesResponse;
    expect(feed.exchange).toContain(box.items[0]!.id);
    expect(feed.documents).not.toContain(id);
    expect(box.items).toHaveLength(1);
    const item = box.items[0]!;
    expect(item).toMatchObject({ status: 'pending', fromUnitName: '市政府办公室', docNumber: `市政办〔${year}〕1号` });
    expect((await get('chen', `/api/documents/${id}`)).status).toBe(403);
    const exchangePdf = await fetch(`${url}/api/exchange/${item.id}/pdf`, { headers: { authorization: `Bearer ${org.tokens.chen!}` } });
    expect(Buffer.from(await exchangePdf.arrayBuffer()).equals(sealedBytes)).toBe(true);
    expect((await get('sun', `/api/exchange/${item.id}`)).status).toBe(200);
    expect((await call(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.sun!, json: { action: 'receive' } })).status).toBe(403);
    expect((await call(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.zhao!, json: { action: 'receive' } })).status).toBe(403);

    const zhaoCursor = ((await get('zhao', '/api/documents/changes')).body as ChangesResponse).cursor;
    const received = await call<ExchangeItem>(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.chen!, json: { action: 'receive' } });
    expect(received.status).toBe(200);
    // The sender's open document hears of it: its receipt now reads 已签收.
    expect(((await get('zhao', `/api/documents/changes?since=${zhaoCursor}`)).body as ChangesResponse).documents).toContain(id);
    expect(received.body).toMatchObject({ status: 'received', handledByName: '陈静' });
    const again = await call(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.chen!, json: { action: 'receive' } });
    expect(again.status).toBe(409);

    // 签收 created the 收文 with the sealed PDF, waiting for 登记.
    const incomingId = received.body.incomingDocumentId!;
    const incoming = (await get('chen', `/api/documents/${incomingId}`)).body as DocumentView;
    expect(incoming).toMatchObject({ kind: 'incoming', state: 'registering', docNumber: `市政办〔${year}〕1号`, sourceExchangeId: item.id, unitId: NDRC });
    expect(incoming.availableActions.map((a) => a.action)).toContain('register');
    expect((await getPdf(org, 'chen', incomingId)).bytes.equals(sealedBytes)).toBe(true);
    const download = await fetch(`${url}/api/documents/${incomingId}/attachments/${sheetSha}`, { headers: { authorization: `Bearer ${org.tokens.chen!}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(sheet)).toBe(true);
    expect(download.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('安全检查表.csv')}`);
    expect(((await get('chen', '/api/documents?box=incoming')).body as DocumentListResponse).items.map((i) => i.id)).toEqual([incomingId]);
    expect((await get('li', `/api/documents/${incomingId}`)).status).toBe(403);

    // The sender sees who signed for it and when.
    const after = (await get('li', `/api/documents/${id}`)).body as DocumentView;
    expect(after.receipts).toEqual([expect.objectContaining({ status: 'received', handledByName: '陈静', handledAt: expect.any(String) as unknown })]);
    expect(after.history.map((h) => h.label)).toEqual(['提交', '同意', '编号', '用印', '分发']);

    // The 收文 flow continues in the receiving unit.
    expect((await act(org, 'chen', incomingId, { action: 'register' })).body.state).toBe('proposing');
    expect((await act(org, 'chen', incomingId, { action: 'propose', opinion: { text: '拟请刘主任阅示' }, to: [uid('liu')] })).body.state).toBe('instructing');
    expect((await act(org, 'liu', incomingId, { action: 'instruct', opinion: { text: '请孙磊办理' }, to: [uid('sun')] })).body.state).toBe('handling');
    expect((await act(org, 'sun', incomingId, { action: 'complete', opinion: { text: '已落实' } })).body.state).toBe('completed');
    expect((await act(org, 'chen', incomingId, { action: 'archive' })).body.state).toBe('archived');

    // The audit chain of the sent document has every event and verifies.
    const audit = (await get('li', `/api/documents/${id}/audit`)).body as AuditResponse;
    expect(audit.valid).toBe(true);
    expect(audit.entries.map((e) => e.action)).toEqual(['create', 'attachment.add', 'submit', 'approve', 'number', 'pdf.seal', 'seal', 'dispatch', 'exchange.receive']);
    expect(audit.entries[3]).toMatchObject({ actorName: '王建国', payload: { opinion: '同意印发' } });
    const incomingAudit = (await get('chen', `/api/documents/${incomingId}/audit`)).body as AuditResponse;
    expect(incomingAudit).toMatchObject({ valid: true });
    expect(incomingAudit.entries.map((e) => e.action)).toEqual(['exchange.receive', 'register', 'propose', 'instruct', 'complete', 'archive']);
  });

  it('answers 409 to a stale client, applies a repeated clientId once, and 400s bad input', async () => {
    const id = await draftToNumbering(org, '关于印发某某办法的通知');
    const doc = (await get('zhao', `/api/documents/${id}`)).body as DocumentView;
    const stale = await act(org, 'zhao', id, { action: 'number', version: doc.version - 1 });
    expect(stale.status).toBe(409);
    const first = await act(org, 'zhao', id, { action: 'number', clientId: 'c-1', version: doc.version });
    expect(first.status).toBe(200);
    const repeat = await act(org, 'zhao', id, { action: 'number', clientId: 'c-1', version: doc.version });
    expect(repeat.status).toBe(200);
    expect(repeat.body.version).toBe(first.body.version);
    expect(repeat.body.history.filter((h) => h.action === 'number')).toHaveLength(1);
    expect((await act(org, 'zhao', id, { action: 'fly' })).status).toBe(400);
    expect((await act(org, 'zhao', id, { action: 'transfer', to: ['user-nobody'] })).status).toBe(400);
    expect((await call(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '' } })).status).toBe(400);
    expect((await call(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'incoming', title: '来文' } })).status).toBe(403);
    expect((await call(org.server.url, 'GET', '/api/documents/nope', { token: org.tokens.li! })).status).toBe(404);
  });

  it('keeps attachments to the holder while the text may change', async () => {
    const url = org.server.url;
    const created = await call<DocumentView>(url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '附件测试' } });
    const id = created.body.id;
    const upload = (username: string, name: string, body: Buffer) =>
      call<DocumentView>(url, 'POST', `/api/documents/${id}/attachments?name=${encodeURIComponent(name)}`, { token: org.tokens[username]!, body, headers: { 'content-type': 'application/octet-stream' } });
    const file = Buffer.from([1, 2, 3, 4]);
    const first = await upload('li', '名单.xlsx', file);
    expect(first.status).toBe(201);
    const sha = first.body.fields.attachments[0]!.sha256!;
    expect((await upload('li', '名单副本.xlsx', file)).status).toBe(409);
    expect((await upload('li', '../etc/passwd', Buffer.from('x'))).status).toBe(400);
    expect((await upload('li', '空文件', Buffer.alloc(0))).status).toBe(400);
    expect((await upload('zhao', '别人的.txt', Buffer.from('y'))).status).toBe(403);
    expect((await call(url, 'PATCH', `/api/documents/${id}`, { token: org.tokens.li!, json: { attachments: [] } })).status).toBe(400);
    // A colleague of the unit may read it; the holder may remove it.
    expect((await fetch(`${url}/api/documents/${id}/attachments/${sha}`, { headers: { authorization: `Bearer ${org.tokens.zhao!}` } })).status).toBe(200);
    expect((await get('li', `/api/documents/${id}/attachments/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await get('li', `/api/documents/${id}/attachments/not-a-hash`)).status).toBe(400);
    const removed = await call<DocumentView>(url, 'DELETE', `/api/documents/${id}/attachments/${sha}`, { token: org.tokens.li! });
    expect(removed.body.fields.attachments).toEqual([]);
    // After 提交 the drafter no longer holds it.
    await act(org, 'li', id, { action: 'submit', to: [uid('wang')] });
    expect((await upload('li', '晚了.txt', Buffer.from('z'))).status).toBe(403);
  });

  it('lets the holder edit the text only while it may change', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '草稿标题' } });
    const id = created.body.id;
    const edited = await call<DocumentView>(org.server.url, 'PATCH', `/api/documents/${id}`, { token: org.tokens.li!, json: { title: '修改后的标题', urgency: 'urgent', version: 0 } });
    expect(edited.status).toBe(200);
    expect(edited.body.fields).toMatchObject({ title: '修改后的标题', urgency: 'urgent' });
    expect((await call(org.server.url, 'PATCH', `/api/documents/${id}`, { token: org.tokens.zhao!, json: { title: 'x' } })).status).toBe(403);
    expect((await call(org.server.url, 'PATCH', `/api/documents/${id}`, { token: org.tokens.li!, json: { title: 'y', version: 0 } })).status).toBe(409);
    const drafts = (await get('li', '/api/documents?box=drafts')).body as DocumentListResponse;
    expect(drafts.items.map((i) => i.title)).toContain('修改后的标题');
    expect(((await get('zhao', '/api/documents?box=outgoing')).body as DocumentListResponse).items.map((i) => i.id)).not.toContain(id);
  });

  it('lets the receiving clerk return an item with a reason, and the sender take one back', async () => {
    const url = org.server.url;
    for (const action of ['return', 'withdraw'] as const) {
      const id = await draftToNumbering(org, `关于${action}测试的通知`);
      await act(org, 'zhao', id, { action: 'number' });
      const pdf = await getPdf(org, 'zhao', id);
      expect((await putPdf(org, 'zhao', id, await sealPdf(pdf.bytes, org.p12.zhao!, pdf.placement!, '市政府办公室'))).status).toBe(200);
      await act(org, 'zhao', id, { action: 'seal' });
      await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC] });
      const item = ((await get('chen', '/api/exchange?box=incoming')).body as { items: ExchangeItem[] }).items.find((i) => i.documentId === id)!;
      if (action === 'return') {
        expect((await call(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.chen!, json: { action: 'return' } })).status).toBe(400);
        const back = await call<ExchangeItem>(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.chen!, json: { action: 'return', reason: '不属于本单位职责' } });
        expect(back.body).toMatchObject({ status: 'returned', reason: '不属于本单位职责' });
        const receipt = ((await get('li', `/api/documents/${id}`)).body as DocumentView).receipts[0];
        expect(receipt).toMatchObject({ status: 'returned', reason: '不属于本单位职责', handledByName: '陈静' });
      } else {
        expect((await call(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.chen!, json: { action: 'withdraw' } })).status).toBe(403);
        const taken = await call<ExchangeItem>(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.zhao!, json: { action: 'withdraw' } });
        expect(taken.body.status).toBe('withdrawn');
        expect((await call(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.chen!, json: { action: 'receive' } })).status).toBe(409);
      }
      expect(((await get('zhao', '/api/exchange?box=outgoing')).body as { items: ExchangeItem[] }).items.some((i) => i.id === item.id)).toBe(true);
    }
  });

  it('lets the receiving clerk send a signed-for 收文 back at 初审, until it is registered', async () => {
    const url = org.server.url;
    const dispatchOne = async (title: string) => {
      const id = await draftToNumbering(org, title);
      await act(org, 'zhao', id, { action: 'number' });
      const pdf = await getPdf(org, 'zhao', id);
      await putPdf(org, 'zhao', id, await sealPdf(pdf.bytes, org.p12.zhao!, pdf.placement!, '市政府办公室'));
      await act(org, 'zhao', id, { action: 'seal' });
      await act(org, 'zhao', id, { action: 'dispatch' });
      const item = ((await get('chen', '/api/exchange?box=incoming')).body as { items: ExchangeItem[] }).items.find((i) => i.documentId === id)!;
      const received = await call<ExchangeItem>(url, 'POST', `/api/exchange/${item.id}/actions`, { token: org.tokens.chen!, json: { action: 'receive' } });
      return { id, item: received.body };
    };
    const first = await dispatchOne('初审退回测试');
    const back = await call<ExchangeItem>(url, 'POST', `/api/exchange/${first.item.id}/actions`, { token: org.tokens.chen!, json: { action: 'return', reason: '缺少附件' } });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'returned', reason: '缺少附件' });
    const closed = (await get('chen', `/api/documents/${first.item.incomingDocumentId!}`)).body as DocumentView;
    expect(closed.state).toBe('archived');
    expect(closed.history.at(-1)).toMatchObject({ action: 'return', reason: '缺少附件' });
    expect(((await get('li', `/api/documents/${first.id}`)).body as DocumentView).receipts[0]).toMatchObject({ status: 'returned', reason: '缺少附件' });

    const second = await dispatchOne('已登记不能退回测试');
    await act(org, 'chen', second.item.incomingDocumentId!, { action: 'register' });
    expect((await call(url, 'POST', `/api/exchange/${second.item.id}/actions`, { token: org.tokens.chen!, json: { action: 'return', reason: '晚了' } })).status).toBe(409);
  });

  it('lets a delegate act for an absent leader', async () => {
    const url = org.server.url;
    const created = await call<DocumentView>(url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '委托测试' } });
    const id = created.body.id;
    await act(org, 'li', id, { action: 'submit', to: [uid('wang')] });
    expect((await act(org, 'zhao', id, { action: 'approve' })).status).toBe(403);
    const until = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    expect((await call(url, 'POST', '/api/delegations', { token: org.tokens.wang!, json: { to: uid('chen'), until } })).status).toBe(400);
    const delegation = await call<{ id: string }>(url, 'POST', '/api/delegations', { token: org.tokens.wang!, json: { to: uid('zhao'), until } });
    expect(delegation.status).toBe(201);
    expect(((await get('zhao', '/api/documents?box=todo')).body as DocumentListResponse).items.map((i) => i.id)).toContain(id);
    const approved = await act(org, 'zhao', id, { action: 'approve', opinion: { text: '同意（代）' } });
    expect(approved.status).toBe(200);
    expect(approved.body.history.at(-1)).toMatchObject({ actorName: '赵敏', onBehalfOfName: '王建国' });
    expect((await call(url, 'DELETE', `/api/delegations/${delegation.body.id}`, { token: org.tokens.wang! })).status).toBe(204);
  });

  it('sends 提交 to the unit\'s only leader by default, lists overdue items, and counts actions', async () => {
    const url = org.server.url;
    const created = await call<DocumentView>(url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '逾期测试', dueDate: '2020-01-01' } });
    const submitted = await act(org, 'li', created.body.id, { action: 'submit' });
    expect(submitted.body).toMatchObject({ state: 'signoff', holders: [uid('wang')] });
    const overdue = (await get('wang', '/api/documents?box=todo&overdue=1')).body as DocumentListResponse;
    expect(overdue.items.map((i) => i.id)).toEqual([created.body.id]);
    expect(overdue.items[0]!.dueDate).toBe('2020-01-01');
    const reminded = await act(org, 'zhao', created.body.id, { action: 'remind' });
    expect(reminded.body.history.at(-1)).toMatchObject({ label: '催办', targets: [uid('wang')] });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/xietong_document_actions_total\{[^}]*action="submit"[^}]*\} \d+/);
    expect(metrics).toMatch(/xietong_document_seal_uploads_total\{result="accepted"\} [1-9]/);
  });

  it('re-renders the PDF after a 退回 to the drafter, keeping the number', async () => {
    const id = await draftToNumbering(org, '退回重拟测试');
    const numbered = await act(org, 'zhao', id, { action: 'number' });
    const number = numbered.body.docNumber!;
    expect(pdfText((await getPdf(org, 'zhao', id)).bytes)).toContain('退回重拟测试');
    const back = await act(org, 'zhao', id, { action: 'return', reason: '标题需修改', step: 'draft' });
    expect(back.body).toMatchObject({ state: 'draft', holders: [uid('li')] });
    expect(back.body.signedOffBy).toBeUndefined();
    expect((await call(org.server.url, 'PATCH', `/api/documents/${id}`, { token: org.tokens.li!, json: { title: '修改后的重拟标题' } })).status).toBe(200);
    await act(org, 'li', id, { action: 'submit', to: [uid('wang')] });
    await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意' } });
    const again = await act(org, 'zhao', id, { action: 'number' });
    expect(again.body.docNumber).toBe(number);
    const text = pdfText((await getPdf(org, 'zhao', id)).bytes);
    expect(text).toContain('修改后的重拟标题');
    expect(text).toContain(number);
  });

  it('records every reading of a classified document in its audit chain', async () => {
    const url = org.server.url;
    const secret = await call<DocumentView>(url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '涉密测试', secrecy: { level: 'secret', period: '1年' } } });
    const open = await call<DocumentView>(url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '公开测试' } });
    await get('wang', `/api/documents/${secret.body.id}`);
    await getPdf(org, 'zhao', secret.body.id);
    await get('wang', `/api/documents/${open.body.id}`);
    const secretAudit = (await get('li', `/api/documents/${secret.body.id}/audit`)).body as AuditResponse;
    expect(secretAudit.valid).toBe(true);
    expect(secretAudit.entries.filter((e) => e.action === 'access').map((e) => [e.actorName, e.payload])).toEqual([
      ['王建国', { what: 'view' }],
      ['赵敏', { what: 'pdf' }],
    ]);
    const openAudit = (await get('li', `/api/documents/${open.body.id}/audit`)).body as AuditResponse;
    expect(openAudit.entries.map((e) => e.action)).toEqual(['create']);
    expect(pdfText((await getPdf(org, 'li', secret.body.id)).bytes)).toContain('秘密★1年');
  });

  it('tells a waiting client what changed for them (long-poll change feed)', async () => {
    const url = org.server.url;
    const start = (await get('wang', '/api/documents/changes')).body as ChangesResponse;
    expect(start).toMatchObject({ documents: [], exchange: [] });
    const chenStart = (await get('chen', '/api/documents/changes')).body as ChangesResponse;
    // wang waits; li's 提交 wakes him with the document to refetch.
    const waiting = get('wang', `/api/documents/changes?since=${start.cursor}&wait=20`);
    const created = await call<DocumentView>(url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '实时更新测试' } });
    await act(org, 'li', created.body.id, { action: 'submit', to: [uid('wang')] });
    const woke = (await waiting).body as ChangesResponse;
    expect(woke.documents).toContain(created.body.id);
    expect(woke.cursor).toBeGreaterThan(start.cursor);
    // Another unit hears nothing of it.
    const quiet = (await get('chen', `/api/documents/changes?since=${chenStart.cursor}&wait=0`)).body as ChangesResponse;
    expect(quiet.documents).not.toContain(created.body.id);
    // Nothing new since the last cursor: an immediate answer with wait=0, same cursor back.
    const later = (await get('wang', `/api/documents/changes?since=${woke.cursor}`)).body as ChangesResponse;
    expect(later.documents.filter((d) => d === created.body.id)).toEqual([]);
    expect((await get('wang', '/api/documents/changes?wait=99')).status).toBe(400);
  });

  it('pages lists with a cursor', async () => {
    const url = org.server.url;
    for (let i = 0; i < 3; i++) await call(url, 'POST', '/api/documents', { token: org.tokens.sun!, json: { kind: 'outgoing', title: `分页测试${i}` } });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = (await get('sun', `/api/documents?box=drafts&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body as DocumentListResponse;
      seen.push(...res.items.map((i) => i.title));
      cursor = res.next;
      if (!cursor) break;
    }
    expect(seen).toEqual(['分页测试2', '分页测试1', '分页测试0']);
    expect((await get('sun', '/api/documents?box=drafts&q=测试1')).body).toMatchObject({ items: [{ title: '分页测试1' }] });
    expect((await get('sun', '/api/documents?box=nope')).status).toBe(400);
    expect((await get('sun', '/api/documents?box=drafts&cursor=garbage')).status).toBe(400);
  });

  it('opens the doc: room to readers, for writing only to the current holder', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '协同编辑' } });
    const rooms = org.server.deps.rooms;
    const user = async (username: string) => (await org.server.deps.accounts.userByUsername(username))!;
    expect(await rooms.authorize(await user('li'), `doc:${created.body.id}`)).toBe('write');
    expect(await rooms.authorize(await user('wang'), `doc:${created.body.id}`)).toBe('read');
    expect(await rooms.authorize(await user('chen'), `doc:${created.body.id}`)).toBe('none');
    expect(await rooms.authorize(await user('li'), 'doc:missing')).toBe('none');
    expect(OFFICE).toBe('unit-szfb');
  });
});
