/**
 * Room updates in embedded SQLite (better-sqlite3, WAL): one row per update, compacted in one
 * transaction.
 *
 * On a database file, a commit is one append to a journal beside it (sqliteJournal.ts), not a
 * transaction; where the journal is memory-mapped (journalMap.ts) the append is a copy, no system
 * call, and the sync service commits each update as it arrives (`immediateCommits`). Measured
 * with the journal written with pwrite: 10,000 appendBatch calls of 1–2 small updates, one per
 * event-loop turn, on this machine (2 busy cores; the bare loop costs 6–10 µs of CPU per turn):
 * 46–52 µs of CPU per call with a transaction each (33 µs median in the call, a 7–17 ms turn on a
 * checkpoint); 17–31 µs with the journal, background ingests included (6 µs median in the call),
 * the longest turn being an ingest of 2,000 updates (8–13 ms, with a checkpoint).
 *
 * The journaled updates are kept in memory too (`load` and `count` see them) and moved into
 * `sync_room_updates` ("ingested") in one transaction at most ~250 ms later, or as soon as ~2,000
 * of them or ~4 MiB are waiting. The same transaction records in `sync_journal_state` the journal's
 * epoch and the offset ingested up to, so after a crash at any point the journal is read from where
 * SQLite stopped and nothing is stored twice. Everything runs synchronously on the caller's thread
 * (better-sqlite3 is synchronous), so no append ever interleaves with an ingest.
 *
 * A journal only grows (by whole records) until an ingest finds it past 64 MiB (or the store
 * opens or closes), and only after SQLite has *durably* committed everything in it (that one commit
 * runs with `synchronous = FULL`) is it truncated and restarted with the next epoch. With
 * `synchronous = NORMAL` a power cut can lose the last ingests and the journal's last appends, but
 * both are prefixes of one sequence of updates, so what survives is still a prefix: never a gap.
 *
 * An in-memory database (`:memory:`, tests) has no journal: one transaction per group commit.
 */
import Database from 'better-sqlite3';

import type { RoomName } from '../../shared/rooms';
import { JOURNAL_HEADER_BYTES, JOURNAL_SUFFIX, JournalWriter, readJournal, type JournalIo, type JournalWriterOptions } from './sqliteJournal';
import type { RoomUpdateEntry, RoomUpdateStore } from './types';

/** Options of {@link SqliteRoomUpdateStore}. */
export interface SqliteRoomUpdateStoreOptions {
  /**
   * `NORMAL` (default when this store opens the file): every append is written to the journal
   * before it returns, so a killed process loses nothing; only a power cut can lose the last
   * appends. `FULL` also survives power loss: the journal is fdatasync'ed on every group commit
   * (as a FULL transaction was: one device flush, blocking the event loop), and SQLite syncs every
   * ingest. An open Database passed
   * in keeps its owner's setting, and the journal follows it.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** Called when a background ingest fails (it is retried; the updates stay safe in the journal). */
  onIngestError?: (error: Error) => void;
  /** The journal's file operations (tests make writes fail with it); the journal is then not mapped. */
  journalIo?: JournalIo;
  /**
   * Whether the journal is memory-mapped where the addon is built (default true): each update is
   * then committed and relayed as it is read (see `immediateCommits`). `false` writes each group
   * commit with pwrite.
   */
  journalMapping?: boolean;
}

/** Ingest at most this long after the first update waiting in the journal. */
const INGEST_DELAY_MS = 250;
/** Ingest at once (next turn of the event loop) when this many updates or bytes are waiting. */
const INGEST_ENTRIES = 2_000;
const INGEST_BYTES = 4 * 1024 * 1024;
/** Restart the journal (with an fsync of SQLite) once it is this large. */
const ROTATE_BYTES = 64 * 1024 * 1024;
/** A failed background ingest is retried after this long. */
const RETRY_DELAY_MS = 1_000;

/** {@link RoomUpdateStore} on SQLite. Takes a file path or an open better-sqlite3 Database. */
export class SqliteRoomUpdateStore implements RoomUpdateStore {
  readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly insert: Database.Statement<[string, Buffer]>;
  private readonly selectRoom: Database.Statement<[string], { data: Buffer }>;
  private readonly selectRoomWithSeq: Database.Statement<[string], { seq: number; data: Buffer }>;
  private readonly countRoom: Database.Statement<[string], { n: number }>;
  private readonly deleteUpTo: Database.Statement<[string, number]>;
  private readonly insertAt: Database.Statement<[number, string, Buffer]>;
  private readonly appendAll: (entries: readonly RoomUpdateEntry[]) => void;
  private readonly journaled: Journaled | undefined;

  constructor(database: string | Database.Database, options: SqliteRoomUpdateStoreOptions = {}) {
    this.ownsDb = typeof database === 'string';
    this.db = typeof database === 'string' ? new Database(database) : database;
    if (this.ownsDb) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      this.db.pragma('busy_timeout = 5000');
    }
    // No AUTOINCREMENT (it rewrites sqlite_sequence on every insert): a new row gets max(seq) + 1,
    // which only ever grows, since nothing deletes a room's last row but compaction, and that puts
    // the merged row back at that very seq. Tables made with AUTOINCREMENT before keep it.
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sync_room_updates (
        seq INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS sync_room_updates_room ON sync_room_updates (room, seq);
    `);
    this.insert = this.db.prepare('INSERT INTO sync_room_updates (room, data) VALUES (?, ?)');
    this.selectRoom = this.db.prepare('SELECT data FROM sync_room_updates WHERE room = ? ORDER BY seq');
    this.selectRoomWithSeq = this.db.prepare('SELECT seq, data FROM sync_room_updates WHERE room = ? ORDER BY seq');
    this.countRoom = this.db.prepare('SELECT count(*) AS n FROM sync_room_updates WHERE room = ?');
    this.deleteUpTo = this.db.prepare('DELETE FROM sync_room_updates WHERE room = ? AND seq <= ?');
    this.insertAt = this.db.prepare('INSERT INTO sync_room_updates (seq, room, data) VALUES (?, ?, ?)');
    this.appendAll = this.db.transaction((entries: readonly RoomUpdateEntry[]) => {
      for (const { room, update } of entries) this.insert.run(room, toBuffer(update));
    });
    if (!this.db.memory && this.db.name !== '') {
      try {
        this.journaled = new Journaled(this.db, this.insert, `${this.db.name}${JOURNAL_SUFFIX}`, options);
      } catch (error) {
        if (this.ownsDb) this.db.close();
        throw error;
      }
    }
  }

  load(room: RoomName): Promise<Uint8Array[]> {
    return attempt(() => {
      const rows = this.selectRoom.all(room).map((row): Uint8Array => new Uint8Array(row.data));
      const pending = this.journaled?.pendingOf(room);
      return pending ? rows.concat(pending) : rows;
    });
  }

  appendBatch(entries: readonly RoomUpdateEntry[]): Promise<void> {
    return attempt(() => this.appendBatchSync(entries));
  }

  /**
   * True while the journal is memory-mapped: an append then costs about a copy (no system call),
   * so the sync service commits every update as it is read and relays it at once.
   */
  get immediateCommits(): boolean {
    return this.journaled?.mapped ?? false;
  }

  /** Done when it returns: the sync service relays in the same turn as it received. */
  appendBatchSync(entries: readonly RoomUpdateEntry[]): void {
    if (entries.length === 0) return;
    if (this.journaled) this.journaled.append(entries);
    else this.appendAll(entries);
  }

  count(room: RoomName): Promise<number> {
    return attempt(() => (this.countRoom.get(room)?.n ?? 0) + (this.journaled?.pendingOf(room)?.length ?? 0));
  }

  compact(room: RoomName, merge: (updates: Uint8Array[]) => Uint8Array): Promise<number> {
    // One immediate transaction: read, merge, replace. Nothing else writes meanwhile (one writer).
    const run = this.db.transaction((): number => {
      const rows = this.selectRoomWithSeq.all(room);
      if (rows.length < 2) return rows.length;
      const last = rows[rows.length - 1]!.seq;
      const merged = merge(rows.map((row) => new Uint8Array(row.data)));
      this.deleteUpTo.run(room, last);
      // The merged row takes the last merged row's place, so it stays older than later appends.
      this.insertAt.run(last, room, toBuffer(merged));
      return rows.length;
    });
    return attempt(() => {
      // The journaled updates are part of the room: into the table first, so they are merged too.
      this.journaled?.ingest();
      return run.immediate();
    });
  }

  /** Moves every journaled update into `sync_room_updates` now (no-op without a journal). */
  flushJournal(): void {
    this.journaled?.ingest();
  }

  /**
   * Ingests the journal and deletes it, then closes the database if this store opened it. If the
   * ingest fails the journal stays (the next open ingests it) and the error is thrown.
   */
  close(): void {
    try {
      this.journaled?.close();
    } finally {
      if (this.ownsDb && this.db.open) this.db.close();
    }
  }
}

/** The journal side of the store: appends, what is waiting in memory, and ingests. */
class Journaled {
  /** Appended but not yet ingested, in order; their updates are views into the written records. */
  private pending: RoomUpdateEntry[] = [];
  private pendingByRoom = new Map<RoomName, Uint8Array[]>();
  private pendingBytes = 0;
  private writer: JournalWriter | undefined;
  /** The epoch of the current journal (SQLite's `ingested_epoch` once anything was ingested from it). */
  private epoch: number;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly sync: boolean;
  private readonly readState: Database.Statement<[], { ingested_epoch: number; ingested_offset: number }>;
  private readonly writeState: Database.Statement<[number, number]>;
  private readonly ingestAll: (entries: readonly RoomUpdateEntry[], epoch: number, offset: number) => void;

  constructor(
    private readonly db: Database.Database,
    insert: Database.Statement<[string, Buffer]>,
    private readonly path: string,
    private readonly options: SqliteRoomUpdateStoreOptions,
  ) {
    // synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. The journal is as durable as SQLite would be.
    this.sync = Number(db.pragma('synchronous', { simple: true })) >= 2;
    // wal_autocheckpoint stays at SQLite's default (a checkpoint after a commit that leaves the WAL
    // over 1,000 pages). A transaction per group commit wrote a few pages, so a checkpoint (up to
    // ~11 ms on the event loop) came every few hundred commits; an ingest of 2,000 small updates
    // writes ~100 pages, so it now comes every ~10 ingests, about 20,000 updates. Measured here
    // (2,000 updates per ingest): median 5 ms per ingest, 8–10 ms with the autocheckpoint off or
    // at 10,000 pages, 10–20 ms when one lands. Raising it would only defer the same work to a
    // larger checkpoint, or to the server's own connection on an HTTP request.
    db.exec(`CREATE TABLE IF NOT EXISTS sync_journal_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      ingested_epoch INTEGER NOT NULL,
      ingested_offset INTEGER NOT NULL
    )`);
    db.prepare('INSERT INTO sync_journal_state (id, ingested_epoch, ingested_offset) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING').run();
    this.readState = db.prepare('SELECT ingested_epoch, ingested_offset FROM sync_journal_state WHERE id = 1');
    this.writeState = db.prepare('UPDATE sync_journal_state SET ingested_epoch = ?, ingested_offset = ? WHERE id = 1');
    this.ingestAll = db.transaction((entries: readonly RoomUpdateEntry[], epoch: number, offset: number) => {
      for (const { room, update } of entries) insert.run(room, toBuffer(update));
      this.writeState.run(epoch, offset);
    });

    // Recovery: what the journal holds beyond what SQLite recorded as ingested goes in first, in
    // order; a journal of an older epoch is all in SQLite already.
    const state = this.readState.get()!;
    const found = readJournal(path, { epoch: state.ingested_epoch, offset: state.ingested_offset });
    const recovered = found?.batches.flatMap((batch) => batch.entries) ?? [];
    this.epoch = Math.max(found?.epoch ?? 0, state.ingested_epoch) + 1;
    // The old file is overwritten just below: what it held must be durable in SQLite first.
    if (recovered.length > 0) this.durably(() => this.ingestAll(recovered, this.epoch, JOURNAL_HEADER_BYTES));
    this.writer = JournalWriter.create(path, this.epoch, this.journalOptions());
  }

  private journalOptions(): JournalWriterOptions {
    return { sync: this.sync, map: this.options.journalMapping ?? true, ...(this.options.journalIo ? { io: this.options.journalIo } : {}) };
  }

  /** Whether the current journal is memory-mapped. */
  get mapped(): boolean {
    return this.writer?.mapped ?? false;
  }

  pendingOf(room: RoomName): Uint8Array[] | undefined {
    return this.pendingByRoom.get(room);
  }

  /** Appends one batch to the journal (throws if it could not be written) and keeps it pending. */
  append(entries: readonly RoomUpdateEntry[]): void {
    if (this.closed) throw new Error('sync room store is closed');
    // After a rotation whose new file could not be created, the next append tries again.
    this.writer ??= JournalWriter.create(this.path, this.epoch, this.journalOptions());
    const updates = this.writer.append(entries);
    entries.forEach(({ room }, i) => {
      const update = updates[i]!;
      this.pending.push({ room, update });
      this.pendingBytes += update.length;
      const ofRoom = this.pendingByRoom.get(room);
      if (ofRoom) ofRoom.push(update);
      else this.pendingByRoom.set(room, [update]);
    });
    if (this.pending.length >= INGEST_ENTRIES || this.pendingBytes >= INGEST_BYTES) {
      // After this commit's updates are relayed, not before.
      this.immediate ??= setImmediate(this.ingestInBackground);
    } else {
      this.schedule(INGEST_DELAY_MS);
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(this.ingestInBackground, delayMs);
    this.timer.unref();
  }

  private readonly ingestInBackground = (): void => {
    try {
      this.ingest();
    } catch (error) {
      this.options.onIngestError?.(error instanceof Error ? error : new Error(String(error)));
      this.schedule(RETRY_DELAY_MS);
    }
  };

  /** Moves every pending update into SQLite in one transaction (restarting a large journal). */
  ingest(): void {
    this.cancelTimers();
    const writer = this.writer;
    if (!writer) {
      // A rotation committed but its new journal could not be created: nothing is pending.
      return;
    }
    if (writer.size >= ROTATE_BYTES) {
      this.rotate(false);
      return;
    }
    if (this.pending.length === 0) return;
    this.ingestAll(this.pending, this.epoch, writer.size);
    this.clearPending();
  }

  /**
   * Ingests what is pending and marks the whole journal as ingested (the next epoch, nothing of it
   * yet), durably; then replaces the file by the next epoch's, or deletes it when closing.
   */
  private rotate(closing: boolean): void {
    this.cancelTimers();
    const next = this.epoch + 1;
    this.durably(() => this.ingestAll(this.pending, next, JOURNAL_HEADER_BYTES));
    this.clearPending();
    this.epoch = next;
    const writer = this.writer;
    this.writer = undefined;
    writer?.close(closing);
    if (!closing) this.writer = JournalWriter.create(this.path, this.epoch, this.journalOptions());
  }

  /** Ingests everything and deletes the journal. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.rotate(true);
    } finally {
      // Still open only when the ingest failed: the file stays for the next open to ingest.
      this.writer?.close(false);
      this.writer = undefined;
    }
  }

  /** Runs `work` with `synchronous = FULL`: its commit is on disk before the journal is replaced. */
  private durably(work: () => void): void {
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    if (level >= 2) {
      work();
      return;
    }
    this.db.pragma('synchronous = FULL');
    try {
      work();
    } finally {
      this.db.pragma(`synchronous = ${level}`);
    }
  }

  private clearPending(): void {
    this.pending = [];
    this.pendingByRoom = new Map();
    this.pendingBytes = 0;
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}

/** Runs `work` now, as a promise: a throw becomes a rejection. */
function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
