/**
 * The server's one storage interface. Two adapters implement it: embedded SQLite (the default, one
 * process, one data folder) and PostgreSQL (several instances behind a load balancer).
 *
 * SQL is written once with `?` placeholders; the PostgreSQL adapter numbers them ($1, $2, …). Keep to
 * the common subset: TEXT, INTEGER/BIGINT (numbers come back as JS numbers from both), BLOB/BYTEA
 * (Buffers), `INSERT … ON CONFLICT … DO …`, `RETURNING`. Where the dialects differ, branch on
 * `db.dialect` or give a migration both spellings.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null | Buffer | Uint8Array;
export type Row = Record<string, unknown>;

/** Queries and statements. Both the database and a transaction handle offer these. */
export interface Queryable {
  readonly dialect: Dialect;
  /** All rows of a query. */
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Use the
   * handle it receives for every statement inside. Transactions do not nest.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Every table of the store, for backups (in creation order where known). */
  tables(): Promise<string[]>;
  close(): Promise<void>;
}

/** Booleans are stored as 0/1 in both dialects. */
export const bool = (value: unknown): boolean => value === 1 || value === true || value === '1';
