/**
 * Tracked revisions on a real server: li drafts a body over a y-websocket provider and submits it;
 * wang changes a sentence at 签发 and returns it; the versions list both steps, the revisions show
 * the change attributed to 王建国 (his Yjs client, recorded by the sync service), li — the holder
 * again — may 接受 / 拒绝 while wang may not, someone of another unit may not even read them, and
 * the marked-up PDF carries the text. A raw client claiming to be 王建国 in presence appears as itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { DocumentView } from '../../src/shared/http/documents';
import { BodyVersionListSchema, RevisionsResponseSchema } from '../../src/shared/http/revisions';
import { awarenessMessage, connectProvider, nameOf, rawClient, waitFor, waitSynced } from '../sync/helpers';
import { lexicalParagraphs } from '../../src/sync-server/documents/roomBody';
import { act, call, pgSchema, startOrg, uid, type Org } from '../documents/helpers';
import { addParagraph, paragraphsOf, replaceIn } from './lexicalDoc';

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('tracked revisions on $store', ({ postgresUrl }) => {
  let org: Org;
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    org = await startOrg(postgresUrl ? { postgresUrl } : {});
  });
  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    await org.server.stop();
  });
  const syncUrl = () => `${org.server.url.replace('http', 'ws')}/sync`;
  async function open(who: string, id: string): Promise<WebsocketProvider> {
    const provider = connectProvider(syncUrl(), `doc:${id}`, org.tokens[who]!);
    providers.push(provider);
    await waitSynced(provider);
    return provider;
  }
  const get = <T>(who: string, path: string) => call<T>(org.server.url, 'GET', path, { token: org.tokens[who]! });

  it('li drafts, wang changes a sentence at 签发 and returns it; li sees it attributed and decides', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '关于修订测试的通知' } });
    const id = created.body.id;
    const li = await open('li', id);
    addParagraph(li.doc, '一、各单位要认真组织自查。');
    addParagraph(li.doc, '二、请于月底前报送。');
    // wang (same unit) may read the draft: once his copy has li's text, the server has it too.
    const wang = await open('wang', id);
    await waitFor(() => paragraphsOf(wang.doc).length === 2, 'wang has li’s body');
    expect((await act(org, 'li', id, { action: 'submit', to: [uid('wang')] })).body.state).toBe('signoff');
    replaceIn(paragraphsOf(wang.doc)[0]!, '认真组织', '全面开展');
    await waitFor(() => lexicalParagraphs(li.doc)[0]?.includes('全面开展') === true, 'li sees wang’s edit relayed');
    const returned = await act(org, 'wang', id, { action: 'return', reason: '请按修改意见调整' });
    expect(returned.body.state).toBe('draft');

    const versions = BodyVersionListSchema.parse((await get('li', `/api/documents/${id}/versions`)).body).versions;
    expect(versions.map((v) => [v.seq, v.step, v.actorName])).toEqual([
      [1, 'draft', '李文'],
      [2, 'signoff', '王建国'],
    ]);

    const revisions = RevisionsResponseSchema.parse((await get('li', `/api/documents/${id}/revisions?from=${versions[0]!.id}&to=${versions[1]!.id}`)).body);
    expect(revisions.mayDecide).toBe(true);
    const changed = revisions.paragraphs[0]!.segments.filter((s) => s.kind !== 'same');
    expect(changed.map((s) => [s.kind, s.text, s.personName])).toEqual([
      ['delete', '认真组织', '王建国'],
      ['insert', '全面开展', '王建国'],
    ]);
    expect(revisions.paragraphs[1]!.kind).toBe('same');

    // Against the current body (to defaults to current): the same change.
    const current = RevisionsResponseSchema.parse((await get('li', `/api/documents/${id}/revisions?from=${versions[0]!.id}`)).body);
    expect(current.paragraphs[0]!.segments.filter((s) => s.kind === 'insert').map((s) => s.personName)).toEqual(['王建国']);

    // wang no longer holds it: he may read the revisions but not decide; chen of another unit may not read them.
    const wangView = RevisionsResponseSchema.parse((await get('wang', `/api/documents/${id}/revisions?from=${versions[0]!.id}&to=${versions[1]!.id}`)).body);
    expect(wangView.mayDecide).toBe(false);
    const decision = { changeIds: [changed[1]!.changeId!], decision: 'accepted' };
    expect((await call(org.server.url, 'POST', `/api/documents/${id}/revisions/decisions`, { token: org.tokens.wang!, json: decision })).status).toBe(403);
    expect((await get('chen', `/api/documents/${id}/versions`)).status).toBe(403);
    expect((await get('chen', `/api/documents/${id}/revisions?from=${versions[0]!.id}`)).status).toBe(403);
    expect((await get('li', `/api/documents/${id}/revisions?from=nope`)).status).toBe(404);
    expect((await get('li', `/api/documents/${id}/revisions?from=${versions[1]!.id}&to=${versions[0]!.id}`)).status).toBe(400);
    expect((await call(org.server.url, 'POST', `/api/documents/${id}/revisions/decisions`, { token: org.tokens.li!, json: { changeIds: ['x'], decision: 'accepted' } })).status).toBe(400);

    expect((await call(org.server.url, 'POST', `/api/documents/${id}/revisions/decisions`, { token: org.tokens.li!, json: decision })).status).toBe(200);
    const after = RevisionsResponseSchema.parse((await get('li', `/api/documents/${id}/revisions?from=${versions[0]!.id}&to=${versions[1]!.id}`)).body);
    expect(after.paragraphs[0]!.segments.find((s) => s.kind === 'insert')!.decision).toBe('accepted');

    const pdf = await fetch(`${org.server.url}/api/documents/${id}/revisions/pdf?from=${versions[0]!.id}&to=${versions[1]!.id}`, { headers: { authorization: `Bearer ${org.tokens.li!}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('修订痕迹：关于修订测试的通知');
    expect(text).toContain('一、各单位要认真组织全面开展自查。');
    expect(text).toContain('王建国插入“全面开展”（已接受）');
    expect((await fetch(`${org.server.url}/api/documents/${id}/revisions/pdf?from=${versions[0]!.id}`, { headers: { authorization: `Bearer ${org.tokens.chen!}` } })).status).toBe(403);
  });

  it('a raw client announcing itself as 王建国 appears as the signed-in 李文', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '在场冒名测试' } });
    const id = created.body.id;
    const watcher = await open('li', id);
    const { ws } = await rawClient(`${syncUrl()}/doc:${id}?token=${org.tokens.li!}`);
    try {
      ws.send(awarenessMessage(424242, 1, { user: { id: uid('wang'), name: '王建国', color: '#000000' }, name: '王建国', color: '#000000', anchorPos: null }));
      await waitFor(() => nameOf(watcher, 424242) !== undefined, 'the raw client’s presence arrives');
      const state = watcher.awareness.getStates().get(424242) as { user: { id: string; name: string }; name: string; color: string };
      expect(state.user).toMatchObject({ id: uid('li'), name: '李文' });
      expect(state.name).toBe('李文');
      expect(state.color).not.toBe('#000000');
    } finally {
      ws.terminate();
    }
  });
});

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'xt-revisions-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), bytes);
    return execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
