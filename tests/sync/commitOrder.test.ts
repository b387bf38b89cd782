import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';

import type { RoomName } from '../../src/shared/rooms';
import { SqliteRoomUpdateStore } from '../../src/sync-server/sync';
import type { RoomUpdateEntry, RoomUpdateStore } from '../../src/sync-server/sync/types';
import { closed, connectProvider, sqliteSyncSuite, startSync, tempDir, waitFor, waitSynced, type RunningSync } from './helpers';

/** A real SQLite store whose commits wait until the test opens the gate, or fail on demand. */
class GatedStore implements RoomUpdateStore {
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;
  failNext = false;
  committed = 0;

  constructor(private readonly inner: SqliteRoomUpdateStore) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate();
  }

  load(room: RoomName): Promise<Uint8Array[]> {
    return this.inner.load(room);
  }

  async appendBatch(entries: readonly RoomUpdateEntry[]): Promise<void> {
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    await this.inner.appendBatch(entries);
    this.committed += entries.length;
  }

  count(room: RoomName): Promise<number> {
    return this.inner.count(room);
  }

  compact(room: RoomName, merge: (updates: Uint8Array[]) => Uint8Array): Promise<number> {
    return this.inner.compact(room, merge);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('nothing reaches another client before it is committed', () => {
  const tmp = tempDir();
  let inner: SqliteRoomUpdateStore;
  let store: GatedStore;
  let sync: RunningSync;

  beforeAll(async () => {
    inner = new SqliteRoomUpdateStore(`${tmp.dir}/sync.db`);
    store = new GatedStore(inner);
    sync = await startSync({ store });
  });

  afterAll(async () => {
    store.release();
    await sync.stop();
    inner.close();
    tmp.remove();
  });

  it('holds the relay and a newcomer’s initial state until the commit', async () => {
    const writer = connectProvider(sync.url, 'doc:gated', 'tok-alice');
    const watcher = connectProvider(sync.url, 'doc:gated', 'tok-alice');
    try {
      await Promise.all([waitSynced(writer), waitSynced(watcher)]);
      store.hold();
      writer.doc.getText('body').insert(0, '待提交');
      const newcomer = connectProvider(sync.url, 'doc:gated', 'tok-alice');
      try {
        await sleep(300);
        expect(watcher.doc.getText('body').toJSON()).toBe('');
        expect(newcomer.synced).toBe(false);
        expect(store.committed).toBe(0);
        store.release();
        await waitFor(() => watcher.doc.getText('body').toJSON() === '待提交', 'relayed after commit');
        await waitFor(() => newcomer.synced && newcomer.doc.getText('body').toJSON() === '待提交', 'newcomer synced after commit');
        expect(store.committed).toBeGreaterThan(0);
      } finally {
        newcomer.destroy();
      }
    } finally {
      writer.destroy();
      watcher.destroy();
    }
  });

  it('a failed commit relays nothing and disconnects the room’s clients with 1011', async () => {
    await expectFailedCommitRecovers(sync, () => (store.failNext = true), inner);
  });
});

/** The SQLite store's own synchronous commit (what the server uses), failing on demand. */
class FailingSyncStore extends SqliteRoomUpdateStore {
  failNext = false;

  override appendBatchSync(entries: readonly RoomUpdateEntry[]): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    super.appendBatchSync(entries);
  }
}

describe('a synchronous commit that fails', () => {
  const suite = sqliteSyncSuite({ makeStore: (path) => new FailingSyncStore(path) });

  it('relays nothing and disconnects the room’s clients with 1011, who then re-send', async () => {
    await expectFailedCommitRecovers(suite.sync, () => (suite.store.failNext = true), suite.store);
  });
});

/** One edit's commit fails: nothing is relayed, the room's clients get 1011, reconnect and re-send. */
async function expectFailedCommitRecovers(sync: RunningSync, failNext: () => void, inner: SqliteRoomUpdateStore): Promise<void> {
  const writer = connectProvider(sync.url, 'doc:failing', 'tok-alice');
  const watcher = connectProvider(sync.url, 'doc:failing', 'tok-alice');
  try {
    await Promise.all([waitSynced(writer), waitSynced(watcher)]);
    const watcherClosed = closed(watcher.ws as unknown as WebSocket);
    failNext();
    writer.doc.getText('body').insert(0, '丢失');
    const { code } = await watcherClosed;
    expect(code).toBe(1011);
    expect(watcher.doc.getText('body').toJSON()).toBe('');
    expect(sync.service.metricsText()).toMatch(/xietong_sync_persist_failures_total 1/);
    // The providers reconnect; the writer re-sends what the server did not keep.
    await waitFor(() => watcher.doc.getText('body').toJSON() === '丢失', 'edit re-sent after reconnect', 20_000);
    expect(new TextDecoder().decode((await inner.load('doc:failing' as RoomName)).at(-1))).toContain('丢失');
  } finally {
    writer.destroy();
    watcher.destroy();
  }
}
