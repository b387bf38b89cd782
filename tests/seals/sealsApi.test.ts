/**
 * The seal registry against a real server, on SQLite and on PostgreSQL: the demo seals, admin-only
 * management with reasons, certificate checks, and the entitlement a sealed PDF upload must pass —
 * with every accepted use in the 用印记录 and the document's audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createOrganisationCa, issueFromCaDirectory, issuePersonCertificate, openPkcs12Signer, signPdf } from '../../src/signing';
import type { DocumentView } from '../../src/shared/http/documents';
import { SealListResponseSchema, SealUsesResponseSchema, SealViewSchema, type SealView } from '../../src/shared/http/seals';
import { demoCertificatePaths } from '../../src/sync-server/demo/certificates';
import { call, login, pgSchema, startTestServer, type TestServer } from '../server/helpers';

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

function certificatePemOf(p12: Buffer): string {
  const signer = openPkcs12Signer(p12, 'demo1234');
  const der = signer.certificateChain[0]!;
  signer.close();
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

async function seal(pdf: Buffer, p12: Buffer, placement: Record<string, number>): Promise<Buffer> {
  const signer = openPkcs12Signer(p12, 'demo1234');
  return signPdf(pdf, signer, {
    reason: '用印',
    appearance: { page: placement.pageNumber!, x: placement.xMm!, y: placement.yMm!, width: placement.diameterMm!, height: placement.diameterMm!, graphic: { type: 'officialSeal', unitName: '市政府办公室' } },
  });
}

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('seal registry on $store', ({ postgresUrl }) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const p12 = (username: string) => readFileSync(demoCertificatePaths(server.dataDir).p12(username));
  const req = <T = Json>(username: string | null, method: string, path: string, json?: unknown) =>
    call<T>(server.url, method, path, { ...(username ? { token: tokens[username]! } : {}), ...(json !== undefined ? { json } : {}) });
  let officeSeal: SealView;

  beforeAll(async () => {
    server = await startTestServer({ demoCertificates: true, ...(postgresUrl ? { postgresUrl } : {}) });
    for (const username of ['admin', 'wang', 'li', 'zhao', 'chen']) tokens[username] = await login(server.url, username);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('gives each demo unit a 公章 bound to its clerk’s certificate and held by the clerk', async () => {
    const list = await req('zhao', 'GET', '/api/seals');
    expect(list.status).toBe(200);
    const items = SealListResponseSchema.parse(list.body).items;
    expect(items).toHaveLength(1);
    officeSeal = items[0]!;
    expect(officeSeal).toMatchObject({ name: '市政府办公室公章', kind: 'official', status: 'active', unitName: '市政府办公室', appearance: { type: 'officialSeal', unitName: '市政府办公室' } });
    expect(officeSeal.holders.map((h) => h.name)).toEqual(['赵敏']);
    expect(officeSeal.certificate.subject).toContain('赵敏');
    expect(officeSeal.certificate.serialHex).toBe(new X509Certificate(certificatePemOf(p12('zhao'))).serialNumber.replace(/^0+/, '').toUpperCase());

    const mine = SealListResponseSchema.parse((await req('zhao', 'GET', '/api/seals/mine')).body).items;
    expect(mine.map((s) => s.id)).toEqual([officeSeal.id]);
    expect(SealListResponseSchema.parse((await req('li', 'GET', '/api/seals/mine')).body).items).toEqual([]);

    const ndrc = SealListResponseSchema.parse((await req('chen', 'GET', '/api/seals')).body).items;
    expect(ndrc.map((s) => [s.name, s.holders.map((h) => h.name)])).toEqual([['市发展和改革委员会公章', ['陈静']]]);
    // Another unit's seal is not readable; without a token nothing is.
    expect((await req('chen', 'GET', `/api/seals/${officeSeal.id}`)).status).toBe(403);
    expect((await req('chen', 'GET', '/api/seals?unitId=unit-szfb')).status).toBe(403);
    expect((await req(null, 'GET', '/api/seals')).status).toBe(401);

    const appearance = await req('li', 'GET', `/api/seals/${officeSeal.id}/appearance`);
    expect(appearance.body).toEqual({ type: 'officialSeal', unitName: '市政府办公室' });
  });

  it('lets only admins create seals, and only with a trusted certificate of the unit', async () => {
    const input = { name: '市政府办公室合同专用章', kind: 'contract', bottomText: '合同专用章', certificatePem: certificatePemOf(p12('li')) };
    const byClerk = await req('zhao', 'POST', '/api/seals', input);
    expect(byClerk.status).toBe(403);
    expect(byClerk.body.error?.message).toBe('只有管理员可以新建印章');

    const foreignCa = createOrganisationCa({ name: '外来机构' });
    const foreign = issuePersonCertificate({ ca: foreignCa, commonName: '李文', unit: '市政府办公室', password: 'demo1234' });
    const untrusted = await req('admin', 'POST', '/api/seals', { ...input, certificatePem: foreign.certificatePem });
    expect(untrusted.status).toBe(422);
    expect(untrusted.body.error?.message).toContain('信任');

    const otherUnit = await req('admin', 'POST', '/api/seals', { ...input, certificatePem: certificatePemOf(p12('chen')) });
    expect(otherUnit.status).toBe(422);
    expect(otherUnit.body.error?.message).toContain('不属于市政府办公室');

    expect((await req('admin', 'POST', '/api/seals', { ...input, certificatePem: 'not a certificate' })).status).toBe(400);
    expect((await req('admin', 'POST', '/api/seals', { ...input, holders: ['user-chen'] })).status).toBe(422);
    expect((await req('admin', 'POST', '/api/seals', { ...input, name: '市政府办公室公章' })).status).toBe(409);

    const made = await req('admin', 'POST', '/api/seals', { ...input, holders: ['user-li'] });
    expect(made.status).toBe(201);
    const contract = SealViewSchema.parse(made.body);
    expect(contract).toMatchObject({ kind: 'contract', appearance: { type: 'officialSeal', bottomText: '合同专用章' }, holders: [{ name: '李文', grantedByName: '系统管理员' }] });
    expect(SealListResponseSchema.parse((await req('li', 'GET', '/api/seals/mine')).body).items.map((s) => s.name)).toEqual(['市政府办公室合同专用章']);
    expect(SealListResponseSchema.parse((await req('wang', 'GET', '/api/seals')).body).items).toHaveLength(2);
  });

  it('lets admins grant, revoke and disable, with reasons for everyone else', async () => {
    const byLeader = await req('wang', 'POST', `/api/seals/${officeSeal.id}/holders`, { userId: 'user-wang' });
    expect(byLeader.status).toBe(403);
    expect(byLeader.body.error?.message).toBe('只有管理员可以授权用印');
    expect((await req('admin', 'POST', `/api/seals/${officeSeal.id}/holders`, { userId: 'user-chen' })).status).toBe(422);
    expect((await req('admin', 'POST', `/api/seals/${officeSeal.id}/holders`, { userId: 'user-nobody' })).status).toBe(400);

    const granted = SealViewSchema.parse((await req('admin', 'POST', `/api/seals/${officeSeal.id}/holders`, { userId: 'user-wang' })).body);
    expect(granted.holders.map((h) => h.name)).toEqual(['赵敏', '王建国']);
    // Holders read the 用印记录; others of the unit do not.
    expect((await req('wang', 'GET', `/api/seals/${officeSeal.id}/uses`)).status).toBe(200);
    const liUses = await req('li', 'GET', `/api/seals/${officeSeal.id}/uses`);
    expect(liUses.status).toBe(403);
    expect(liUses.body.error?.message).toBe('只有管理员和印章持有人可以查看用印记录');

    const revoked = SealViewSchema.parse((await req('admin', 'DELETE', `/api/seals/${officeSeal.id}/holders/user-wang`)).body);
    expect(revoked.holders.map((h) => h.name)).toEqual(['赵敏']);
    expect((await req('admin', 'DELETE', `/api/seals/${officeSeal.id}/holders/user-wang`)).status).toBe(404);
    expect((await req('zhao', 'PATCH', `/api/seals/${officeSeal.id}`, { status: 'disabled' })).status).toBe(403);
    expect((await req('admin', 'PATCH', `/api/seals/${officeSeal.id}`, {})).status).toBe(400);
  });

  it('accepts a sealed PDF only through a held, active seal, and logs every use', async () => {
    const created = await req<DocumentView>('li', 'POST', '/api/documents', {
      kind: 'outgoing',
      type: 'notice',
      title: '关于做好印章管理工作的通知',
      body: '请各单位规范用印。',
      mainRecipients: [{ unitId: 'unit-sfgw', name: '市发展和改革委员会' }],
      writtenDate: '2026-11-22',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await req('li', 'POST', `/api/documents/${id}/actions`, { action: 'submit', to: ['user-wang'] })).status).toBe(200);
    expect((await req('wang', 'POST', `/api/documents/${id}/actions`, { action: 'approve', opinion: { text: '同意' } })).status).toBe(200);
    const numbered = await req<DocumentView>('zhao', 'POST', `/api/documents/${id}/actions`, { action: 'number' });
    expect(numbered.body.state).toBe('sealing');
    const response = await fetch(`${server.url}/api/documents/${id}/pdf`, { headers: { authorization: `Bearer ${tokens.zhao!}` } });
    const pdf = Buffer.from(await response.arrayBuffer());
    const placement = JSON.parse(response.headers.get('x-seal-placement')!) as Record<string, number>;
    const put = (bytes: Buffer) => call<Json>(server.url, 'PUT', `/api/documents/${id}/pdf`, { token: tokens.zhao!, body: bytes, headers: { 'content-type': 'application/pdf' } });

    // zhao's own, trusted certificate, but not the one bound to a seal.
    const spare = issueFromCaDirectory(demoCertificatePaths(server.dataDir).caDir, { commonName: '赵敏', unit: '市政府办公室', password: 'demo1234' });
    const unbound = await put(await seal(pdf, spare.p12, placement));
    expect(unbound.status).toBe(422);
    expect(unbound.body.error?.message).toContain('未绑定本单位的任何印章');

    const sealed = await seal(pdf, p12('zhao'), placement);
    // The bound seal, but zhao's grant was revoked: refused with the reason.
    expect((await req('admin', 'DELETE', `/api/seals/${officeSeal.id}/holders/user-zhao`)).status).toBe(200);
    const notHolder = await put(sealed);
    expect(notHolder.status).toBe(422);
    expect(notHolder.body.error?.message).toBe('您未获授权使用印章“市政府办公室公章”，请联系管理员');
    expect((await req('admin', 'POST', `/api/seals/${officeSeal.id}/holders`, { userId: 'user-zhao' })).status).toBe(200);

    // A disabled seal is refused, and 'mine' no longer offers it.
    expect(SealViewSchema.parse((await req('admin', 'PATCH', `/api/seals/${officeSeal.id}`, { status: 'disabled' })).body).status).toBe('disabled');
    expect(SealListResponseSchema.parse((await req('zhao', 'GET', '/api/seals/mine')).body).items).toEqual([]);
    const disabled = await put(sealed);
    expect(disabled.status).toBe(422);
    expect(disabled.body.error?.message).toBe('印章“市政府办公室公章”已停用，不能用印');
    expect((await req('admin', 'PATCH', `/api/seals/${officeSeal.id}`, { status: 'active' })).status).toBe(200);

    // Nothing refused left a trace in the log.
    expect(SealUsesResponseSchema.parse((await req('zhao', 'GET', `/api/seals/${officeSeal.id}/uses`)).body).items).toEqual([]);

    const accepted = await put(sealed);
    expect(accepted.status).toBe(200);
    const uses = SealUsesResponseSchema.parse((await req('zhao', 'GET', `/api/seals/${officeSeal.id}/uses`)).body);
    expect(uses.items).toHaveLength(1);
    expect(uses.items[0]).toMatchObject({
      documentId: id,
      documentTitle: '关于做好印章管理工作的通知',
      docNumber: numbered.body.docNumber,
      userName: '赵敏',
      signerSerialHex: officeSeal.certificate.serialHex,
      reason: '用印',
    });
    expect(uses.items[0]!.signatureDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(uses.next).toBeUndefined();

    const audit = await req<{ entries: { action: string; payload: Record<string, unknown> }[]; valid: boolean }>('zhao', 'GET', `/api/documents/${id}/audit`);
    expect(audit.body.valid).toBe(true);
    expect(audit.body.entries.find((e) => e.action === 'seal.use')?.payload).toMatchObject({ sealName: '市政府办公室公章', signatureDigest: uses.items[0]!.signatureDigest });

    // The log is append-only in the store itself.
    await expect(server.deps.db.run('UPDATE seal_uses SET user_name = ?', ['别人'])).rejects.toThrow(/append-only/);
    await expect(server.deps.db.run('DELETE FROM seal_uses', [])).rejects.toThrow(/append-only/);
  });

  it('pages the 用印记录 newest first', async () => {
    const sealId = officeSeal.id;
    const now = Date.now();
    await server.deps.db.transaction(async (tx) => {
      for (let i = 0; i < 5; i += 1) {
        await tx.run(
          'INSERT INTO seal_uses (seal_id, document_id, document_title, user_id, user_name, at, signer_serial_hex, signature_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [sealId, `doc-${i}`, `第${i}份`, 'user-zhao', '赵敏', now + i, officeSeal.certificate.serialHex, 'ab'.repeat(32)],
        );
      }
    });
    const first = SealUsesResponseSchema.parse((await req('admin', 'GET', `/api/seals/${sealId}/uses?limit=4`)).body);
    expect(first.items.map((u) => u.documentTitle)).toEqual(['第4份', '第3份', '第2份', '第1份']);
    const second = SealUsesResponseSchema.parse((await req('admin', 'GET', `/api/seals/${sealId}/uses?limit=4&before=${first.next!}`)).body);
    expect(second.items.map((u) => u.documentTitle)).toEqual(['第0份', '关于做好印章管理工作的通知']);
    expect(second.next).toBeUndefined();
  });
});
