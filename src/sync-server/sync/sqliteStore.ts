/**
 * Room updates in embedded SQLite (better-sqlite3, WAL): one row per update, appended in one
 * transaction per group commit, compacted in one transaction.
 */
import Database from 'better-sqlite3';

import type { RoomName } from '../../shared/rooms';
import type { RoomUpdateEntry, RoomUpdateStore } from './types';

/** Options of {@link SqliteRoomUpdateStore}. */
export interface SqliteRoomUpdateStoreOptions {
  /**
   * `NORMAL` (default when this store opens the file): in WAL mode every commit is in the log
   * before it returns, so a killed process loses nothing; only a power cut can lose the last
   * commits. `FULL` also survives power loss but fsyncs every group commit (about 6 ms here,
   * blocking the event loop). An open Database passed in keeps its owner's setting.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

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

  constructor(database: string | Database.Database, options: SqliteRoomUpdateStoreOptions = {}) {
    this.ownsDb = typeof database === 'string';
    this.db = typeof database === 'string' ? new Database(database) : database;
    if (this.ownsDb) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      this.db.pragma('busy_timeout = 5000');
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sync_room_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
  }

  load(room: RoomName): Promise<Uint8Array[]> {
    return Promise.resolve(this.selectRoom.all(room).map((row) => new Uint8Array(row.data)));
  }

  appendBatch(entries: readonly RoomUpdateEntry[]): Promise<void> {
    this.appendAll(entries);
    return Promise.resolve();
  }

  count(room: RoomName): Promise<number> {
    return Promise.resolve(this.countRoom.get(room)?.n ?? 0);
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
    return Promise.resolve(run.immediate());
  }

  /** Closes the database if this store opened it. */
  close(): void {
    if (this.ownsDb) this.db.close();
  }
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
