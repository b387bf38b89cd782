/**
 * SQLite adapter (better-sqlite3): one file in the data folder, WAL journal so readers never wait
 * for the writer and a backup can run while the server does.
 *
 * better-sqlite3 is synchronous, and one connection has one transaction at a time. An async
 * transaction could interleave with other requests' statements, so every statement and every
 * transaction passes through one queue: while a transaction is open, other work waits for it.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Queryable, Row, SqlValue } from './database';

export const SQLITE_FILE = 'xietong.db';

type Bindable = string | number | bigint | Buffer | null;
const bind = (params: readonly SqlValue[]): Bindable[] =>
  params.map((value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
    return value;
  });

class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function handle(db: BetterSqlite3.Database): Queryable {
  return {
    dialect: 'sqlite',
    all: <T extends Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(db.prepare(sql).all(...bind(params)) as T[]),
    get: <T extends Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(db.prepare(sql).get(...bind(params)) as T | undefined),
    run: (sql: string, params: readonly SqlValue[] = []) => Promise.resolve({ changes: db.prepare(sql).run(...bind(params)).changes }),
    exec: (sql: string) => {
      db.exec(sql);
      return Promise.resolve();
    },
  };
}

export interface SqliteDatabase extends Database {
  /** The underlying connection (online backup, admin tools). */
  readonly raw: BetterSqlite3.Database;
  readonly file: string;
}

/** Opens (creating if needed) the SQLite store at `file`. */
export function openSqlite(file: string): SqliteDatabase {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process (an admin command next to a running server) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  const queue = new Queue();
  const direct = handle(db);
  let closed = false;
  return {
    dialect: 'sqlite',
    raw: db,
    file,
    all: (sql, params) => queue.run(() => direct.all(sql, params)),
    get: (sql, params) => queue.run(() => direct.get(sql, params)),
    run: (sql, params) => queue.run(() => direct.run(sql, params)),
    exec: (sql) => queue.run(() => direct.exec(sql)),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
      queue.run(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(direct);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    tables: () =>
      queue.run(() =>
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all() as { name: string }[]).map(
          (row) => row.name,
        ),
      ),
    close: () =>
      queue.run(() => {
        if (!closed) {
          closed = true;
          db.close();
        }
      }),
  };
}
