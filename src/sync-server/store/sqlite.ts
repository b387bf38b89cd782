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
import { startWalCheckpointer, type WalCheckpointer, type WalCheckpointerOptions } from './walCheckpointer';

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

/**
 * Prepared statements by their SQL. Compiling a statement cost more than running it (a third of a
 * workflow action's server time went to `prepare`); the SQL texts are the code's own, so a few
 * hundred cover every one. Bounded all the same: lists with a variable number of `?` make new texts,
 * and the oldest statement leaves first.
 */
class StatementCache {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly limit = 500,
  ) {}

  get(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (statement) return statement;
    statement = this.db.prepare(sql);
    if (this.statements.size >= this.limit) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  /** Schema changes (migrations, DDL through `exec`) make compiled statements stale: start afresh. */
  clear(): void {
    this.statements.clear();
  }
}

function handle(db: BetterSqlite3.Database, cache: StatementCache): Queryable {
  return {
    dialect: 'sqlite',
    all: <T extends Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(cache.get(sql).all(...bind(params)) as T[]),
    get: <T extends Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(cache.get(sql).get(...bind(params)) as T | undefined),
    run: (sql: string, params: readonly SqlValue[] = []) => Promise.resolve({ changes: cache.get(sql).run(...bind(params)).changes }),
    exec: (sql: string) => {
      db.exec(sql);
      cache.clear();
      return Promise.resolve();
    },
  };
}

export interface SqliteDatabase extends Database {
  /** The underlying connection (online backup, admin tools). */
  readonly raw: BetterSqlite3.Database;
  readonly file: string;
  /**
   * Moves WAL checkpoints off this thread (walCheckpointer.ts), for a long-running server; `close()`
   * then stops the thread and truncates the WAL. Short-lived commands leave SQLite's own.
   */
  startBackgroundCheckpoints(options?: WalCheckpointerOptions): Promise<WalCheckpointer>;
  /** The running checkpoint thread, if started (its figures, for metrics and tests). */
  readonly backgroundCheckpoints: WalCheckpointer | undefined;
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
  const cache = new StatementCache(db);
  const direct = handle(db, cache);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  let closed = false;
  let checkpointer: WalCheckpointer | undefined;
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
        begin.run();
        try {
          const result = await work(direct);
          commit.run();
          return result;
        } catch (error) {
          if (db.inTransaction) rollback.run();
          throw error;
        }
      }),
    tables: () =>
      queue.run(() =>
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all() as { name: string }[]).map(
          (row) => row.name,
        ),
      ),
    get backgroundCheckpoints() {
      return checkpointer;
    },
    startBackgroundCheckpoints: async (options) => {
      if (closed || checkpointer) throw new Error(closed ? 'the store is closed' : 'background checkpoints already run');
      checkpointer = await startWalCheckpointer({ writer: db, file, hold: (work) => queue.run(work) }, options);
      return checkpointer;
    },
    close: () =>
      queue.run(async () => {
        if (closed) return;
        closed = true;
        if (checkpointer) {
          await checkpointer.stop();
          // Everything into the database file and the WAL emptied: a stopped server's data folder
          // is small and a copy of the database file alone is complete.
          db.pragma('wal_checkpoint(TRUNCATE)');
        }
        db.close();
      }),
  };
}
