/**
 * Schema migrations. Each server module exports its list of migrations and src/sync-server/app.ts
 * names the modules in order; at start every migration not yet recorded in `schema_migrations` is
 * applied, in order, each in its own transaction. Ids are permanent: never edit a migration that
 * has shipped — add a new one.
 *
 * Several PostgreSQL instances may start at once: a transaction-scoped advisory lock makes them take
 * turns, and the second one finds the work already done.
 */
import type { Database, Queryable } from './database';

export interface Migration {
  /** Unique and permanent, e.g. `accounts-001-units-users`. */
  id: string;
  /** SQL for SQLite (several statements allowed). */
  sqlite: string;
  /** SQL for PostgreSQL (several statements allowed). */
  postgres: string;
}

const MIGRATION_LOCK = 0x78_69_65_74; // 'xiet'

async function ensureTable(db: Queryable): Promise<void> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
}

/** Ids of the migrations already applied. */
export async function appliedMigrations(db: Database): Promise<string[]> {
  await ensureTable(db);
  return (await db.all<{ id: string }>('SELECT id FROM schema_migrations ORDER BY applied_at, id')).map((row) => row.id);
}

/** Applies what is missing; resolves to the ids applied now. Throws on duplicate ids. */
export async function migrate(db: Database, migrations: readonly Migration[], now: () => number = Date.now): Promise<string[]> {
  const seen = new Set<string>();
  for (const migration of migrations) {
    if (seen.has(migration.id)) throw new Error(`duplicate migration id: ${migration.id}`);
    seen.add(migration.id);
  }
  await ensureTable(db);
  const appliedNow: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
      if (await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [migration.id])) return false;
      await tx.exec(tx.dialect === 'sqlite' ? migration.sqlite : migration.postgres);
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [migration.id, now()]);
      return true;
    });
    if (done) appliedNow.push(migration.id);
  }
  return appliedNow;
}
