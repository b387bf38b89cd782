import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { RoomName } from '../../src/shared/rooms';
import { SqliteRoomUpdateStore } from '../../src/sync-server/sync';
import { GroupCommitWriter } from '../../src/sync-server/sync/groupCommit';
import { SyncMetrics } from '../../src/sync-server/sync/metrics';
import type { SyncLogger } from '../../src/sync-server/sync/types';
import { tempDir } from './helpers';

const quiet: SyncLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const update = (text: string) => ({ room: 'doc:g' as RoomName, update: Buffer.from(text) });

/** Enqueues three updates in one turn; records when each one's commit was reported. */
function enqueueThree(writer: GroupCommitWriter): { order: string[] } {
  const order: string[] = [];
  for (const text of ['a', 'b', 'c']) {
    writer.enqueue(update(text), (error) => order.push(error ? `${text} failed` : `${text} committed`));
    order.push(`${text} enqueued`);
  }
  return { order };
}

describe('group commit', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('commits each update as it arrives on a memory-mapped journal, so it can be relayed at once', async () => {
    const store = new SqliteRoomUpdateStore(join(tmp.dir, 'mapped.db'));
    try {
      expect(store.immediateCommits).toBe(process.platform === 'linux');
      if (!store.immediateCommits) return;
      const metrics = new SyncMetrics();
      const writer = new GroupCommitWriter(store, metrics, quiet);
      const { order } = enqueueThree(writer);
      // Durable (in the journal) before enqueue returned: nothing waits for the end of the turn.
      expect(order).toEqual(['a committed', 'a enqueued', 'b committed', 'b enqueued', 'c committed', 'c enqueued']);
      expect(metrics.persistBatches).toBe(3);
      expect((await store.load('doc:g' as RoomName)).map((u) => Buffer.from(u).toString())).toEqual(['a', 'b', 'c']);
    } finally {
      store.close();
    }
  });

  it('gathers the updates of one turn into one commit when each commit is a system call', async () => {
    const store = new SqliteRoomUpdateStore(join(tmp.dir, 'pwrite.db'), { journalMapping: false });
    try {
      expect(store.immediateCommits).toBe(false);
      const metrics = new SyncMetrics();
      const writer = new GroupCommitWriter(store, metrics, quiet);
      const { order } = enqueueThree(writer);
      expect(order).toEqual(['a enqueued', 'b enqueued', 'c enqueued']);
      await writer.flush();
      expect(order.slice(3)).toEqual(['a committed', 'b committed', 'c committed']);
      expect(metrics.persistBatches).toBe(1);
      expect((await store.load('doc:g' as RoomName)).map((u) => Buffer.from(u).toString())).toEqual(['a', 'b', 'c']);
    } finally {
      store.close();
    }
  });
});
