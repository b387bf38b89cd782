/**
 * Issue 15 / 19 end to end on a real server: write rights to a document's body follow the workflow at
 * every step. A socket opened while its person held the document is re-decided at each step change:
 * what it sends afterwards is neither stored nor relayed, and it is told; a reconnect replaying an
 * offline edit is refused the same way; the body approved at 签发 (拟办 for 收文) is fixed, its digest
 * audited, and the numbered and sealed PDF shows exactly that text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { AuditResponse, DocumentView } from '../../src/shared/http/documents';
import { lexicalParagraphs, readRoomBody } from '../../src/sync-server/documents/roomBody';
import { encodeSyncUpdate } from '../../src/sync-server/sync/protocol';
import { connectProvider, rawClient, waitFor, waitSynced } from '../sync/helpers';
import { act, call, getPdf, NDRC, pgSchema, putPdf, sealPdf, startOrg, uid, type Org } from './helpers';

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

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'xt-rights-'));
  try {
    writeFileSync(join(dir, 'd.pdf'), bytes);
    return execFileSync('pdftotext', [join(dir, 'd.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Socket {
  readonly who: string;
  readonly ws: WebSocket;
  readonly denials: string[];
}

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('body write rights follow the workflow on $store', ({ postgresUrl }) => {
  let org: Org;
  const sockets: WebSocket[] = [];
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    org = await startOrg({ certified: { zhao: '赵敏|市政府办公室' }, ...(postgresUrl ? { postgresUrl } : {}) });
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    for (const provider of providers) provider.destroy();
    await org.server.stop();
  });

  const syncUrl = () => `${org.server.url.replace('http', 'ws')}/sync`;
  async function open(who: string, id: string): Promise<Socket> {
    const { ws, denials } = await rawClient(`${syncUrl()}/doc:${id}?token=${org.tokens[who]!}`);
    sockets.push(ws);
    return { who, ws, denials };
  }
  async function observe(who: string, id: string): Promise<WebsocketProvider> {
    const provider = connectProvider(syncUrl(), `doc:${id}`, org.tokens[who]!);
    providers.push(provider);
    await waitSynced(provider);
    return provider;
  }
  const stored = async (id: string) => (await readRoomBody(org.server.deps.loadRoomUpdates, id)) ?? '';
  const seen = (provider: WebsocketProvider) => lexicalParagraphs(provider.doc).join('\n');

  /** Every stale socket writes once: each is refused and told; nothing reaches the room or the observer. */
  async function staleWritesRefused(id: string, observer: WebsocketProvider, stale: Socket[], step: string): Promise<void> {
    for (const socket of stale) {
      const refusedBefore = socket.denials.filter((d) => d === 'update-refused').length;
      socket.ws.send(encodeSyncUpdate(paragraphUpdate(`${socket.who}在${step}后偷改的一句。`)));
      await waitFor(() => socket.denials.filter((d) => d === 'update-refused').length > refusedBefore, `${socket.who} told at ${step}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await stored(id)).not.toContain('偷改');
    expect(seen(observer)).not.toContain('偷改');
  }

  async function auditOf(id: string): Promise<AuditResponse> {
    return (await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.li! })).body;
  }

  it('发文: stale sockets at every step change are dropped and told; the sealed PDF is the body approved at 签发', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.li!,
      json: { kind: 'outgoing', type: 'notice', title: '关于做好冬季安全生产工作的通知', body: '表单中的正文。', mainRecipients: [{ unitId: NDRC, name: '市发展和改革委员会' }], writtenDate: '2026-12-05' },
    });
    const id = created.body.id;
    const observer = await observe('li', id);
    const li = await open('li', id);
    li.ws.send(encodeSyncUpdate(paragraphUpdate('一、拟稿人起草的正文。')));
    await waitFor(() => seen(observer).includes('拟稿人起草的正文'), 'the drafter’s edit is relayed');

    // 提交: the drafter's open socket loses its right at once.
    expect((await act(org, 'li', id, { action: 'submit', to: [uid('wang')] })).body.state).toBe('signoff');
    await waitFor(() => li.denials.includes('read-only'), 'drafter told read-only at 提交');
    await staleWritesRefused(id, observer, [li], '提交');

    // The leader, now the holder, edits before signing off.
    const wang = await open('wang', id);
    wang.ws.send(encodeSyncUpdate(paragraphUpdate('二、领导签发前改定的一句。')));
    await waitFor(() => seen(observer).includes('领导签发前改定的一句'), 'the leader’s edit is relayed');

    // 签发: the body is fixed; the leader's socket is told and refused too.
    expect((await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意' } })).body.state).toBe('numbering');
    await waitFor(() => wang.denials.includes('read-only'), 'leader told read-only at 签发');
    const zhao = await open('zhao', id);
    await staleWritesRefused(id, observer, [li, wang, zhao], '签发');

    const snapshot = await org.server.deps.db.get<{ body: string; sha256: string }>('SELECT body, sha256 FROM document_body_snapshots WHERE document_id = ?', [id]);
    expect(snapshot!.body.split('\n').sort()).toEqual(['一、拟稿人起草的正文。', '二、领导签发前改定的一句。'].sort());
    expect(snapshot!.sha256).toBe(createHash('sha256').update(snapshot!.body, 'utf8').digest('hex'));
    const approveEntry = (await auditOf(id)).entries.find((e) => e.action === 'approve');
    expect((approveEntry!.payload as { bodySha256?: string }).bodySha256).toBe(snapshot!.sha256);

    // A reconnect replaying an edit made offline before 签发 (an outbox of edits) is refused as well.
    const offline = await open('wang', id);
    const replay = paragraphUpdate('离线时领导补写偷改的一句。');
    offline.ws.send(Uint8Array.of(0, 1, ...varUint(replay.length), ...replay));
    await waitFor(() => offline.denials.includes('update-refused'), 'the replayed edit refused');

    // Whatever reaches the live room after 签发 (say, through another instance within Redis's delivery
    // time) is not what is numbered and sealed: those render from the approved body.
    await org.server.deps.db.run('INSERT INTO sync_room_updates (room, data) VALUES (?, ?)', [`doc:${id}`, Buffer.from(paragraphUpdate('签发后窗口期写入的一句。'))]);
    expect(await stored(id)).toContain('签发后窗口期写入的一句');

    // 编号, then 用印 with a real signature; at each step the stale sockets are still refused.
    expect((await act(org, 'zhao', id, { action: 'number' })).body.state).toBe('sealing');
    await staleWritesRefused(id, observer, [li, wang, zhao], '编号');
    const frozen = await getPdf(org, 'zhao', id);
    const sealed = await sealPdf(frozen.bytes, org.p12.zhao!, frozen.placement!, '市政府办公室');
    expect((await putPdf(org, 'zhao', id, sealed)).status).toBe(200);
    expect((await act(org, 'zhao', id, { action: 'seal' })).body.state).toBe('dispatching');
    await staleWritesRefused(id, observer, [li, wang, zhao], '用印');

    const text = pdfText((await getPdf(org, 'li', id)).bytes);
    for (const line of snapshot!.body.split('\n')) expect(text).toContain(line.replace(/\s+/g, ''));
    expect(text).not.toContain('偷改');
    expect(text).not.toContain('窗口期');
    expect(text).not.toContain('表单中的正文');
    expect(await stored(id)).not.toContain('偷改');
  });

  it('收文: the clerk writes while registering and proposing; from 拟办 on every stale socket is refused', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.chen!,
      json: { kind: 'incoming', type: 'notice', title: '关于报送年度统计资料的通知', body: '纸质来文。' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const observer = await observe('chen', id);
    const chen = await open('chen', id);
    chen.ws.send(encodeSyncUpdate(paragraphUpdate('来文摘要：请于月底前报送。')));
    await waitFor(() => seen(observer).includes('来文摘要'), 'the registering clerk’s edit is relayed');
    expect((await act(org, 'chen', id, { action: 'register' })).body.state).toBe('proposing');
    chen.ws.send(encodeSyncUpdate(paragraphUpdate('登记后补充：附统计表。')));
    await waitFor(() => seen(observer).includes('登记后补充'), 'still the holder at 拟办: still relayed');
    expect(chen.denials).toEqual([]);

    expect((await act(org, 'chen', id, { action: 'propose', opinion: { text: '拟请刘主任阅示' }, to: [uid('liu')] })).body.state).toBe('instructing');
    await waitFor(() => chen.denials.includes('read-only'), 'clerk told read-only at 拟办');
    const liu = await open('liu', id);
    await staleWritesRefused(id, observer, [chen, liu], '拟办');
    expect((await act(org, 'liu', id, { action: 'instruct', opinion: { text: '请孙磊办理' }, to: [uid('sun')] })).body.state).toBe('handling');
    const sun = await open('sun', id);
    await staleWritesRefused(id, observer, [chen, liu, sun], '批示');
    expect((await act(org, 'sun', id, { action: 'complete', opinion: { text: '已报送' } })).body.state).toBe('completed');
    await staleWritesRefused(id, observer, [chen, liu, sun], '办结');

    const snapshot = await org.server.deps.db.get<{ body: string; sha256: string }>('SELECT body, sha256 FROM document_body_snapshots WHERE document_id = ?', [id]);
    const proposeEntry = (await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.chen! })).body.entries.find((e) => e.action === 'propose');
    expect((proposeEntry!.payload as { bodySha256?: string }).bodySha256).toBe(snapshot!.sha256);
    const text = pdfText((await getPdf(org, 'chen', id)).bytes);
    expect(text).toContain('来文摘要：请于月底前报送。');
    expect(text).toContain('登记后补充：附统计表。');
    expect(text).not.toContain('偷改');
  });

  it('stamps presence with the signed-in person: 李文 cannot appear as 王建国', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '在场测试' } });
    const id = created.body.id;
    const watcher = await observe('li', id);
    const forger = await observe('li', id);
    forger.awareness.setLocalStateField('user', { name: '王建国', color: '#000000' });
    await waitFor(() => watcher.awareness.getStates().has(forger.doc.clientID), 'presence arrives');
    const state = watcher.awareness.getStates().get(forger.doc.clientID) as { user: { id: string; name: string; color: string }; name: string };
    expect(state.user.id).toBe(uid('li'));
    expect(state.user.name).toBe('李文');
    expect(state.name).toBe('李文');
    expect(state.user.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(state.user.color).not.toBe('#000000');
  });
});

/** lib0's unsigned LEB128, for a raw sync step 2 of any size. */
function varUint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push(0x80 | (value & 0x7f));
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}
