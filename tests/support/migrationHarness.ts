/**
 * The scaffolding of the migration tests: the same suite once on SQLite (in a throw-away folder)
 * and once on PostgreSQL (in a schema of its own, dropped afterwards), so a migration that only
 * works on one adapter fails here rather than on a unit's server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgres, openSqlite, type Database } from '../../src/sync-server/store';
import { pgSchema, tempDir } from '../server/helpers';

/** The database a suite's tests run on; `db` is set before the first test and closed after the last. */
export interface MigrationTarget {
  readonly db: Database;
}

/**
 * Declares `suite` once per adapter. `title` may use `$name` (sqlite / postgres); `tmpPrefix` names
 * the SQLite temp folder. The tests of one suite share one database, so each builds on the last.
 */
export function describeOnBothAdapters(title: string, tmpPrefix: string, suite: (target: MigrationTarget) => void): void {
  const tmp = tempDir(tmpPrefix);
  const schema = pgSchema();
  describe.each([
    { name: 'sqlite', open: () => Promise.resolve(openSqlite(join(tmp.dir, 'm.db'))) as Promise<Database>, cleanup: () => Promise.resolve(tmp.cleanup()) },
    { name: 'postgres', open: () => openPostgres(schema.url) as Promise<Database>, cleanup: () => schema.drop() },
  ])(title, ({ open, cleanup }) => {
    let db: Database | undefined;
    const target: MigrationTarget = {
      get db(): Database {
        if (!db) throw new Error('the database is opened in beforeAll; use it inside a test');
        return db;
      },
    };
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await db?.close();
      await cleanup();
    });
    suite(target);
  });
}
