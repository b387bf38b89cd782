/**
 * A 发文 with a three-page PDF (GB/T 9704: ten paragraphs of two long sentences), made by li through
 * the server's HTTP API and submitted to wang for 签发, so wang finds it in 待办. Used by the preview
 * spec and the preview benchmark.
 */

const paragraph = '为切实做好有关工作，确保各项措施落实到位，经研究，现就有关事项通知如下，请结合实际认真贯彻执行。';

/** The body: three pages once laid out (checked by the callers through the preview's page count). */
export const threePageBody = Array.from({ length: 10 }, (_, i) => `${i % 4 === 0 ? '一、' : ''}${paragraph.repeat(2)}`).join('\n');

async function send(url: string, init: RequestInit & { token?: string; json?: unknown }): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: init.method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** Creates the document on the server at `serverUrl` and hands it to wang; returns its id. */
export async function createThreePageDocument(serverUrl: string, title: string): Promise<string> {
  const { token } = (await send(`${serverUrl}/api/auth/login`, { method: 'POST', json: { username: 'li', password: 'demo1234' } })) as { token: string };
  const created = (await send(`${serverUrl}/api/documents`, { method: 'POST', token, json: { kind: 'outgoing', title, body: threePageBody } })) as { id: string };
  await send(`${serverUrl}/api/documents/${encodeURIComponent(created.id)}/actions`, { method: 'POST', token, json: { action: 'submit', to: ['user-wang'], opinion: { text: '请审签' } } });
  return created.id;
}
