import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import type { WebSocket } from 'ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import type { RoomName } from '../../src/shared/rooms';
import { PostgresRoomUpdateStore, RedisRoomPubSub, compactUpdates } from '../../src/sync-server/sync';
import { encodeSyncUpdate } from '../../src/sync-server/sync/protocol';
import type { RoomAccess } from '../../src/sync-server/sync/types';
import { accessFor, awarenessMessage, connectProvider, nameOf, openRaw, rawClient, startSync, textUpdate, waitFor, waitSynced, type RunningSync } from './helpers';

const PG_URL = process.env.XIETONG_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.XIETONG_TEST_REDIS ?? 'redis://127.0.0.1:6379';

interface Instance {
  sync: RunningSync;
  pool: pg.Pool;
  redis: Redis;
  pubsub: RedisRoomPubSub;
}

/**
 * Two instances share nothing but PostgreSQL and Redis: each has its own pool, its own Redis
 * connections, its own HTTP port and its own rooms in memory.
 */
describe('two instances behind PostgreSQL and Redis', () => {
  const run = randomBytes(4).toString('hex');
  const schema = `sync_test_${run}`;
  const prefix = `xietong-test-${run}:`;
  const instances: Instance[] = [];
  let admin: pg.Pool;
  /** What the shared rule (the store both instances read) answers now, over the fixture's defaults: `user room` → access. */
  const ruled = new Map<string, RoomAccess>();

  async function startInstance(): Promise<Instance> {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 3 });
    const redis = new Redis(REDIS_URL);
    const pubsub = new RedisRoomPubSub(redis, { prefix });
    const store = new PostgresRoomUpdateStore(pool, { schema });
    const sync = await startSync({
      store,
      pubsub,
      limits: { compactAfterUpdates: 10_000 },
      authorizeRoom: (user, room) => Promise.resolve(ruled.get(`${user.id} ${room}`) ?? accessFor(user.id, room)),
    });
    const instance = { sync, pool, redis, pubsub };
    instances.push(instance);
    return instance;
  }

  function pubsubMessagesIn(instance: Instance): number {
    return Number(/xietong_sync_pubsub_messages_in_total (\d+)/.exec(instance.sync.service.metricsText())?.[1] ?? NaN);
  }

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await startInstance();
    await startInstance();
  });

  afterAll(async () => {
    for (const { sync, pool, redis, pubsub } of instances) {
      await sync.stop();
      await pubsub.close();
      redis.disconnect();
      await pool.end();
    }
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('clients on different instances converge and see each other’s awareness', async () => {
    const [one, two] = instances;
    const a = connectProvider(one!.sync.url, 'doc:shared-across', 'tok-alice');
    const b = connectProvider(two!.sync.url, 'doc:shared-across', 'tok-alice');
    try {
      await Promise.all([waitSynced(a), waitSynced(b)]);
      a.doc.getText('body').insert(0, '甲');
      await waitFor(() => b.doc.getText('body').toJSON() === '甲', 'b (instance 2) sees a’s edit');
      b.doc.getText('body').insert(1, '乙');
      await waitFor(() => a.doc.getText('body').toJSON() === '甲乙', 'a (instance 1) sees b’s edit');
      for (let i = 0; i < 50; i++) (i % 2 ? a : b).doc.getMap('m').set(`k${i}`, i);
      await waitFor(() => a.doc.getMap('m').size === 50 && b.doc.getMap('m').size === 50, 'both have all 50 edits');
      expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));

      a.awareness.setLocalStateField('user', { name: '王建国' });
      b.awareness.setLocalStateField('user', { name: '刘强' });
      const names = (provider: typeof a): string[] =>
        [...provider.awareness.getStates().values()].map((state) => (state as { user?: { name: string } }).user?.name ?? '');
      await waitFor(() => names(b).includes('王建国') && names(a).includes('刘强'), 'awareness crosses instances');
    } finally {
      a.destroy();
      b.destroy();
    }
    // What was broadcast is in PostgreSQL.
    const stored = new Y.Doc();
    const rows = await admin.query<{ data: Buffer }>(`SELECT data FROM "${schema}".sync_room_updates WHERE room = $1 ORDER BY seq`, ['doc:shared-across']);
    Y.applyUpdate(stored, compactUpdates(rows.rows.map((row) => new Uint8Array(row.data))));
    expect(stored.getText('body').toJSON()).toBe('甲乙');
    expect(stored.getMap('m').size).toBe(50);
  });

  it('a person reconnecting through the other instance keeps their presence; nobody else can take it', async () => {
    const [one, two] = instances;
    const room = 'doc:presence-across';
    const watchOne = connectProvider(one!.sync.url, room, 'tok-alice');
    const watchTwo = connectProvider(two!.sync.url, room, 'tok-alice');
    const sockets: WebSocket[] = [];
    try {
      await Promise.all([waitSynced(watchOne), waitSynced(watchTwo)]);
      const bobId = 909_001;
      const first = await openRaw(`${one!.sync.url}/${room}?token=tok-bob`);
      sockets.push(first);
      first.send(awarenessMessage(bobId, 3, { user: { name: '赵强' } }));
      await waitFor(() => nameOf(watchTwo, bobId) === '赵强', 'instance 2 sees bob');

      // carol, on the other instance, cannot rename bob's presence.
      const carol = await openRaw(`${two!.sync.url}/${room}?token=tok-carol`);
      sockets.push(carol);
      carol.send(awarenessMessage(bobId, 9, { user: { name: '冒充' } }));
      await waitFor(() => /xietong_sync_awareness_rejected_total 1\b/.test(two!.sync.service.metricsText()), 'carol’s entry counted');

      // bob's client reconnects through instance 2 before instance 1 noticed the old socket gone,
      // re-sending its state as it was (same clock), as a stock provider does. Nothing changes on
      // screen, but instance 1 is told the id moved.
      const heardOnOne = pubsubMessagesIn(one!);
      const second = await openRaw(`${two!.sync.url}/${room}?token=tok-bob`);
      sockets.push(second);
      second.send(awarenessMessage(bobId, 3, { user: { name: '赵强' } }));
      await waitFor(() => pubsubMessagesIn(one!) > heardOnOne, 'instance 1 hears of the move');
      // Closing the old socket on instance 1 does not remove the presence he now holds on instance 2.
      const open = one!.sync.service.stats().connections;
      first.terminate();
      await waitFor(() => one!.sync.service.stats().connections === open - 1, 'instance 1 saw the old socket close');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(nameOf(watchOne, bobId)).toBe('赵强');
      expect(nameOf(watchTwo, bobId)).toBe('赵强');
      // His rename through instance 2 reaches both sides.
      second.send(awarenessMessage(bobId, 4, { user: { name: '赵强（外出）' } }));
      await waitFor(() => nameOf(watchOne, bobId) === '赵强（外出）' && nameOf(watchTwo, bobId) === '赵强（外出）', 'bob’s rename through instance 2');
      // Leaving through instance 2 removes it everywhere.
      second.terminate();
      await waitFor(() => !watchOne.awareness.getStates().has(bobId) && !watchTwo.awareness.getStates().has(bobId), 'bob left everywhere');
    } finally {
      for (const socket of sockets) socket.terminate();
      watchOne.destroy();
      watchTwo.destroy();
    }
  });

  it('a step change on one instance re-decides the connections on the other: the stale writer there is dropped and told', async () => {
    const [one, two] = instances;
    const room = 'doc:rights-across';
    const observer = connectProvider(one!.sync.url, room, 'tok-alice');
    // Synced first: run alone, the two instances would otherwise create the store's table at once.
    await waitSynced(observer);
    const bob = await rawClient(`${two!.sync.url}/${room}?token=tok-bob`);
    try {
      bob.ws.send(encodeSyncUpdate(textUpdate('签发前')));
      await waitFor(() => observer.doc.getText('body').toJSON() === '签发前', 'bob’s edit through instance 2 reaches instance 1');

      // The document moves on through instance 1 (bob no longer holds it); instance 2 holds bob's socket.
      ruled.set(`bob ${room}`, 'read');
      await one!.sync.service.changeRoomAccess(room as RoomName, () => Promise.resolve());
      await waitFor(() => bob.denials.includes('read-only'), 'instance 2 tells bob he is read-only');

      bob.ws.send(encodeSyncUpdate(textUpdate('签发后偷改')));
      await waitFor(() => bob.denials.includes('update-refused'), 'instance 2 refuses bob’s update');
      await two!.sync.service.flush();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(observer.doc.getText('body').toJSON()).toBe('签发前');
      const rows = await admin.query<{ data: Buffer }>(`SELECT data FROM "${schema}".sync_room_updates WHERE room = $1 ORDER BY seq`, [room]);
      const stored = new Y.Doc();
      for (const row of rows.rows) Y.applyUpdate(stored, new Uint8Array(row.data));
      expect(stored.getText('body').toJSON()).toBe('签发前');
    } finally {
      bob.ws.terminate();
      observer.destroy();
    }
  });

  it('a client joining another instance later gets the content from PostgreSQL and live edits over Redis', async () => {
    const [one, two] = instances;
    const a = connectProvider(one!.sync.url, 'doc:late-across', 'tok-alice');
    try {
      await waitSynced(a);
      a.doc.getMap('meta').set('title', '通知');
      await one!.sync.service.flush();
      const b = connectProvider(two!.sync.url, 'doc:late-across', 'tok-alice');
      try {
        await waitSynced(b);
        await waitFor(() => b.doc.getMap('meta').get('title') === '通知', 'late joiner on instance 2 has the title');
        a.doc.getMap('meta').set('docNumber', '市政办〔2026〕1号');
        await waitFor(() => b.doc.getMap('meta').get('docNumber') === '市政办〔2026〕1号', 'live edit reaches instance 2');
      } finally {
        b.destroy();
      }
    } finally {
      a.destroy();
    }
  });

  it('compacts a room in PostgreSQL inside one transaction', async () => {
    const store = new PostgresRoomUpdateStore(admin, { schema });
    const room = 'doc:pg-compact' as RoomName;
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 2000; i++) doc.getArray<number>('a').push([i]);
    await store.appendBatch(updates.map((update) => ({ room, update })));
    expect(await store.count(room)).toBe(2000);
    expect(await store.compact(room, compactUpdates)).toBe(2000);
    expect(await store.count(room)).toBe(1);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await store.load(room))[0]!);
    expect(loaded.getArray('a').length).toBe(2000);
  });
});
