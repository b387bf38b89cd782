/**
 * Opening the server's store: SQLite in the data folder by default, PostgreSQL when a URL is given.
 * Migrations of every module (app.ts) are applied by `openStore`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database';
import { migrate, type Migration } from './migrations';
import { openPostgres } from './postgres';
import { openSqlite, SQLITE_FILE, type SqliteDatabase } from './sqlite';
import type { WalCheckpointerOptions } from './walCheckpointer';

export * from './database';
export * from './migrations';
export { openSqlite, SQLITE_FILE } from './sqlite';
export { openPostgres, parsePostgresUrl } from './postgres';
export type { WalCheckpointer, WalCheckpointerOptions, WalCheckpointerStats } from './walCheckpointer';

export interface StoreLocation {
  /** The server's data folder (SQLite file, demo CA, blobs). */
  dataDir: string;
  /** PostgreSQL instead of SQLite. */
  postgresUrl?: string;
}

export interface StoreOptions {
  /** SQLite only: WAL checkpoints on a thread of their own (a long-running server; walCheckpointer.ts). */
  backgroundCheckpoints?: WalCheckpointerOptions;
}

/** Opens the store and applies `migrations`. */
export async function openStore(location: StoreLocation, migrations: readonly Migration[], options: StoreOptions = {}): Promise<Database> {
  mkdirSync(location.dataDir, { recursive: true });
  let sqlite: SqliteDatabase | undefined;
  let db: Database;
  if (location.postgresUrl) db = await openPostgres(location.postgresUrl);
  else db = sqlite = openSqlite(join(location.dataDir, SQLITE_FILE));
  try {
    await migrate(db, migrations);
    if (sqlite && options.backgroundCheckpoints) await sqlite.startBackgroundCheckpoints(options.backgroundCheckpoints);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
