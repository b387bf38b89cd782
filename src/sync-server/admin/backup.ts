/**
 * Backups of a server's store and data folder, consistent while the server runs, and their restore
 * into an empty place.
 *
 * A backup is a folder:
 *   manifest.json   { format, version, store, createdAt, migrations, tables: [{ name, rows }] }
 *   xietong.db      SQLite: a copy made with SQLite's online backup API (a consistent snapshot even
 *                   while the server writes)
 *   tables/*.jsonl  PostgreSQL: a logical export, one JSON row per line, read in one REPEATABLE READ
 *                   read-only transaction (one snapshot across every table)
 *   files/          the rest of the data folder (demo CA and certificates, …)
 * It contains secrets (password hashes, the token key, CA keys): it is created readable by its owner only.
 *
 * Restore refuses a non-empty target. A PostgreSQL restore creates the schema at the backup's
 * migration level, loads the rows in foreign-key order, and resets id sequences; the server applies
 * newer migrations at its next start.
 */
import { chmodSync, cpSync, createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { allMigrations } from '../app';
import { LOCK_FILE } from '../dataDirLock';
import { openPostgres, type PostgresDatabase } from '../store/postgres';
import { openSqlite, SQLITE_FILE } from '../store/sqlite';
import { appliedMigrations, migrate } from '../store/migrations';
import type { Queryable, Row } from '../store/database';
import { PostgresRoomUpdateStore } from '../sync/index';
import { JOURNAL_SUFFIX } from '../sync/sqliteJournal';

const ManifestSchema = z.object({
  format: z.literal('xietong-backup'),
  version: z.literal(1),
  store: z.enum(['sqlite', 'postgres']),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int() })),
});
export type BackupManifest = z.infer<typeof ManifestSchema>;

export interface BackupSource {
  /** The server's data folder (SQLite store, demo files). Optional with `postgresUrl`. */
  dataDir?: string;
  postgresUrl?: string;
}

/** A folder is usable as a target when it does not exist or is empty. */
function ensureEmptyFolder(path: string, what: string): void {
  if (existsSync(path) && readdirSync(path).length > 0) throw new Error(`${what} ${path} is not empty`);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/** The sync service's journal of room updates not yet moved into the store (sync/sqliteJournal.ts). */
const SYNC_JOURNAL_FILE = `${SQLITE_FILE}${JOURNAL_SUFFIX}`;

// The store is copied by the backup API and the sync journal before it (see backupStore); the
// running server's lock must not travel with the copy.
const STORE_FILES = new Set([SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`, `${SQLITE_FILE}-journal`, SYNC_JOURNAL_FILE, LOCK_FILE]);

function copyDataFiles(dataDir: string, target: string): void {
  for (const entry of readdirSync(dataDir)) {
    if (STORE_FILES.has(entry)) continue;
    cpSync(join(dataDir, entry), join(target, entry), { recursive: true, preserveTimestamps: true });
  }
}

/** Writes a backup to `out` (must not exist or be empty); resolves to its manifest. */
export async function backupStore(source: BackupSource, out: string): Promise<BackupManifest> {
  if (!source.postgresUrl) {
    if (!source.dataDir) throw new Error('--data is required');
    const file = join(source.dataDir, SQLITE_FILE);
    if (!existsSync(file)) throw new Error(`no server store in ${source.dataDir} (expected ${SQLITE_FILE})`);
    ensureEmptyFolder(out, 'backup folder');
    mkdirSync(join(out, 'files'), { mode: 0o700 });
    // The sync journal is copied *before* the snapshot: the snapshot then records having ingested
    // at least as much of it (or a later journal), so the restored server reads on from there or
    // discards the copy — a consistent prefix of every room's updates either way. Copied after, a
    // journal restarted meanwhile would leave a gap.
    const journal = join(source.dataDir, SYNC_JOURNAL_FILE);
    if (existsSync(journal)) cpSync(journal, join(out, 'files', SYNC_JOURNAL_FILE), { preserveTimestamps: true });
    const db = openSqlite(file);
    try {
      // The online backup API copies page by page and restarts if another connection writes
      // meanwhile, so the copy is one consistent state of the database.
      await db.raw.backup(join(out, SQLITE_FILE));
      const copy = openSqlite(join(out, SQLITE_FILE));
      let manifest: BackupManifest;
      try {
        const tables = await copy.tables();
        manifest = {
          format: 'xietong-backup',
          version: 1,
          store: 'sqlite',
          createdAt: new Date().toISOString(),
          migrations: await appliedMigrations(copy),
          tables: await Promise.all(tables.map(async (name) => ({ name, rows: Number((await copy.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`))?.n ?? 0) }))),
        };
        // A standalone file: fold the WAL in so the copy is one file.
        copy.raw.pragma('wal_checkpoint(TRUNCATE)');
        copy.raw.pragma('journal_mode = DELETE');
      } finally {
        await copy.close();
      }
      copyDataFiles(source.dataDir, join(out, 'files'));
      writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
      return manifest;
    } finally {
      await db.close();
    }
  }

  const db = await openPostgres(source.postgresUrl, { max: 2 });
  try {
    ensureEmptyFolder(out, 'backup folder');
    mkdirSync(join(out, 'tables'), { mode: 0o700 });
    const manifest = await db.transaction(async (tx) => {
      // One snapshot for every table: rows written meanwhile are either all in or all out.
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const tables = await tablesInDependencyOrder(tx);
      const counts: { name: string; rows: number }[] = [];
      for (const name of tables) {
        const rows = await tx.all(`SELECT * FROM "${name}"`);
        writeFileSync(join(out, 'tables', `${name}.jsonl`), rows.map((row) => JSON.stringify(encodeRow(row)) + '\n').join(''), { mode: 0o600 });
        counts.push({ name, rows: rows.length });
      }
      const migrations = tables.includes('schema_migrations') ? (await tx.all<{ id: string }>('SELECT id FROM schema_migrations ORDER BY applied_at, id')).map((r) => r.id) : [];
      return { format: 'xietong-backup', version: 1, store: 'postgres', createdAt: new Date().toISOString(), migrations, tables: counts } satisfies BackupManifest;
    });
    if (source.dataDir && existsSync(source.dataDir)) {
      mkdirSync(join(out, 'files'), { mode: 0o700 });
      copyDataFiles(source.dataDir, join(out, 'files'));
    }
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    return manifest;
  } finally {
    await db.close();
  }
}

/** Reads and checks a backup's manifest. */
export function readManifest(from: string): BackupManifest {
  const path = join(from, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${from} is not a XieTong backup (no manifest.json)`);
  const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${from}: manifest.json is not a XieTong backup manifest`);
  return parsed.data;
}

/** Restores a backup into an empty data folder (SQLite) or an empty PostgreSQL schema. */
export async function restoreStore(from: string, target: BackupSource): Promise<BackupManifest> {
  const manifest = readManifest(from);
  const known = new Set(allMigrations().map((m) => m.id));
  const unknown = manifest.migrations.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`the backup comes from a newer server version (unknown migrations: ${unknown.join(', ')})`);

  if (manifest.store === 'sqlite') {
    if (target.postgresUrl) throw new Error('this backup is of a SQLite store: restore it with --data DIR, without --postgres');
    if (!target.dataDir) throw new Error('--data is required');
    ensureEmptyFolder(target.dataDir, 'data folder');
    if (existsSync(join(from, 'files'))) cpSync(join(from, 'files'), target.dataDir, { recursive: true, preserveTimestamps: true });
    cpSync(join(from, SQLITE_FILE), join(target.dataDir, SQLITE_FILE));
    const check = openSqlite(join(target.dataDir, SQLITE_FILE));
    try {
      const result = check.raw.pragma('integrity_check', { simple: true });
      if (result !== 'ok') throw new Error(`the restored store fails SQLite's integrity check: ${String(result)}`);
    } finally {
      await check.close();
    }
    return manifest;
  }

  if (!target.postgresUrl) throw new Error('this backup is of a PostgreSQL store: restore it with --postgres URL');
  const db: PostgresDatabase = await openPostgres(target.postgresUrl, { max: 2 });
  try {
    if ((await db.tables()).length > 0) throw new Error(`the PostgreSQL schema ${db.schema} is not empty`);
    if (target.dataDir) ensureEmptyFolder(target.dataDir, 'data folder');
    // The schema exactly as it was when the backup was taken; newer migrations run at server start.
    const applied = new Set(manifest.migrations);
    await migrate(db, allMigrations().filter((m) => applied.has(m.id)));
    // The sync service creates its table itself rather than through a migration: let it.
    if (manifest.tables.some((t) => t.name === 'sync_room_updates')) await new PostgresRoomUpdateStore(db.pool).migrate();
    await db.transaction(async (tx) => {
      await tx.run('DELETE FROM schema_migrations');
      for (const table of manifest.tables) {
        const exists = await tx.get('SELECT 1 AS x FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?', [table.name]);
        if (!exists) throw new Error(`the backup holds table ${table.name}, which this server version does not create`);
        await loadRows(tx, table.name, join(from, 'tables', `${table.name}.jsonl`));
        await resetSequences(tx, table.name);
      }
    });
    if (target.dataDir && existsSync(join(from, 'files'))) cpSync(join(from, 'files'), target.dataDir, { recursive: true, preserveTimestamps: true });
    return manifest;
  } finally {
    await db.close();
  }
}

/** Tables of the current schema, parents before the tables whose foreign keys point at them. */
async function tablesInDependencyOrder(tx: Queryable): Promise<string[]> {
  const tables = (await tx.all<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")).map((r) => r.table_name);
  const edges = await tx.all<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema()`,
  );
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string): void => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const edge of edges) if (edge.child === table && edge.parent !== table) visit(edge.parent);
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered;
}

/** Buffers survive JSON as `{"$base64": "…"}`. */
function encodeRow(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = Buffer.isBuffer(value) ? { $base64: value.toString('base64') } : value instanceof Date ? value.toISOString() : value;
  return out;
}

function decodeValue(value: unknown): string | number | boolean | null | Buffer {
  if (value && typeof value === 'object' && '$base64' in value) return Buffer.from(String((value).$base64), 'base64');
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

async function loadRows(tx: Queryable, table: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`backup is incomplete: ${file} is missing`);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const row = JSON.parse(line) as Row;
    const columns = Object.keys(row);
    await tx.run(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      columns.map((c) => decodeValue(row[c])),
    );
  }
}

/** After rows with explicit ids, serial columns must continue above the largest. */
async function resetSequences(tx: Queryable, table: string): Promise<void> {
  const serials = await tx.all<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_default LIKE 'nextval(%'",
    [table],
  );
  for (const { column_name: column } of serials) {
    await tx.get(`SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX("${column}") FROM "${table}"), 0) + 1, false)`, [table, column]);
  }
}
