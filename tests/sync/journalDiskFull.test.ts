/**
 * The journal when the disk says no. Memory-mapped: the real addon, with one call made to fail the
 * way a full disk makes it fail (posix_fallocate's ENOSPC, before anything is copied). Written with
 * pwrite: file operations whose write gets half a record out, then fails.
 */
import { existsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

import type { RoomName } from '../../src/shared/rooms';
import type * as JournalMapModule from '../../src/sync-server/sync/journalMap';
import type { JournalMapAddon } from '../../src/sync-server/sync/journalMap';
import type { JournalIo } from '../../src/sync-server/sync/sqliteJournal';
import { tempDir } from './helpers';

type JournalMode = 'memory-mapped' | 'pwrite';

const { failures, diskFull } = vi.hoisted(() => ({
  failures: { map: 0, write: 0 },
  diskFull: (): Error => Object.assign(new Error('reserving journal space: No space left on device'), { code: 'ENOSPC' }),
}));

vi.mock('../../src/sync-server/sync/journalMap', async (importOriginal) => {
  const real = await importOriginal<typeof JournalMapModule>();
  const addon = real.journalMapAddon();
  const failing: JournalMapAddon | undefined = addon && {
    map: (fd, capacity) => {
      if (failures.map > 0) {
        failures.map -= 1;
        throw diskFull();
      }
      return addon.map(fd, capacity);
    },
    write: (handle, data, position) => {
      if (failures.write > 0) {
        failures.write -= 1;
        throw diskFull();
      }
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

describe.runIf(process.platform === 'linux')('the SQLite journal on a full disk', () => {
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

  // The same full disk for both ways of writing: with pwrite, half the record gets out before the
  // write fails (the next record goes over it); mapped, the growth fails before any byte is copied.
  it.each<JournalMode>(['memory-mapped', 'pwrite'])(
    'rejects a commit the disk has no room for (%s), keeps nothing of it, and goes on',
    async (mode) => {
      let failNext = false;
      const io: JournalIo = {
        writeSync: (fd, buffer, offset, length, position) => {
          if (!failNext) return writeSync(fd, buffer, offset, length, position);
          failNext = false;
          writeSync(fd, buffer, offset, Math.floor(length / 2), position);
          throw diskFull();
        },
        fdatasyncSync: () => undefined,
      };
      const path = dbPath();
      const store = new SqliteRoomUpdateStore(path, mode === 'pwrite' ? { journalIo: io } : {});
      try {
        expect(store.immediateCommits).toBe(mode === 'memory-mapped');
        await store.appendBatch([entry('doc:a', 'one')]);
        if (mode === 'pwrite') failNext = true;
        else failures.write = 1;
        await expect(store.appendBatch([entry('doc:a', 'lost'), entry('doc:b', 'lost too')])).rejects.toMatchObject({ code: 'ENOSPC' });
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['one']);
        expect(await store.count('doc:b' as RoomName)).toBe(0);
        await store.appendBatch([entry('doc:a', 'two')]);
        // What a restart would read: the good records only, the later one where the lost one was.
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
    },
  );
});
