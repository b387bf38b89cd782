/**
 * Issue 19 on a real server (SQLite and PostgreSQL): a draft created under the id its client chose
 * (offline drafting) is created once however often it is sent; 协同拟稿人 are chosen by the drafter
 * among the people of the unit, see the draft in 草稿, and may write its body while it is at 拟稿 —
 * an open socket gains and loses that right when the list or the step changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { AuditResponse, DocumentListResponse, DocumentView } from '../../src/shared/http/documents';
import { lexicalParagraphs } from '../../src/sync-server/documents/roomBody';
import { encodeSyncUpdate } from '../../src/sync-server/sync/protocol';
import { connectProvider, rawClient, waitFor, waitSynced } from '../sync/helpers';
import { act, call, pgSchema, startOrg, uid, type Org } from './helpers';

/** One new paragraph in @lexical/yjs's layout, as an update of a client of its own. */
function paragraphUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    const paragraph = new Y.XmlText();
    root.insertEmbed(0, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    const node = new Y.Map();
    paragraph.insertEmbed(0, node);
    node.set('__type', 'text');
    paragraph.insert(1, text);
  });
  return Y.encodeStateAsUpdate(doc);
}

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('offline drafting and 协同拟稿人 on $store', ({ postgresUrl }) => {
  let org: Org;
  const sockets: WebSocket[] = [];
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    org = await startOrg(postgresUrl ? { postgresUrl } : {});
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    for (const provider of providers) provider.destroy();
    await org.server.stop();
  });

  const req = <T = Json>(who: string, method: string, path: string, json?: unknown) =>
    call<T>(org.server.url, method, path, { token: org.tokens[who]!, ...(json !== undefined ? { json } : {}) });
  const syncUrl = () => `${org.server.url.replace('http', 'ws')}/sync`;
  const drafts = async (who: string) => (await req<DocumentListResponse>(who, 'GET', '/api/documents?box=drafts')).body.items.map((item) => item.id);

  it('a draft sent with its client-chosen id is created once; a repeat answers it, a stranger gets 409', async () => {
    const id = randomUUID();
    const body = { kind: 'outgoing', type: 'notice', title: '离线拟写的通知', id, clientId: randomUUID() };
    const first = await req<DocumentView>('li', 'POST', '/api/documents', body);
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(id);
    // The outbox resends after a lost answer (the same command, the same id): the same document, 200.
    const again = await req<DocumentView>('li', 'POST', '/api/documents', body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    expect(again.body.title).toBe('离线拟写的通知');
    // Both copies at once: still one.
    const racing = await Promise.all([req('li', 'POST', '/api/documents', body), req('li', 'POST', '/api/documents', body)]);
    expect(racing.map((r) => r.status)).toEqual([200, 200]);
    expect((await drafts('li')).filter((d) => d === id)).toHaveLength(1);
    const audit = (await req<AuditResponse>('li', 'GET', `/api/documents/${id}/audit`)).body;
    expect(audit.entries.filter((e) => e.action === 'create')).toHaveLength(1);
    expect(audit.valid).toBe(true);

    // Someone else presenting that id does not get the document.
    const stranger = await req('zhao', 'POST', '/api/documents', { ...body, title: '另一份' });
    expect(stranger.status).toBe(409);
    expect((await req<DocumentView>('li', 'GET', `/api/documents/${id}`)).body.title).toBe('离线拟写的通知');
    // An id that is not a UUID is refused, not stored.
    const bad = await req('li', 'POST', '/api/documents', { ...body, id: 'doc-1' });
    expect(bad.status).toBe(400);
  });

  it('协同拟稿人: the drafter names a colleague, who sees the draft and writes its body until 提交', async () => {
    const id = (await req<DocumentView>('li', 'POST', '/api/documents', { kind: 'outgoing', type: 'notice', title: '协同起草的通知' })).body.id;
    expect(await drafts('zhao')).not.toContain(id);

    const observer = connectProvider(syncUrl(), `doc:${id}`, org.tokens.li!);
    providers.push(observer);
    await waitSynced(observer);
    const seen = () => lexicalParagraphs(observer.doc).join('\n');
    // zhao's socket is open before she is named: read-only, her edit refused.
    const zhao = await rawClient(`${syncUrl()}/doc:${id}?token=${org.tokens.zhao!}`);
    sockets.push(zhao.ws);
    zhao.ws.send(encodeSyncUpdate(paragraphUpdate('赵敏未受邀时写的一句。')));
    await waitFor(() => zhao.denials.includes('update-refused'), 'zhao refused before being named');

    // Only the drafter may name them, only people of the unit, never the drafter.
    expect((await req('zhao', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: [uid('zhao')] })).status).toBe(403);
    const otherUnit = await req('li', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: [uid('chen')] });
    expect(otherUnit.status).toBe(400);
    expect(otherUnit.body.error?.message).toContain('陈静');
    expect((await req('li', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: [uid('li')] })).status).toBe(400);
    expect((await req('li', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: ['user-nobody'] })).status).toBe(400);

    const named = await req<DocumentView>('li', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: [uid('zhao')] });
    expect(named.status).toBe(200);
    expect(named.body.coDrafters).toEqual([{ id: uid('zhao'), name: '赵敏' }]);
    expect(await drafts('zhao')).toContain(id);
    expect((await req<DocumentListResponse>('zhao', 'GET', '/api/documents?box=outgoing')).body.items.map((i) => i.id)).toContain(id);
    expect(await drafts('wang')).not.toContain(id);
    const audit = (await req<AuditResponse>('li', 'GET', `/api/documents/${id}/audit`)).body;
    expect(audit.entries.some((e) => e.action === 'co-drafters')).toBe(true);

    // The same open socket may now write: re-decided without reconnecting.
    zhao.ws.send(encodeSyncUpdate(paragraphUpdate('赵敏协同起草的一句。')));
    await waitFor(() => seen().includes('赵敏协同起草的一句'), 'the co-drafter’s edit relayed');
    expect(seen()).not.toContain('未受邀');
    // wang, of the same unit but not named, still reads only.
    const wang = await rawClient(`${syncUrl()}/doc:${id}?token=${org.tokens.wang!}`);
    sockets.push(wang.ws);
    wang.ws.send(encodeSyncUpdate(paragraphUpdate('王建国拟稿时插话。')));
    await waitFor(() => wang.denials.includes('update-refused'), 'wang refused at 拟稿');

    // Taken off the list: read-only again, at once.
    const refusedBefore = zhao.denials.filter((d) => d === 'update-refused').length;
    expect((await req('li', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: [] })).status).toBe(200);
    zhao.ws.send(encodeSyncUpdate(paragraphUpdate('赵敏被移出后写的一句。')));
    await waitFor(() => zhao.denials.filter((d) => d === 'update-refused').length > refusedBefore, 'zhao refused once removed');
    expect(await drafts('zhao')).not.toContain(id);

    // Named again; after 提交 the body is no longer theirs (the step's holders only).
    expect((await req('li', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: [uid('zhao')] })).status).toBe(200);
    expect((await act(org, 'li', id, { action: 'submit', to: [uid('wang')] })).body.state).toBe('signoff');
    await waitFor(() => zhao.denials.includes('read-only'), 'zhao told read-only at 提交');
    expect((await req('li', 'PUT', `/api/documents/${id}/co-drafters`, { userIds: [] })).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen()).not.toContain('被移出后');
  });
});
