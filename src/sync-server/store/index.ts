/**
 * Opening the server's store: SQLite in the data folder by default, PostgreSQL when a URL is given.
 * Migrations of every module (app.ts) are applied by `openStore`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database';
import { migrate, type Migration } from './migrations';
import { openPostgres } from './postgres';
import { openSqlite, SQLITE_FILE } from './sqlite';

export * from './database';
export * from './migrations';
export { openSqlite, SQLITE_FILE } from './sqlite';
export { openPostgres, parsePostgresUrl } from './postgres';

export interface StoreLocation {
  /** The server's data folder (SQLite file, demo CA, blobs). */
  dataDir: string;
  /** PostgreSQL instead of SQLite. */
  postgresUrl?: string;
}

/** Opens the store and applies `migrations`. */
export async function openStore(location: StoreLocation, migrations: readonly Migration[]): Promise<Database> {
  mkdirSync(location.dataDir, { recursive: true });
  const db = location.postgresUrl ? await openPostgres(location.postgresUrl) : openSqlite(join(location.dataDir, SQLITE_FILE));
  try {
    await migrate(db, migrations);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
