import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import type { RoomName } from '../../src/shared/rooms';
import { compactUpdates, SqliteRoomUpdateStore } from '../../src/sync-server/sync';
import { JOURNAL_SUFFIX, readJournal } from '../../src/sync-server/sync/sqliteJournal';
import { fixtureBundle, tempDir } from './helpers';

type Step = { append: Array<[string, string]> } | { appendMany: number } | { appendLarge: number } | { flush: true } | { copyJournalTo: string };
type JournalMode = 'memory-mapped' | 'pwrite';

const text = (updates: Uint8Array[]) => updates.map((update) => Buffer.from(update).toString());
const entry = (room: string, value: string) => ({ room: room as RoomName, update: Buffer.from(value) });
const tableRows = (store: SqliteRoomUpdateStore, room: string) => store.db.prepare('SELECT count(*) FROM sync_room_updates WHERE room = ?').pluck().get(room) as number;

/** What `{ appendMany: n }` appends to room doc:r<k>, in order. */
const manyOf = (n: number, k: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === k).map((i) => `u${i}`);

describe('SQLite room store journal', () => {
  const tmp = tempDir();
  const bundle = fixtureBundle('journalChild');
  const script = bundle.script;
  let n = 0;
  const dbPath = () => join(tmp.dir, `store-${n++}.db`);

  beforeAll(() => bundle.build());

  afterAll(() => {
    tmp.remove();
    bundle.remove();
  });

  /** Where the journal's last good record ends (a mapped journal's file goes on with zeros). */
  function lastRecordEnd(path: string): number {
    const found = readJournal(path + JOURNAL_SUFFIX, { epoch: 0, offset: 0 });
    const last = found?.batches.at(-1);
    if (!last) throw new Error('the journal holds no record');
    return last.end;
  }

  /** Runs the steps in a child process that then SIGKILLs itself. */
  function killedAfter(path: string, steps: Step[], mode: JournalMode): Promise<void> {
    const child = spawn(process.execPath, [script, path, JSON.stringify(steps), ...(mode === 'pwrite' ? ['pwrite'] : [])], { stdio: ['ignore', 'inherit', 'inherit'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code ?? signal}`))));
    });
  }

  describe.each<JournalMode>(['memory-mapped', 'pwrite'])('written %s', (mode) => {
    const open = (path: string) => new SqliteRoomUpdateStore(path, { journalMapping: mode === 'memory-mapped' });

    it('keeps every appended update across a SIGKILL, ingested or still in the journal', async () => {
      const path = dbPath();
      await killedAfter(path, [{ appendMany: 5_000 }], mode);
      // Some of it was ingested in the background before the kill, the rest only in the journal.
      expect(existsSync(path + JOURNAL_SUFFIX)).toBe(true);
      const store = open(path);
      try {
        for (const k of [0, 1, 2]) {
          expect(text(await store.load(`doc:r${k}` as RoomName))).toEqual(manyOf(5_000, k));
          // Recovery ingests before anything else: it is all in the table now.
          expect(tableRows(store, `doc:r${k}`)).toBe(manyOf(5_000, k).length);
        }
        // Recovered twice (reopened after another kill) it is still there exactly once.
        await store.appendBatch([entry('doc:r0', 'after')]);
      } finally {
        store.close();
      }
      await killedAfter(path, [{ append: [['doc:r1', 'last']] }], mode);
      const again = open(path);
      try {
        expect(text(await again.load('doc:r0' as RoomName))).toEqual([...manyOf(5_000, 0), 'after']);
        expect(text(await again.load('doc:r1' as RoomName))).toEqual([...manyOf(5_000, 1), 'last']);
        expect(await again.count('doc:r2' as RoomName)).toBe(manyOf(5_000, 2).length);
      } finally {
        again.close();
      }
      // A clean close leaves no journal behind.
      expect(existsSync(path + JOURNAL_SUFFIX)).toBe(false);
    });

    it('loses only the torn last record when the journal was cut short', async () => {
      const path = dbPath();
      await killedAfter(path, [{ append: [['doc:a', 'one']] }, { append: [['doc:a', 'two'], ['doc:b', 'x']] }, { append: [['doc:a', 'three']] }], mode);
      truncateSync(path + JOURNAL_SUFFIX, lastRecordEnd(path) - 3);
      const store = open(path);
      try {
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['one', 'two']);
        expect(text(await store.load('doc:b' as RoomName))).toEqual(['x']);
        await store.appendBatch([entry('doc:a', 'four')]);
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['one', 'two', 'four']);
      } finally {
        store.close();
      }
    });

    it('loses only the last record when a byte of it is flipped', async () => {
      const path = dbPath();
      await killedAfter(path, [{ append: [['doc:a', 'one']] }, { append: [['doc:a', 'two']] }, { append: [['doc:a', 'three'], ['doc:b', 'y']] }], mode);
      const journal = readFileSync(path + JOURNAL_SUFFIX);
      const at = lastRecordEnd(path) - 2;
      journal.writeUInt8(journal.readUInt8(at) ^ 0x20, at);
      writeFileSync(path + JOURNAL_SUFFIX, journal);
      const store = open(path);
      try {
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['one', 'two']);
        expect(await store.count('doc:b' as RoomName)).toBe(0);
      } finally {
        store.close();
      }
    });

    it('opens with a journal whose header is garbage (a file cut before its header was written)', async () => {
      const path = dbPath();
      await killedAfter(path, [{ append: [['doc:a', 'one']] }], mode);
      truncateSync(path + JOURNAL_SUFFIX, 7);
      const store = open(path);
      try {
        expect(await store.count('doc:a' as RoomName)).toBe(0);
        await store.appendBatch([entry('doc:a', 'two')]);
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['two']);
      } finally {
        store.close();
      }
    });

    it('never ingests a journal of an epoch SQLite has already taken in', async () => {
      const path = dbPath();
      const copy = join(tmp.dir, 'journal-copy');
      await killedAfter(path, [{ append: [['doc:a', 'one']] }, { append: [['doc:a', 'two']] }], mode);
      copyFileSync(path + JOURNAL_SUFFIX, copy);
      // Recovery ingests it, and closing marks that journal and its successor as ingested.
      const first = open(path);
      await first.appendBatch([entry('doc:a', 'three')]);
      first.close();
      // As if the old file had survived the ingest: a crash before the truncation reached the disk.
      copyFileSync(copy, path + JOURNAL_SUFFIX);
      const store = open(path);
      try {
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['one', 'two', 'three']);
        expect(tableRows(store, 'doc:a')).toBe(3);
      } finally {
        store.close();
      }
    });

    it('reads a journal of the current epoch only from where the last ingest stopped', async () => {
      const path = dbPath();
      const copy = join(tmp.dir, 'journal-copy-2');
      await killedAfter(path, [
        { append: [['doc:a', 'one']] },
        { append: [['doc:a', 'two'], ['doc:b', 'x']] },
        { flush: true },
        { append: [['doc:a', 'three']] },
        { copyJournalTo: copy },
        { flush: true },
        { append: [['doc:a', 'four']] },
      ], mode);
      const store = open(path);
      try {
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['one', 'two', 'three', 'four']);
        expect(text(await store.load('doc:b' as RoomName))).toEqual(['x']);
      } finally {
        store.close();
      }
      // The same file as it was one ingest earlier, after that ingest was committed: only what came
      // after the ingested offset would count, and that is in SQLite already.
      const other = dbPath();
      await killedAfter(other, [{ append: [['doc:a', 'one']] }, { flush: true }, { append: [['doc:a', 'two']] }, { copyJournalTo: copy }, { flush: true }], mode);
      copyFileSync(copy, other + JOURNAL_SUFFIX);
      const reopened = open(other);
      try {
        expect(text(await reopened.load('doc:a' as RoomName))).toEqual(['one', 'two']);
      } finally {
        reopened.close();
      }
    });

    it('keeps updates that outgrew the first reservation of the journal across a SIGKILL', async () => {
      const path = dbPath();
      await killedAfter(path, [{ append: [['doc:a', 'one']] }, { appendLarge: 12 }, { append: [['doc:a', 'two']] }], mode);
      // 12 × 256 KiB: past the first 1 MiB of a mapped journal, which grew while it was written.
      expect(lastRecordEnd(path)).toBeGreaterThan(3 * 1024 * 1024);
      // The child really wrote that way: a mapped journal's file is its reservation (1, 2, then 4 MiB).
      const size = statSync(path + JOURNAL_SUFFIX).size;
      expect(size).toBe(mode === 'memory-mapped' ? 4 * 1024 * 1024 : lastRecordEnd(path));
      const store = open(path);
      try {
        const large = await store.load('doc:large' as RoomName);
        expect(large.map((update) => [update.length, update[0], update[update.length - 1]])).toEqual(
          Array.from({ length: 12 }, (_, i) => [256 * 1024, i, i]),
        );
        expect(text(await store.load('doc:a' as RoomName))).toEqual(['one', 'two']);
      } finally {
        store.close();
      }
    });
  });

  it('load and count include updates still waiting in the journal', async () => {
    const store = new SqliteRoomUpdateStore(dbPath());
    try {
      await store.appendBatch([entry('doc:a', 'one'), entry('doc:b', 'x')]);
      store.flushJournal();
      await store.appendBatch([entry('doc:a', 'two')]);
      await store.appendBatch([entry('doc:b', 'y'), entry('doc:a', 'three')]);
      expect(tableRows(store, 'doc:a')).toBe(1);
      expect(text(await store.load('doc:a' as RoomName))).toEqual(['one', 'two', 'three']);
      expect(text(await store.load('doc:b' as RoomName))).toEqual(['x', 'y']);
      expect(await store.count('doc:a' as RoomName)).toBe(3);
      expect(await store.count('doc:c' as RoomName)).toBe(0);
      // Ingested on the timer (~250 ms) without anyone asking.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(tableRows(store, 'doc:a')).toBe(3);
      expect(await store.count('doc:a' as RoomName)).toBe(3);
    } finally {
      store.close();
    }
  });

  it('compacts a room whose updates are still in the journal, and later appends stay after the merged row', async () => {
    const store = new SqliteRoomUpdateStore(dbPath());
    try {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      for (const ch of '拟同意请示') doc.getText('body').insert(doc.getText('body').length, ch);
      await store.appendBatch(updates.slice(0, 2).map((update) => ({ room: 'doc:y' as RoomName, update })));
      store.flushJournal();
      await store.appendBatch(updates.slice(2).map((update) => ({ room: 'doc:y' as RoomName, update })));
      await store.appendBatch([entry('doc:other', 'z')]);
      expect(await store.compact('doc:y' as RoomName, compactUpdates)).toBe(5);
      expect(tableRows(store, 'doc:y')).toBe(1);
      doc.getText('body').insert(5, '。');
      await store.appendBatch([{ room: 'doc:y' as RoomName, update: updates[5]! }]);
      const loaded = new Y.Doc();
      for (const update of await store.load('doc:y' as RoomName)) Y.applyUpdate(loaded, update);
      expect(loaded.getText('body').toJSON()).toBe('拟同意请示。');
      store.flushJournal();
      const seqs = store.db.prepare('SELECT seq FROM sync_room_updates WHERE room = ? ORDER BY seq').pluck().all('doc:y') as number[];
      expect(seqs).toHaveLength(2);
    } finally {
      store.close();
    }
  });

  it('restarts a large journal with the next epoch once its content is in SQLite', async () => {
    const path = dbPath();
    const store = new SqliteRoomUpdateStore(path);
    try {
      const big = Buffer.alloc(1024 * 1024, 7);
      for (let i = 0; i < 66; i++) await store.appendBatch([{ room: 'doc:big' as RoomName, update: big }]);
      const epoch = readJournal(path + JOURNAL_SUFFIX, { epoch: 0, offset: 0 })!.epoch;
      expect(lastRecordEnd(path)).toBeGreaterThan(66 * 1024 * 1024);
      store.flushJournal();
      const restarted = readJournal(path + JOURNAL_SUFFIX, { epoch: 0, offset: 0 })!;
      expect(restarted.epoch).toBe(epoch + 1);
      expect(restarted.batches).toEqual([]);
      // A new file: at most its first reservation when mapped, its header otherwise.
      expect(statSync(path + JOURNAL_SUFFIX).size).toBeLessThanOrEqual(1024 * 1024);
      expect(await store.count('doc:big' as RoomName)).toBe(66);
    } finally {
      store.close();
    }
  }, 60_000);

  it('memory-maps the journal on Linux, unless it is synced record by record or told not to', () => {
    const stores = {
      byDefault: new SqliteRoomUpdateStore(dbPath()),
      full: new SqliteRoomUpdateStore(dbPath(), { synchronous: 'FULL' }),
      pwrite: new SqliteRoomUpdateStore(dbPath(), { journalMapping: false }),
      inMemory: new SqliteRoomUpdateStore(':memory:'),
    };
    try {
      // The addon is built by `npm ci` (scripts/build-node.mjs); on Linux its absence is a defect.
      expect(stores.byDefault.immediateCommits).toBe(process.platform === 'linux');
      expect(stores.full.immediateCommits).toBe(false);
      expect(stores.pwrite.immediateCommits).toBe(false);
      expect(stores.inMemory.immediateCommits).toBe(false);
    } finally {
      for (const store of Object.values(stores)) store.close();
    }
  });

  it('keeps one transaction per batch and no journal for an in-memory database', async () => {
    const store = new SqliteRoomUpdateStore(':memory:');
    try {
      await store.appendBatch([entry('doc:a', 'one')]);
      expect(tableRows(store, 'doc:a')).toBe(1);
      expect(existsSync(`:memory:${JOURNAL_SUFFIX}`)).toBe(false);
    } finally {
      store.close();
    }
  });

  it('creates the table without AUTOINCREMENT', () => {
    const store = new SqliteRoomUpdateStore(dbPath());
    try {
      const sql = store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'sync_room_updates'").pluck().get() as string;
      expect(sql).not.toMatch(/AUTOINCREMENT/i);
    } finally {
      store.close();
    }
  });
});
