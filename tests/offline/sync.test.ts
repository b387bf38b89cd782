import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createOfflineServices, type OfflineServices } from '../../src/main/services/sync/offlineServices';
import type { ConnectionState } from '../../src/shared/api/session.contract';
import { startTestServer, type TestServer } from './helpers/testServer';
import { startProxy, type CuttableProxy } from './helpers/proxy';

let server: TestServer;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server.stop();
});

const waitFor = async (check: () => boolean | Promise<boolean>, what: string, tries = 1000) => {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

let roomCounter = 0;
const freshRoom = () => `doc:sync-${process.pid}-${(roomCounter += 1)}`;

interface Client {
  readonly services: OfflineServices;
  readonly proxy: CuttableProxy;
  readonly states: ConnectionState[];
  readonly signedOut: string[];
  token: string;
  dir: string;
  close(): Promise<void>;
}

async function startClient(options: { dir?: string; token?: string; refresh?: () => Promise<string | null> } = {}): Promise<Client> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'xt-sync-'));
  const proxy = await startProxy(() => server.port);
  const signedOut: string[] = [];
  const client: Client = {
    services: undefined as unknown as OfflineServices,
    proxy,
    states: [],
    signedOut,
    token: options.token ?? 'token-ok',
    dir,
    close: async () => {
      await client.services.close();
      await proxy.close();
    },
  };
  const services = await createOfflineServices({
    userDataDir: dir,
    serverUrl: proxy.url,
    getToken: () => client.token,
    refreshToken: options.refresh,
    currentUserId: () => 'li',
    onSignedOut: (reason) => signedOut.push(reason),
    backoff: { baseMs: 20, maxMs: 200 },
  });
  (client as { services: OfflineServices }).services = services;
  services.sync.subscribe((state) => client.states.push(state));
  cleanups.push(async () => {
    try {
      await client.close();
    } catch {
      // already closed by the test
    }
  });
  return client;
}

const text = (doc: Y.Doc) => doc.getText('body').toJSON();

describe('sync client', () => {
  it('opens a room from the replica while offline, keeps every edit, and sends it when the network returns', async () => {
    const room = freshRoom();
    const first = await startClient();
    const handle = await first.services.sync.open(room);
    await waitFor(() => first.services.sync.state === 'online', 'online');
    handle.doc.getText('body').insert(0, '第一稿。');
    await handle.flushed();
    await waitFor(() => server.roomText(room) === '第一稿。', 'server has the first edit');
    await first.close();

    // Restart the same client (same replica) with the network cut: the room opens from disk.
    const again = await startClient({ dir: first.dir });
    again.proxy.cut();
    const reopened = await again.services.sync.open(room);
    expect(text(reopened.doc)).toBe('第一稿。');
    const edit = new Y.Doc();
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(reopened.doc));
    const sv = Y.encodeStateVector(edit);
    edit.getText('body').insert(edit.getText('body').length, '离线补充。');
    await reopened.applyLocal(Y.encodeStateAsUpdate(edit, sv));
    expect(text(reopened.doc)).toBe('第一稿。离线补充。');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.services.sync.state).not.toBe('online');
    expect(server.roomText(room)).toBe('第一稿。');

    again.proxy.restore();
    await waitFor(() => server.roomText(room) === '第一稿。离线补充。', 'server has the offline edit');
    expect(again.services.sync.state).toBe('online');
    expect(again.states).toContain('online');
  });

  it('refuses a malformed update without storing it', async () => {
    const client = await startClient();
    const room = freshRoom();
    const handle = await client.services.sync.open(room);
    await expect(handle.applyLocal(new Uint8Array([1, 2, 3, 250, 250]))).rejects.toThrow('无效的文档修改数据');
    expect(await client.services.replica.loadRoom(room)).toBeNull();
  });

  it('follows the real connection: online, offline when cut, online again after restore', async () => {
    const client = await startClient();
    await client.services.sync.open(freshRoom());
    await waitFor(() => client.services.sync.state === 'online', 'online');
    client.proxy.cut();
    await waitFor(() => client.services.sync.state !== 'online', 'offline after cut');
    client.proxy.restore();
    await waitFor(() => client.services.sync.state === 'online', 'online after restore');
    expect(client.states.filter((s) => s === 'online').length).toBeGreaterThanOrEqual(2);
  });

  it('asks to sign in again when the server refuses the token, once, without a retry loop', async () => {
    const client = await startClient({ token: 'expired-token' });
    const before = server.upgrades;
    await client.services.sync.open(freshRoom());
    await client.services.sync.open(freshRoom());
    await waitFor(() => client.signedOut.length > 0, 'signed-out notice');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.signedOut).toEqual(['登录已失效，请重新登录']);
    expect(client.services.sync.state).toBe('offline');
    // At most one refused attempt per room, then nothing (backoff here is at most 200 ms, so a
    // retry loop would have tried again within the 300 ms waited). The first refusal signs out,
    // which may stop the second room's attempt before it reaches the server: one or two.
    const attempts = server.upgrades - before;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(2);
    // A new sign-in resumes syncing.
    client.token = 'token-ok';
    client.services.resume();
    await waitFor(() => client.services.sync.state === 'online', 'online after sign-in');
  });

  it('uses a refreshed token when the session can renew it', async () => {
    server.tokens.add('renewed');
    let refreshes = 0;
    const client = await startClient({
      token: 'stale',
      refresh: () => {
        refreshes += 1;
        return Promise.resolve('renewed');
      },
    });
    await client.services.sync.open(freshRoom());
    await waitFor(() => client.services.sync.state === 'online', 'online with renewed token');
    expect(refreshes).toBe(1);
    expect(client.signedOut).toEqual([]);
  });

  it('relays rooms to the renderer: state on open, local updates stored first, remote updates pushed after storing', async () => {
    const room = freshRoom();
    const pushed: string[] = [];
    const a = await startClient();
    const b = await startClient();
    const dir = mkdtempSync(join(tmpdir(), 'xt-relay-'));
    const relay = await createOfflineServices({
      userDataDir: dir,
      serverUrl: server.url,
      getToken: () => 'token-ok',
      currentUserId: () => 'li',
      onSignedOut: () => undefined,
      onRoomUpdate: (r, update) => {
        if (r === room) pushed.push(update);
      },
    });
    cleanups.push(() => relay.close());
    const opened = await relay.handlers.openRoom({ room }, undefined);
    const rendererDoc = new Y.Doc();
    Y.applyUpdate(rendererDoc, Buffer.from(opened.state, 'base64'));
    rendererDoc.on('update', (update: Uint8Array) => {
      void relay.handlers.updateRoom({ room, update: Buffer.from(update).toString('base64') }, undefined);
    });
    rendererDoc.getText('body').insert(0, '渲染进程输入');
    await waitFor(() => server.roomText(room) === '渲染进程输入', 'server has the renderer edit');
    const other = await b.services.sync.open(room);
    await waitFor(() => text(other.doc) === '渲染进程输入', 'second client synced');
    other.doc.getText('body').insert(0, '他人修改：');
    await waitFor(() => pushed.length > 0, 'remote update pushed to the renderer');
    for (const update of pushed) Y.applyUpdate(rendererDoc, Buffer.from(update, 'base64'));
    expect(text(rendererDoc)).toBe('他人修改：渲染进程输入');
    expect((await relay.replica.loadRoom(room))?.byteLength).toBeGreaterThan(0);
    await expect(relay.handlers.updateRoom({ room: 'doc:not-open', update: '' }, undefined)).rejects.toThrow(/未打开/);
    await relay.handlers.closeRoom({ room }, undefined);
    void a;
  });

  it('delivers edits of a room closed while offline — in the background, and after a restart — before that document\'s commands', async () => {
    const room = freshRoom();
    const documentId = room.slice(4);
    const client = await startClient();
    client.proxy.cut();
    const handle = await client.services.sync.open(room);
    handle.doc.getText('body').insert(0, '离线写完就关闭。');
    await handle.flushed();
    await client.services.sync.release(room);
    // Still held open in the background: it has edits the server lacks.
    expect(client.services.sync.openRooms).toBe(1);
    expect(await client.services.replica.unsyncedRooms()).toEqual([room]);
    client.proxy.restore();
    await waitFor(() => server.roomText(room) === '离线写完就关闭。', 'server has the closed room\'s edit');
    await waitFor(() => client.services.sync.openRooms === 0, 'background room closed once synced');
    expect(await client.services.replica.unsyncedRooms()).toEqual([]);

    // Now across a restart: edit offline, quit, start again online with a command queued behind it.
    const room2 = freshRoom();
    const offline = await startClient();
    offline.proxy.cut();
    const h2 = await offline.services.sync.open(room2);
    h2.doc.getText('body').insert(0, '重启后补发。');
    await h2.flushed();
    const command = await offline.services.outbox.enqueue({ type: 'document.action', documentId: room2.slice(4), action: 'submit' });
    await offline.close();
    const again = await startClient({ dir: offline.dir });
    await waitFor(() => server.roomText(room2) === '重启后补发。', 'edit delivered after restart without opening the room');
    await waitFor(async () => (await again.services.outbox.list('pending')).length === 0, 'command sent');
    expect(server.applied.filter((a) => a.clientId === command.clientId)).toHaveLength(1);
    await waitFor(() => again.services.sync.openRooms === 0, 'background room closed');
    void documentId;
  });

  it('stops at a room the server refuses: no retries, and the document\'s commands are not held back', async () => {
    const client = await startClient();
    const room = `doc:denied-${process.pid}`;
    const before = server.upgrades;
    const handle = await client.services.sync.open(room);
    handle.doc.getText('body').insert(0, '无权编辑');
    await handle.flushed();
    await client.services.sync.release(room);
    const command = await client.services.outbox.enqueue({ type: 'document.action', documentId: room.slice(4), action: 'read' });
    await waitFor(async () => (await client.services.outbox.list('pending')).length === 0, 'command sent');
    expect(server.applied.filter((a) => a.clientId === command.clientId)).toHaveLength(1);
    await waitFor(() => client.services.sync.openRooms === 0, 'refused room closed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.upgrades - before).toBe(1);
    expect(await client.services.replica.unsyncedRooms()).toEqual([]);
  });
});
