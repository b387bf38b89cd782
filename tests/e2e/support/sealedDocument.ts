/**
 * A sealed 通知 of 市政府办公室 made through the server's HTTP API, as the 发文 flow makes it: li drafts
 * it to 市发展和改革委员会, wang signs it off, zhao numbers it and seals it with his demo certificate
 * (the signature the client's 用印 makes), so it waits in zhao's 待办 for 分发.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPkcs12Signer, signPdf } from '../../../src/signing';

async function send(url: string, init: { method?: string; token?: string; json?: unknown; body?: Buffer; type?: string }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.type) headers['content-type'] = init.type;
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body ? new Uint8Array(init.body) : undefined });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

export async function loginAs(serverUrl: string, username: string): Promise<string> {
  const response = await send(`${serverUrl}/api/auth/login`, { method: 'POST', json: { username, password: 'demo1234' } });
  return ((await response.json()) as { token: string }).token;
}

/** Creates, signs off, numbers and seals a 通知; resolves to its id (state 分发, held by zhao). */
export async function createSealedNotice(serverUrl: string, serverData: string, title: string): Promise<string> {
  const [li, wang, zhao] = [await loginAs(serverUrl, 'li'), await loginAs(serverUrl, 'wang'), await loginAs(serverUrl, 'zhao')];
  const act = (token: string, id: string, json: unknown) => send(`${serverUrl}/api/documents/${id}/actions`, { method: 'POST', token, json });
  const created = (await (
    await send(`${serverUrl}/api/documents`, {
      method: 'POST',
      token: li,
      json: { kind: 'outgoing', type: 'notice', title, body: '请各单位认真贯彻执行。', mainRecipients: [{ unitId: 'unit-sfgw', name: '市发展和改革委员会' }] },
    })
  ).json()) as { id: string };
  const id = created.id;
  await act(li, id, { action: 'submit', to: ['user-wang'] });
  await act(wang, id, { action: 'approve', opinion: { text: '同意印发' } });
  await act(zhao, id, { action: 'number' });
  const pdf = await send(`${serverUrl}/api/documents/${id}/pdf`, { token: zhao });
  const placement = JSON.parse(pdf.headers.get('x-seal-placement') ?? '{}') as Record<string, number>;
  const bytes = Buffer.from(await pdf.arrayBuffer());
  const signer = openPkcs12Signer(readFileSync(join(serverData, 'demo', 'certs', 'zhao.p12')), 'demo1234');
  const sealed = await signPdf(bytes, signer, {
    reason: '用印',
    appearance: {
      page: placement.pageNumber!,
      x: placement.xMm!,
      y: placement.yMm!,
      width: placement.diameterMm!,
      height: placement.diameterMm!,
      graphic: { type: 'officialSeal', unitName: '市政府办公室' },
    },
  });
  signer.close();
  await send(`${serverUrl}/api/documents/${id}/pdf`, { method: 'PUT', token: zhao, body: Buffer.from(sealed), type: 'application/pdf' });
  await act(zhao, id, { action: 'seal' });
  return id;
}

/** 分发 through the API (for the items the spec does not dispatch through the UI). */
export async function dispatchTo(serverUrl: string, id: string, units: string[]): Promise<void> {
  const zhao = await loginAs(serverUrl, 'zhao');
  await send(`${serverUrl}/api/documents/${id}/actions`, { method: 'POST', token: zhao, json: { action: 'dispatch', units } });
}
