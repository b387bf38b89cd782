/**
 * Offline drafting from the start (issue 19), through main's dispatcher against a real server: with
 * the server down, li drafts a 通知 (it opens at once, 拟稿（待发送）, listed in 发文), writes its body
 * and queues 提交; her app is then restarted (the outbox and the body's unsent edits survive it) and
 * the server comes back on the same port. The creation reaches the server once under the id chosen
 * offline, the body follows it, then 提交 — one document, with its text, its history and its audit.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { DocumentCommand, LocalDocument, Result } from '../../src/shared/api';
import type { AuditResponse, DocumentListResponse, DocumentView } from '../../src/shared/http/documents';
import { readRoomBody } from '../../src/sync-server/documents/roomBody';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';
import { call, login } from '../server/helpers';

let root: string;
let server: RunningServer;
const open: AppServices[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-offline-draft-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: join(root, 'server') });
}, 120_000);

afterAll(async () => {
  for (const services of open) await services.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** li's app on `userDataDir` (the same folder again = the app restarted), signed in. */
async function liApp(userDataDir: string) {
  const services = await createAppServices({ userDataDir, serverUrl: server.url, secrets: plainSecretBox, emit: () => undefined });
  open.push(services);
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = (await services.dispatcher.dispatch(channel, input)) as Result<T>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  await value('session:login', { username: 'li', password: 'demo1234' });
  return { services, value };
}

/** One new paragraph in @lexical/yjs's layout, made on top of the room's `state`. */
function paragraphAfter(state: Uint8Array, text: string): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const before = Y.encodeStateVector(doc);
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    const paragraph = new Y.XmlText();
    root.insertEmbed(root.length, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    const node = new Y.Map();
    paragraph.insertEmbed(0, node);
    node.set('__type', 'text');
    paragraph.insert(1, text);
  });
  return Y.encodeStateAsUpdate(doc, before);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // Bounded: 400 × 200 ms. The outbox retries with backoff after the server was away; on a loaded
  // machine (the whole suite at once) the first retry that finds it back can take over 30 s.
  for (let i = 0; i < 400; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('a draft made offline reaches the server once, with its body and the step queued behind it', async () => {
  const dir = mkdtempSync(join(root, 'client-li-'));
  let li = await liApp(dir);
  // Online once: the directory is kept (提交's recipients are offered offline from it).
  await li.value('documents:list', { box: 'outgoing' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const title = '关于离线拟稿的通知';
  const port = server.port;
  await server.close();

  let id: string;
  try {
    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title, type: 'notice' });
    id = created.document.id;
    expect(created).toMatchObject({ fromReplica: true, document: { state: 'draft', stateLabel: '拟稿（待发送）', drafterId: 'user-li' } });
    expect(created.commands).toMatchObject([{ kind: 'document.create', status: 'pending', summary: `拟稿：${title}` }]);
    // 提交 is offered offline, with wang among its recipients.
    const submit = created.document.availableActions.find((a) => a.action === 'submit');
    expect(submit?.recipients?.eligible.map((p) => p.id)).toContain('user-wang');
    const listed = await li.value<{ items: { id: string; stateLabel: string }[] }>('documents:list', { box: 'outgoing' });
    expect(listed.items.find((item) => item.id === id)?.stateLabel).toBe('拟稿（待发送）');

    // The body is written in its own room from the first keystroke.
    const room = `doc:${id}`;
    const { state } = await li.value<{ state: string }>('offline:open-room', { room });
    const first = paragraphAfter(Buffer.from(state, 'base64'), '一、离线时起草的第一段。');
    await li.value('offline:update-room', { room, update: Buffer.from(first).toString('base64') });
    const merged = Y.mergeUpdates([Buffer.from(state, 'base64'), first]);
    await li.value('offline:update-room', { room, update: Buffer.from(paragraphAfter(merged, '二、离线时起草的第二段。')).toString('base64') });
    await li.value('offline:close-room', { room });

    const queued = await li.value<{ command: DocumentCommand }>('documents:act', { id, action: 'submit', to: ['user-wang'], opinion: '请审批' });
    expect(queued.command.status).toBe('pending');
    const reopened = await li.value<LocalDocument>('documents:get', { id });
    expect(reopened.document.title).toBe(title);

    // The app is closed while all of it waits.
    await li.services.close();
    open.splice(open.indexOf(li.services), 1);
  } finally {
    server = await startServer({ host: '127.0.0.1', port, demo: true, log: silentLogger, dataDir: join(root, 'server') });
  }

  li = await liApp(dir);
  const sent = await until(
    () => li.value<{ items: DocumentCommand[] }>('outbox:list', { targetId: id }),
    (r) => r.items.length === 2 && r.items.every((c) => c.status === 'sent'),
    'the creation and the 提交 to be sent',
  );
  expect(sent.items.map((c) => c.kind).sort()).toEqual(['document.action', 'document.create']);

  // The server: one document under the id chosen offline, its body, the step applied once.
  const token = await login(server.url, 'li');
  const view = (await call<DocumentView>(server.url, 'GET', `/api/documents/${id}`, { token })).body;
  expect(view).toMatchObject({ id, title, state: 'signoff', drafterId: 'user-li' });
  expect(view.history.filter((h) => h.action === 'submit')).toHaveLength(1);
  const outgoing = (await call<DocumentListResponse>(server.url, 'GET', '/api/documents?box=outgoing&limit=200', { token })).body;
  expect(outgoing.items.filter((item) => item.title === title)).toHaveLength(1);
  const body = (await readRoomBody(server.deps.loadRoomUpdates, id)) ?? '';
  expect(body).toContain('一、离线时起草的第一段。');
  expect(body).toContain('二、离线时起草的第二段。');
  // The body approved for review is the one written offline (the snapshot is taken at 签发; here the
  // audit shows one creation and one 提交).
  const audit = (await call<AuditResponse>(server.url, 'GET', `/api/documents/${id}/audit`, { token })).body;
  expect(audit.valid).toBe(true);
  expect(audit.entries.filter((e) => e.action === 'create')).toHaveLength(1);
  expect(audit.entries.filter((e) => e.action === 'submit')).toHaveLength(1);

  // li's own view is the server's now (no longer 待发送), and wang has it in 待办.
  const mine = await until(
    () => li.value<LocalDocument>('documents:get', { id }),
    (d) => !d.fromReplica,
    'the server view',
  );
  expect(mine.document.stateLabel).not.toContain('待发送');
  const wang = await login(server.url, 'wang');
  const todo = (await call<DocumentListResponse>(server.url, 'GET', '/api/documents?box=todo', { token: wang })).body;
  expect(todo.items.map((item) => item.id)).toContain(id);
}, 180_000);
