/** Helpers of the documents API tests: a real server, people's certificates, signing a served PDF. */
import { createOrganisationCa, issuePersonCertificate, openPkcs12Signer, signPdf } from '../../src/signing';
import type { DocumentView } from '../../src/shared/http/documents';
import { call, login, startTestServer, type TestServer } from '../server/helpers';

export { call, login, pgSchema, startTestServer, type TestServer } from '../server/helpers';

export const OFFICE = 'unit-szfb';
export const NDRC = 'unit-sfgw';
export const uid = (username: string) => `user-${username}`;

export interface Org {
  server: TestServer;
  tokens: Record<string, string>;
  /** PKCS#12 per username (only those asked for), password demo1234. */
  p12: Record<string, Buffer>;
}

/** A server with the demo organisation, a trusted CA, and certificates for `certified` people. */
export async function startOrg(options: { postgresUrl?: string; certified?: Record<string, string> } = {}): Promise<Org> {
  const server = await startTestServer(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {});
  const ca = createOrganisationCa({ name: '测试组织' });
  await server.deps.accounts.addTrustedRoot('测试根证书', ca.certificatePem);
  const p12: Record<string, Buffer> = {};
  for (const [username, [name, unit]] of Object.entries(options.certified ?? {}).map(([u, v]) => [u, v.split('|')] as const)) {
    p12[username] = issuePersonCertificate({ ca, commonName: name!, unit: unit!, password: 'demo1234' }).p12;
  }
  const tokens: Record<string, string> = {};
  for (const username of ['admin', 'wang', 'li', 'zhao', 'chen', 'liu', 'sun']) tokens[username] = await login(server.url, username);
  return { server, tokens, p12 };
}

export async function act(org: Org, username: string, id: string, body: Record<string, unknown>) {
  return call<DocumentView & { error?: { code: string; message: string } }>(org.server.url, 'POST', `/api/documents/${id}/actions`, { token: org.tokens[username]!, json: body });
}

export async function getPdf(org: Org, username: string, id: string): Promise<{ status: number; bytes: Buffer; placement: Record<string, number> | null }> {
  const response = await fetch(`${org.server.url}/api/documents/${id}/pdf`, { headers: { authorization: `Bearer ${org.tokens[username]!}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const header = response.headers.get('x-seal-placement');
  return { status: response.status, bytes, placement: header ? (JSON.parse(header) as Record<string, number>) : null };
}

/** Signs `pdf` with `p12` at the placement the server gave (as the client's signing service does). */
export async function sealPdf(pdf: Buffer, p12: Buffer, placement: Record<string, number>, unitName: string): Promise<Buffer> {
  const signer = openPkcs12Signer(p12, 'demo1234');
  return signPdf(pdf, signer, {
    reason: '用印',
    appearance: {
      page: placement.pageNumber!,
      x: placement.xMm!,
      y: placement.yMm!,
      width: placement.diameterMm!,
      height: placement.diameterMm!,
      graphic: { type: 'officialSeal', unitName },
    },
  });
}

export async function putPdf(org: Org, username: string, id: string, bytes: Buffer) {
  return call<DocumentView & { error?: { code: string; message: string } }>(org.server.url, 'PUT', `/api/documents/${id}/pdf`, {
    token: org.tokens[username]!,
    body: bytes,
    headers: { 'content-type': 'application/pdf' },
  });
}

/** Drafts a 通知 as li addressed to the NDRC and takes it through 签发 (wang) to 编号. */
export async function draftToNumbering(org: Org, title = '关于开展安全生产检查的通知'): Promise<string> {
  const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
    token: org.tokens.li!,
    json: {
      kind: 'outgoing',
      type: 'notice',
      title,
      body: '各有关单位要认真开展安全生产检查。\n一、检查范围。全市各类生产经营单位。',
      mainRecipients: [{ unitId: NDRC, name: '市发展和改革委员会' }],
      writtenDate: '2026-11-22',
    },
  });
  if (created.status !== 201) throw new Error(`create failed ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  const submitted = await act(org, 'li', id, { action: 'submit', to: [uid('wang')] });
  if (submitted.status !== 200) throw new Error(`submit failed ${JSON.stringify(submitted.body)}`);
  const approved = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意印发' } });
  if (approved.status !== 200) throw new Error(`approve failed ${JSON.stringify(approved.body)}`);
  return id;
}
