/**
 * The renderer's Yjs provider over the bridge (src/renderer/features/document/bridgeProvider.ts),
 * driven against the real main services and a real sync server: what li types in her editor's doc
 * reaches wang's editor through li's main, the server and wang's main, first as state, then live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { ApiEvents, LocalDocument, Result } from '../../src/shared/api';
import { BridgeProvider, type RoomApi } from '../../src/renderer/features/document/bridgeProvider';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

let root: string;
let server: RunningServer;
const opened: AppServices[] = [];

/** The part of the renderer's API the provider uses, carried by a real dispatcher and event sink. */
async function roomApi(username: string): Promise<{ api: RoomApi; create: (title: string) => Promise<string>; act: (input: unknown) => Promise<void> }> {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const services = await createAppServices({
    userDataDir: mkdtempSync(join(root, `c-${username}-`)),
    serverUrl: server.url,
    secrets: plainSecretBox,
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  });
  opened.push(services);
  const call = <T>(channel: string, input: unknown) => services.dispatcher.dispatch(channel, input) as Promise<Result<T>>;
  const login = await call('session:login', { username, password: 'demo1234' });
  expect(login.ok).toBe(true);
  const api = {
    offline: {
      openRoom: (input: unknown) => call('offline:open-room', input),
      updateRoom: (input: unknown) => call('offline:update-room', input),
      closeRoom: (input: unknown) => call('offline:close-room', input),
      roomAwareness: (input: unknown) => call('offline:room-awareness', input),
    },
    on: (event: keyof ApiEvents, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  } as unknown as RoomApi;
  return {
    api,
    create: async (title) => {
      const result = await call<LocalDocument>('documents:create', { kind: 'outgoing', title });
      if (!result.ok) throw new Error(result.error.message);
      return result.value.document.id;
    },
    act: async (input) => {
      const result = await call('documents:act', input);
      if (!result.ok) throw new Error(result.error.message);
    },
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-bridgeprovider-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, demoCertificates: false, log: silentLogger, dataDir: join(root, 'server') });
}, 60_000);

afterAll(async () => {
  for (const services of opened) await services.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('BridgeProvider', () => {
  it('carries the drafter’s edits to another reader’s editor through main and the server', async () => {
    const li = await roomApi('li');
    const id = await li.create('关于桥接测试的通知');
    const room = `doc:${id}`;
    const errors: string[] = [];

    const liDoc = new Y.Doc();
    const liProvider = new BridgeProvider(li.api, room, liDoc, (error) => errors.push(error.message));
    const synced: boolean[] = [];
    liProvider.on('sync', (value: boolean) => synced.push(value));
    await liProvider.connect();
    expect(synced).toEqual([true]);

    const text = liDoc.getText('probe');
    for (const word of ['各单位', '要认真', '贯彻落实。']) text.insert(text.length, word);
    await liProvider.flush();
    expect(errors).toEqual([]);

    // wang reads the same room (his unit's document) through his own main and replica.
    const wang = await roomApi('wang');
    const wangDoc = new Y.Doc();
    const wangProvider = new BridgeProvider(wang.api, room, wangDoc, (error) => errors.push(error.message));
    await wangProvider.connect();
    await until(() => wangDoc.getText('probe').toJSON() === '各单位要认真贯彻落实。', 'wang to see li’s text');

    // A later edit arrives live, as a remote update.
    text.insert(text.length, '特此通知。');
    await liProvider.flush();
    await until(() => wangDoc.getText('probe').toJSON().endsWith('特此通知。'), 'the live edit');
    expect(errors).toEqual([]);

    liProvider.destroy();
    wangProvider.destroy();
    await liProvider.flush();
    await wangProvider.flush();
  }, 60_000);

  it('relays presence both ways, stamped with the signed-in person, and removes it when the editor leaves', async () => {
    const li = await roomApi('li');
    const id = await li.create('关于在场测试的通知');
    const room = `doc:${id}`;
    const errors: string[] = [];
    const liDoc = new Y.Doc();
    const liProvider = new BridgeProvider(li.api, room, liDoc, (error) => errors.push(error.message));
    await liProvider.connect();
    const wang = await roomApi('wang');
    const wangDoc = new Y.Doc();
    const wangProvider = new BridgeProvider(wang.api, room, wangDoc, (error) => errors.push(error.message));
    await wangProvider.connect();

    // What Lexical's CollaborationPlugin announces, with a forged name: the others see 李文.
    liProvider.awareness.setLocalState({ name: '王建国', color: '#000000', focusing: true, anchorPos: null, focusPos: null, awarenessData: {} });
    const seenByWang = () => wangProvider.awareness.getStates().get(liDoc.clientID) as { name?: string; color?: string; focusing?: boolean } | undefined;
    await until(() => seenByWang()?.name === '李文', 'wang to see li’s presence, stamped');
    expect(seenByWang()?.focusing).toBe(true);
    expect(seenByWang()?.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(seenByWang()?.color).not.toBe('#000000');

    wangProvider.awareness.setLocalState({ name: '王建国', color: '#2e7d32', focusing: false, anchorPos: null, focusPos: null, awarenessData: {} });
    await until(() => (liProvider.awareness.getStates().get(wangDoc.clientID) as { name?: string } | undefined)?.name === '王建国', 'li to see wang');
    // Nobody's own state comes back to them as someone else's.
    expect([...liProvider.awareness.getStates().keys()].sort()).toEqual([liDoc.clientID, wangDoc.clientID].sort());

    liProvider.destroy();
    await liProvider.flush();
    await until(() => seenByWang() === undefined, 'li’s presence removed when her editor leaves');
    wangProvider.destroy();
    await wangProvider.flush();
    expect(errors).toEqual([]);
  }, 60_000);
});
