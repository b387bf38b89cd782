/** Helpers of the exchange tests: an organisation whose CA the test keeps (to revoke and publish CRLs). */
import { createOrganisationCa, issuePersonCertificate, type CertificateAuthority } from '../../src/signing';
import type { ServerOptions } from '../../src/sync-server/index';
import type { ExchangeItem } from '../../src/shared/http/documents';
import { act, call, draftToNumbering, getPdf, login, putPdf, sealPdf, startTestServer, type Org } from '../documents/helpers';

export interface CaOrg extends Org {
  ca: CertificateAuthority;
  /** Serial (hex) of each certified person's certificate. */
  serials: Record<string, string>;
}

/** A server with the demo organisation, a CA it trusts, and certificates for zhao (and li). */
export async function startCaOrg(options: Partial<ServerOptions> = {}): Promise<CaOrg> {
  const server = await startTestServer(options);
  const ca = createOrganisationCa({ name: '测试组织' });
  await server.deps.accounts.addTrustedRoot('测试根证书', ca.certificatePem);
  const p12: Record<string, Buffer> = {};
  const serials: Record<string, string> = {};
  for (const [username, name, unit] of [['zhao', '赵敏', '市政府办公室'], ['li', '李文', '市政府办公室']] as const) {
    const issued = issuePersonCertificate({ ca, commonName: name, unit, password: 'demo1234' });
    p12[username] = issued.p12;
    serials[username] = issued.serialHex;
  }
  const tokens: Record<string, string> = {};
  for (const username of ['admin', 'wang', 'li', 'zhao', 'chen', 'liu', 'sun']) tokens[username] = await login(server.url, username);
  return { server, tokens, p12, ca, serials };
}

/** Drafts, signs off, numbers and seals a 通知 with zhao's certificate; resolves to its id (state 分发). */
export async function sealedDocument(org: Org, title: string): Promise<string> {
  const id = await draftToNumbering(org, title);
  const numbered = await act(org, 'zhao', id, { action: 'number' });
  if (numbered.status !== 200) throw new Error(`number failed ${JSON.stringify(numbered.body)}`);
  const pdf = await getPdf(org, 'zhao', id);
  const uploaded = await putPdf(org, 'zhao', id, await sealPdf(pdf.bytes, org.p12.zhao!, pdf.placement!, '市政府办公室'));
  if (uploaded.status !== 200) throw new Error(`seal upload failed ${JSON.stringify(uploaded.body)}`);
  const sealed = await act(org, 'zhao', id, { action: 'seal' });
  if (sealed.status !== 200) throw new Error(`seal failed ${JSON.stringify(sealed.body)}`);
  return id;
}

/** The caller's exchange box. */
export async function box(org: Org, username: string, which: 'incoming' | 'outgoing'): Promise<ExchangeItem[]> {
  return (await call<{ items: ExchangeItem[] }>(org.server.url, 'GET', `/api/exchange?box=${which}`, { token: org.tokens[username]! })).body.items;
}

export async function exchangeAct(org: Org, username: string, id: string, body: Record<string, unknown>) {
  return call<ExchangeItem & { error?: { code: string; message: string } }>(org.server.url, 'POST', `/api/exchange/${id}/actions`, { token: org.tokens[username]!, json: body });
}
