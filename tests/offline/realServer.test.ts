/**
 * The offline services against the real sync server (startServer with the demo organisation):
 * real login, a real document, its real `doc:<id>` room, and the real action route's clientId.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createOfflineServices, type OfflineServices } from '../../src/main/services/sync/offlineServices';
import { createHttpTransport } from '../../src/main/services/outbox/httpTransport';
import { startProxy, type CuttableProxy } from './helpers/proxy';
import { useDemoServer, waitFor } from './helpers/demoServer';

const demo = useDemoServer('xt-real-server-');
const dirs = demo.dirs;


async function api<T>(path: string, token: string | null, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${demo.server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function client(token: string, userId: string, serverUrl: string): Promise<OfflineServices> {
  const dir = mkdtempSync(join(tmpdir(), 'xt-real-client-'));
  dirs.push(dir);
  return createOfflineServices({
    userDataDir: dir,
    serverUrl,
    getToken: () => token,
    currentUserId: () => userId,
    onSignedOut: () => undefined,
    backoff: { baseMs: 20, maxMs: 200 },
  });
}

describe('offline services with the real sync server', () => {
  it('two devices, one offline, edit the draft and queue 提交; after reconnecting both agree and the server applied 提交 once', async () => {
    const login = await api<{ token: string; user: { id: string } }>('/api/auth/login', null, { username: 'li', password: 'demo1234' });
    expect(login.status).toBe(200);
    const { token, user } = login.json;
    const created = await api<{ id: string }>('/api/documents', token, { kind: 'outgoing', title: '关于离线办公的通知' });
    expect(created.status).toBe(201);
    const room = `doc:${created.json.id}`;

    const proxy: CuttableProxy = await startProxy(() => Number(new URL(demo.server.url).port));
    const desk = await client(token, user.id, demo.server.url);
    const laptop = await client(token, user.id, proxy.url);
    try {
      const deskRoom = await desk.sync.open(room);
      const laptopRoom = await laptop.sync.open(room);
      await waitFor(() => deskRoom.synced && laptopRoom.synced, 'both synced');

      proxy.cut();
      await waitFor(() => laptop.sync.state !== 'online', 'laptop offline');
      deskRoom.doc.getText('body').insert(0, '各区人民政府：');
      laptopRoom.doc.getText('body').insert(0, '【草稿】');
      const submit = await laptop.outbox.enqueue({ type: 'document.action', documentId: created.json.id, action: 'submit', opinion: { text: '请领导审阅' } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await laptop.outbox.list('pending')).map((e) => e.clientId)).toEqual([submit.clientId]);

      proxy.restore();
      await waitFor(async () => (await laptop.outbox.list('pending')).length === 0, 'laptop outbox drained');
      const [settled] = await laptop.outbox.list();
      expect(settled).toMatchObject({ clientId: submit.clientId, status: 'sent' });
      await waitFor(
        () => deskRoom.doc.getText('body').toJSON() === laptopRoom.doc.getText('body').toJSON() && deskRoom.doc.getText('body').length === '各区人民政府：【草稿】'.length,
        'both devices converged',
      );

      // A third device that only reads from the server sees the same text.
      const reader = await client(token, user.id, demo.server.url);
      const readerRoom = await reader.sync.open(room);
      await waitFor(() => readerRoom.synced, 'reader synced');
      expect(readerRoom.doc.getText('body').toJSON()).toBe(deskRoom.doc.getText('body').toJSON());
      await reader.close();

      // The server applied 提交 once; sending the same clientId again changes nothing.
      const submits = async () => (await api<{ history: { action: string }[] }>(`/api/documents/${created.json.id}`, token)).json.history.filter((h) => h.action === 'submit').length;
      expect(await submits()).toBe(1);
      const transport = createHttpTransport({ serverUrl: demo.server.url, getToken: () => token, readBlob: () => Promise.resolve(null) });
      expect((await transport.send(submit.clientId, submit.command)).kind).toBe('applied');
      expect(await submits()).toBe(1);
      // A command the server refuses is kept, with the server's reason.
      const refused = await laptop.outbox.enqueue({ type: 'document.action', documentId: created.json.id, action: 'archive' });
      await waitFor(async () => (await laptop.outbox.list('pending')).length === 0, 'refusal recorded');
      const [rejected] = await laptop.outbox.list('rejected');
      expect(rejected?.clientId).toBe(refused.clientId);
      expect(rejected?.reason).toBeTruthy();
      // Both replicas keep the converged body on disk.
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await laptop.replica.loadRoom(room))!);
      expect(stored.getText('body').toJSON()).toBe(deskRoom.doc.getText('body').toJSON());
    } finally {
      await desk.close();
      await laptop.close();
      await proxy.close();
    }
  });
});
