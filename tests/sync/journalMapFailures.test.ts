/**
 * The memory-mapped journal when the disk says no: the real addon, with one call made to fail the
 * way a full disk makes it fail (posix_fallocate's ENOSPC, before anything is copied).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

import type { RoomName } from '../../src/shared/rooms';
import type * as JournalMapModule from '../../src/sync-server/sync/journalMap';
import type { JournalMapAddon } from '../../src/sync-server/sync/journalMap';
import { tempDir } from './helpers';

const failures = vi.hoisted(() => ({ map: 0, write: 0 }));

vi.mock('../../src/sync-server/sync/journalMap', async (importOriginal) => {
  const real = await importOriginal<typeof JournalMapModule>();
  const addon = real.journalMapAddon();
  const diskFull = (): Error => Object.assign(new Error('reserving journal space: No space left on device'), { code: 'ENOSPC' });
  const failing: JournalMapAddon | undefined = addon && {
    map: (fd, capacity) => {
      if (failures.map > 0 && failures.map-- > 0) throw diskFull();
      return addon.map(fd, capacity);
    },
    write: (handle, data, position) => {
      if (failures.write > 0 && failures.write-- > 0) throw diskFull();
      addon.write(handle, data, position);
    },
    unmap: (handle) => addon.unmap(handle),
  };
  return { ...real, journalMapAddon: () => failing };
});

const { SqliteRoomUpdateStore } = await import('../../src/sync-server/sync/sqliteStore');
const { JOURNAL_SUFFIX, readJournal } = await import('../../src/sync-server/sync/sqliteJournal');

const text = (updates: Uint8Array[]) => updates.map((update) => Buffer.from(update).toString());
const entry = (room: string, value: string) => ({ room: room as RoomName, update: Buffer.from(value) });

describe.runIf(process.platform === 'linux')('memory-mapped journal on a full disk', () => {
  const tmp = tempDir();
  let n = 0;
  const dbPath = () => join(tmp.dir, `full-${n++}.db`);
  afterAll(() => tmp.remove());
  beforeEach(() => {
    failures.map = 0;
    failures.write = 0;
  });

  it('writes the journal with pwrite when its first reservation fails, and keeps every update', async () => {
    failures.map = 1;
    const path = dbPath();
    const store = new SqliteRoomUpdateStore(path);
    try {
      expect(store.immediateCommits).toBe(false);
      await store.appendBatch([entry('doc:a', 'one')]);
      await store.appendBatch([entry('doc:a', 'two')]);
      const found = readJournal(path + JOURNAL_SUFFIX, { epoch: 0, offset: 0 });
      expect(found?.batches.map((batch) => text(batch.entries.map((e) => e.update)))).toEqual([['one'], ['two']]);
    } finally {
      store.close();
    }
    // The next journal (a new epoch at the next open) is mapped again once there is room.
    const reopened = new SqliteRoomUpdateStore(path);
    try {
      expect(reopened.immediateCommits).toBe(true);
      expect(text(await reopened.load('doc:a' as RoomName))).toEqual(['one', 'two']);
    } finally {
      reopened.close();
    }
  });

  it('rejects a commit whose space cannot be reserved, keeps nothing of it, and goes on', async () => {
    const path = dbPath();
    const store = new SqliteRoomUpdateStore(path);
    try {
      expect(store.immediateCommits).toBe(true);
      await store.appendBatch([entry('doc:a', 'one')]);
      failures.write = 1;
      await expect(store.appendBatch([entry('doc:a', 'lost'), entry('doc:b', 'lost too')])).rejects.toThrow(/No space left/);
      expect(text(await store.load('doc:a' as RoomName))).toEqual(['one']);
      expect(await store.count('doc:b' as RoomName)).toBe(0);
      await store.appendBatch([entry('doc:a', 'two')]);
      const found = readJournal(path + JOURNAL_SUFFIX, { epoch: 0, offset: 0 });
      expect(found?.batches.map((batch) => text(batch.entries.map((e) => e.update)))).toEqual([['one'], ['two']]);
    } finally {
      store.close();
    }
    expect(existsSync(path + JOURNAL_SUFFIX)).toBe(false);
    const reopened = new SqliteRoomUpdateStore(path);
    try {
      expect(text(await reopened.load('doc:a' as RoomName))).toEqual(['one', 'two']);
      expect(await reopened.count('doc:b' as RoomName)).toBe(0);
    } finally {
      reopened.close();
    }
  });
});
