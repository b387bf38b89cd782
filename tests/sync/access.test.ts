import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import type { RoomName } from '../../src/shared/rooms';
import { SqliteRoomUpdateStore } from '../../src/sync-server/sync';
import { encodeSyncUpdate } from '../../src/sync-server/sync/protocol';
import type { RoomAccess } from '../../src/sync-server/sync/types';
import { awarenessMessage, closed, connectProvider, rawClient, startSync, tempDir, textUpdate, waitFor, waitSynced, type RunningSync } from './helpers';

async function storedText(store: SqliteRoomUpdateStore, room: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of await store.load(room as RoomName)) Y.applyUpdate(doc, update);
  return doc.getText('body').toJSON();
}

/**
 * Write rights follow the room's rule at every change, not only at connect time: `changeRoomAccess`
 * and `reevaluateRoom` re-decide every open connection, and what a connection that lost its right
 * sends is neither stored nor relayed, and the client is told.
 */
describe('access re-decided while connected', () => {
  const tmp = tempDir();
  let store: SqliteRoomUpdateStore;
  let sync: RunningSync;
  /** What the rule answers now, per user id (room-independent here); alice observes with `read`. */
  const access = new Map<string, RoomAccess>();

  beforeAll(async () => {
    store = new SqliteRoomUpdateStore(`${tmp.dir}/sync.db`);
    sync = await startSync({
      store,
      authorizeRoom: (user) => Promise.resolve(access.get(user.id) ?? 'none'),
      presenceOf: (user) => ({ id: user.id, name: { alice: '李文', bob: '王建国', carol: '赵敏' }[user.id] ?? user.id, color: '#123456' }),
    });
  });
  afterAll(async () => {
    await sync.stop();
    store.close();
    tmp.remove();
  });

  it('drops a stale writer’s updates after the change (not stored, not relayed) and tells it', async () => {
    const room = 'doc:stale-writer';
    access.set('alice', 'read').set('bob', 'write');
    const observer = connectProvider(sync.url, room, 'tok-alice');
    const bob = await rawClient(`${sync.url}/${room}?token=tok-bob`);
    try {
      await waitSynced(observer);
      bob.ws.send(encodeSyncUpdate(textUpdate('签发前')));
      await waitFor(() => observer.doc.getText('body').toJSON() === '签发前', 'the writer’s edit reaches the observer');

      access.set('bob', 'read');
      let ran = false;
      const result = await sync.service.changeRoomAccess(room as RoomName, () => {
        ran = true;
        return Promise.resolve(42);
      });
      expect([ran, result]).toEqual([true, 42]);
      await waitFor(() => bob.denials.includes('read-only'), 'bob told he is read-only');

      bob.ws.send(encodeSyncUpdate(textUpdate('签发后偷改')));
      await waitFor(() => bob.denials.includes('update-refused'), 'bob told his update was refused');
      await sync.service.flush();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(observer.doc.getText('body').toJSON()).toBe('签发前');
      expect(await storedText(store, room)).toBe('签发前');
      expect(sync.service.metricsText()).toMatch(/xietong_sync_write_revoked_total 1\b/);

      // Given the right back (退回), the same socket writes again.
      access.set('bob', 'write');
      await sync.service.reevaluateRoom(room as RoomName);
      bob.ws.send(encodeSyncUpdate(textUpdate('退回后修改')));
      await waitFor(() => observer.doc.getText('body').toJSON().includes('退回后修改'), 'edit after the right came back');
    } finally {
      bob.ws.terminate();
      observer.destroy();
    }
  });

  it('holds updates that arrive while the change runs and applies them under the new rights', async () => {
    const room = 'doc:held';
    access.set('alice', 'read').set('bob', 'write');
    const observer = connectProvider(sync.url, room, 'tok-alice');
    const bob = await rawClient(`${sync.url}/${room}?token=tok-bob`);
    try {
      await waitSynced(observer);
      bob.ws.send(encodeSyncUpdate(textUpdate('甲')));
      await waitFor(() => observer.doc.getText('body').toJSON() === '甲', 'first edit');
      await sync.service.changeRoomAccess(room as RoomName, async () => {
        // Sent during the step's transaction: it must wait for the decision, which takes the right away.
        bob.ws.send(encodeSyncUpdate(textUpdate('乙')));
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(observer.doc.getText('body').toJSON()).toBe('甲');
        access.set('bob', 'read');
      });
      await waitFor(() => bob.denials.includes('update-refused'), 'the held update refused');
      await sync.service.flush();
      expect(await storedText(store, room)).toBe('甲');
      expect(observer.doc.getText('body').toJSON()).toBe('甲');
    } finally {
      bob.ws.terminate();
      observer.destroy();
    }
  });

  it('refuses an edit replayed on a reconnect after the change, and tells nothing for an empty reply', async () => {
    const room = 'doc:replay';
    access.set('alice', 'read').set('bob', 'read');
    const bob = await rawClient(`${sync.url}/${room}?token=tok-bob`);
    try {
      // The stock reply to the server's sync step 1 when the client has nothing new: no denial.
      bob.ws.send(Uint8Array.of(0, 1, 2, 0, 0));
      // The outbox of an offline editor: its edit arrives as sync step 2 on the new socket.
      const offline = textUpdate('离线修改');
      bob.ws.send(Uint8Array.of(0, 1, offline.length, ...offline));
      await waitFor(() => bob.denials.length > 0, 'a denial');
      expect(bob.denials).toEqual(['update-refused']);
      await sync.service.flush();
      expect(await storedText(store, room)).toBe('');
    } finally {
      bob.ws.terminate();
    }
  });

  it('closes with 4403 a connection whose access is withdrawn altogether', async () => {
    const room = 'doc:withdrawn';
    access.set('carol', 'write');
    const carol = await rawClient(`${sync.url}/${room}?token=tok-carol`);
    const ended = closed(carol.ws);
    access.set('carol', 'none');
    await sync.service.reevaluateRoom(room as RoomName);
    expect(await ended).toEqual({ code: 4403, reason: 'no access to this room' });
  });

  it('stamps every presence with the connection’s person: a forged name, id or colour never reaches anyone', async () => {
    const room = 'doc:presence-stamped';
    access.set('alice', 'write').set('bob', 'write');
    const observer = connectProvider(sync.url, room, 'tok-alice');
    const forger = await rawClient(`${sync.url}/${room}?token=tok-bob`);
    try {
      await waitSynced(observer);
      // bob (王建国 here) claims to be 李文, with her id and a colour, in both layouts (y-websocket's and Lexical's).
      forger.ws.send(awarenessMessage(555_001, 1, { user: { id: 'alice', name: '李文', color: '#ff0000' }, name: '李文', color: '#ff0000', cursor: { anchor: 3 } }));
      await waitFor(() => observer.awareness.getStates().has(555_001), 'observer sees the presence');
      expect(observer.awareness.getStates().get(555_001)).toEqual({
        user: { id: 'bob', name: '王建国', color: '#123456' },
        name: '王建国',
        color: '#123456',
        cursor: { anchor: 3 },
      });
      // A state that is not an object carries no identity: it becomes the person's own.
      forger.ws.send(awarenessMessage(555_001, 2, 'anything'));
      await waitFor(() => (observer.awareness.getStates().get(555_001) as { cursor?: unknown } | undefined)?.cursor === undefined, 'second state');
      expect(observer.awareness.getStates().get(555_001)).toEqual({ user: { id: 'bob', name: '王建国', color: '#123456' }, name: '王建国', color: '#123456' });
      // A stock provider's own state is stamped too.
      observer.awareness.setLocalStateField('user', { name: '王建国' });
      const check = connectProvider(sync.url, room, 'tok-alice');
      try {
        await waitSynced(check);
        await waitFor(() => (check.awareness.getStates().get(observer.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name === '李文', 'alice shown as herself');
      } finally {
        check.destroy();
      }
    } finally {
      forger.ws.terminate();
      observer.destroy();
    }
  });
});
