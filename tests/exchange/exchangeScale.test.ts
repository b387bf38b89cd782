/**
 * Issue 20 at the server: what arrives is verified at both ends (有效 / 无效 / 已撤销 / 不受信任), 分发
 * and 签收 refuse what does not verify, CRLs are loaded and refuse replays, dispatch reaches 50 units
 * in one action, 催收 by the sender and by the server once overdue, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrl, createOrganisationCa } from '../../src/signing';
import type { ExchangeItem } from '../../src/shared/http/documents';
import type { ExchangeVerification } from '../../src/shared/http/exchange';
import { wordError } from '../../src/shared/errors';
import { loadCrl } from '../../src/sync-server/exchange/crlStore';
import { ExchangeService } from '../../src/sync-server/exchange/service';
import { DocumentService } from '../../src/sync-server/documents/service';
import { act, call, draftToNumbering, getPdf, NDRC, pgSchema, putPdf, sealPdf } from '../documents/helpers';
import { box, exchangeAct, sealedDocument, startCaOrg, type CaOrg } from './helpers';

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('exchange at scale on $store', ({ postgresUrl }) => {
  let org: CaOrg;
  let clock = Date.now();
  beforeAll(async () => {
    // 平件 within one hour here, so moving the clock two hours makes an item overdue (tokens live 8 h).
    org = await startCaOrg({ ...(postgresUrl ? { postgresUrl } : {}), now: () => clock, exchange: { deadlines: { normal: { hours: 1 } } } });
  });
  afterAll(async () => {
    await org.server.stop();
  });
  const verification = (username: string, id: string) => call<ExchangeVerification>(org.server.url, 'GET', `/api/exchange/${id}/verification`, { token: org.tokens[username]! });
  const incomingFor = async (documentId: string): Promise<ExchangeItem> => (await box(org, 'chen', 'incoming')).find((i) => i.documentId === documentId)!;

  it('shows 有效 with the signer and unit at both ends, and 签收 records the check', async () => {
    const id = await sealedDocument(org, '关于验证签章的通知');
    expect((await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC] })).status).toBe(200);
    const item = await incomingFor(id);
    for (const who of ['chen', 'zhao']) {
      const seen = await verification(who, item.id);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ exchangeId: item.id, verdict: 'valid', problems: [], crlCount: 0 });
      expect(seen.body.signatures).toEqual([expect.objectContaining({ index: 1, verdict: 'valid', signerName: '赵敏', unitName: '市政府办公室', onlySignaturesAppended: true, problems: [] })]);
    }
    expect(item).toMatchObject({ status: 'pending', overdue: false });
    expect(Date.parse(item.dueAt!) - Date.parse(item.sentAt)).toBe(3_600_000);
    const received = await exchangeAct(org, 'chen', item.id, { action: 'receive' });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ status: 'received', handledByName: '陈静', signForMinutes: 0 });
  });

  it('refuses 签收 of a document altered in the store after sealing, says why, and still lets it be returned', async () => {
    const id = await sealedDocument(org, '关于被改动文件的通知');
    await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC] });
    const item = await incomingFor(id);
    // Someone with access to the store changes a byte of the sealed PDF, keeping its file name (digest).
    const row = await org.server.deps.db.get<{ pdf_sha256: string }>('SELECT pdf_sha256 FROM exchange_items WHERE id = ?', [item.id]);
    const blob = await org.server.deps.db.get<{ bytes: Buffer }>('SELECT bytes FROM document_blobs WHERE sha256 = ?', [row!.pdf_sha256]);
    const altered = Buffer.from(blob!.bytes);
    altered[300] = altered[300]! ^ 1;
    await org.server.deps.db.run('UPDATE document_blobs SET bytes = ? WHERE sha256 = ?', [altered, row!.pdf_sha256]);

    const seen = await verification('chen', item.id);
    expect(seen.body.verdict).toBe('invalid');
    expect(seen.body.problems[0]).toContain('存储的文件被改动过');
    expect(seen.body.signatures[0]).toMatchObject({ verdict: 'invalid', signerName: '赵敏' });
    expect(seen.body.signatures[0]!.problems).toContain('签章后文件内容被改动');
    // Each problem comes with its key too, so the English interface words it (the zh list stays for older clients).
    expect(seen.body.problemTexts?.[0]).toEqual({ key: 'verification.fileAltered', message: seen.body.problems[0] });
    expect(wordError(seen.body.problemTexts![0]!, 'en')).toBe('The file does not match its digest at dispatch: the stored file was changed');
    expect(seen.body.signatures[0]!.problemTexts?.map((text) => text.message)).toEqual(seen.body.signatures[0]!.problems);
    expect(seen.body.signatures[0]!.problemTexts?.map((text) => text.key)).toContain('verification.digest');
    const refused = await exchangeAct(org, 'chen', item.id, { action: 'receive' });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.message).toContain('签章验证未通过，不能签收');
    expect((await incomingFor(id)).status).toBe('pending');
    const back = await exchangeAct(org, 'chen', item.id, { action: 'return', reason: '签章无效' });
    expect(back.body).toMatchObject({ status: 'returned', reason: '签章无效' });
  });

  it('loads a CRL only from a trusted issuer, never an older one, and shows a revoked signer as 已撤销 everywhere', async () => {
    const id = await sealedDocument(org, '关于证书吊销的通知');
    const second = await sealedDocument(org, '关于吊销后分发的通知');
    await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC] });
    const item = await incomingFor(id);
    const { db, accounts } = org.server.deps;

    const stranger = createOrganisationCa({ name: '别的组织' });
    const foreign = createCrl({ caCertificatePem: stranger.certificatePem, caPrivateKeyPem: stranger.privateKeyPem, revoked: [], crlNumber: 1 });
    await expect(loadCrl(db, accounts, foreign, 'test', clock)).rejects.toThrow('不是服务器信任的根证书签发的');
    await expect(loadCrl(db, accounts, 'not a crl', 'test', clock)).rejects.toThrow('不是可读的证书吊销列表');

    const older = createCrl({ caCertificatePem: org.ca.certificatePem, caPrivateKeyPem: org.ca.privateKeyPem, revoked: [], crlNumber: 1, thisUpdate: new Date(clock - 3_600_000) });
    const revoking = createCrl({
      caCertificatePem: org.ca.certificatePem,
      caPrivateKeyPem: org.ca.privateKeyPem,
      revoked: [{ serialHex: org.serials.zhao!, revokedAt: new Date(clock - 1000) }],
      crlNumber: 2,
      thisUpdate: new Date(clock - 1000),
    });
    expect(await loadCrl(db, accounts, older, 'test', clock)).toMatchObject({ revokedCount: 0, replaced: false });
    expect(await loadCrl(db, accounts, revoking, 'test', clock)).toMatchObject({ revokedCount: 1, replaced: true });
    await expect(loadCrl(db, accounts, older, 'test', clock)).rejects.toThrow('不能用旧的替换');

    for (const who of ['chen', 'zhao']) {
      const seen = await verification(who, item.id);
      expect(seen.body).toMatchObject({ verdict: 'revoked', crlCount: 1 });
      expect(seen.body.signatures[0]).toMatchObject({ verdict: 'revoked', signerName: '赵敏', problems: ['签章证书已被吊销'] });
    }
    const refused = await exchangeAct(org, 'chen', item.id, { action: 'receive' });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.message).toContain('签章证书已被吊销');
    // The sending side cannot send out a document under a revoked seal either.
    const dispatch = await act(org, 'zhao', second, { action: 'dispatch', units: [NDRC] });
    expect(dispatch.status).toBe(422);
    expect(dispatch.body.error?.message).toContain('签章验证未通过，不能分发');
    expect((await call(org.server.url, 'GET', `/api/documents/${second}`, { token: org.tokens.zhao! })).body).toMatchObject({ state: 'dispatching' });
    // Nor seal anything new with it.
    const third = await draftToNumbering(org, '关于吊销后用印的通知');
    await act(org, 'zhao', third, { action: 'number' });
    const pdf = await getPdf(org, 'zhao', third);
    const upload = await putPdf(org, 'zhao', third, await sealPdf(pdf.bytes, org.p12.zhao!, pdf.placement!, '市政府办公室'));
    expect(upload.status).toBe(422);
    expect(upload.body.error?.message).toContain('revoked');
    await db.run('DELETE FROM exchange_crls');
  });

  it('dispatches to 50 units in one action, each its own item, and the sender takes back one or all not yet signed for', async () => {
    const units: string[] = [];
    for (let i = 1; i <= 50; i += 1) units.push((await org.server.deps.accounts.ensureUnit(`测试${i}区人民政府`, `测${i}`)).id);
    const id = await sealedDocument(org, '关于五十个单位的通知');
    const sent = await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC, ...units] });
    expect(sent.status).toBe(200);
    expect(sent.body.receipts).toHaveLength(51);
    const outgoing = (await box(org, 'zhao', 'outgoing')).filter((i) => i.documentId === id);
    expect(new Set(outgoing.map((i) => i.toUnitId))).toEqual(new Set([NDRC, ...units]));
    expect(new Set(outgoing.map((i) => i.id)).size).toBe(51);
    // Signed for by one; 撤回 of the rest, one by one as the client's 全部撤回 does; the signed one stays.
    const ndrc = outgoing.find((i) => i.toUnitId === NDRC)!;
    expect((await exchangeAct(org, 'chen', ndrc.id, { action: 'receive' })).status).toBe(200);
    expect((await exchangeAct(org, 'zhao', ndrc.id, { action: 'withdraw' })).status).toBe(409);
    for (const item of outgoing.filter((i) => i.toUnitId !== NDRC)) expect((await exchangeAct(org, 'zhao', item.id, { action: 'withdraw' })).body.status).toBe('withdrawn');
    const after = (await box(org, 'zhao', 'outgoing')).filter((i) => i.documentId === id);
    expect(after.filter((i) => i.status === 'withdrawn')).toHaveLength(50);
    expect(after.find((i) => i.id === ndrc.id)).toMatchObject({ status: 'received', handledByName: '陈静' });
  });

  it('flags an item overdue after its deadline; 催收 by the sender, and by the server once per deadline', async () => {
    const id = await sealedDocument(org, '关于催收的通知');
    await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC] });
    const item = await incomingFor(id);
    expect(item.overdue).toBe(false);
    expect((await exchangeAct(org, 'chen', item.id, { action: 'remind' })).status).toBe(403);
    const chased = await exchangeAct(org, 'zhao', item.id, { action: 'remind' });
    expect(chased.body).toMatchObject({ reminderCount: 1 });

    clock += 2 * 3_600_000;
    expect(await incomingFor(id)).toMatchObject({ overdue: true, reminderCount: 1 });
    const service = new ExchangeService(org.server.deps, new DocumentService(org.server.deps));
    expect(await service.remindOverdue(clock)).toContain(item.id);
    expect(await service.remindOverdue(clock + 60_000)).not.toContain(item.id);
    expect(await incomingFor(id)).toMatchObject({ overdue: true, reminderCount: 2 });
    const audit = (await call<{ entries: { action: string; actorName: string }[] }>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.zhao! })).body;
    expect(audit.entries.filter((e) => e.action === 'exchange.remind').map((e) => e.actorName)).toEqual(['赵敏', '系统']);
    const received = await exchangeAct(org, 'chen', item.id, { action: 'receive' });
    expect(received.body).toMatchObject({ status: 'received', overdue: false, signForMinutes: 120 });
  });
});
