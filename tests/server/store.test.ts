/** The store contract, run against both adapters: real SQLite in a temp folder and real PostgreSQL in a schema of its own. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedMigrations, migrate, openPostgres, openSqlite, type Database, type Migration } from '../../src/sync-server/store';
import { numberPlaceholders } from '../../src/sync-server/store/postgres';
import { pgSchema, tempDir } from './helpers';

interface Adapter {
  name: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

const tmp = tempDir('xt-store-');
const schema = pgSchema();
const adapters: Adapter[] = [
  { name: 'sqlite', open: () => Promise.resolve(openSqlite(join(tmp.dir, 'store.db'))), cleanup: () => Promise.resolve(tmp.cleanup()) },
  { name: 'postgres', open: () => openPostgres(schema.url), cleanup: () => schema.drop() },
];

const items: Migration = {
  id: 'test-001-items',
  sqlite: 'CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL, data BLOB, note TEXT)',
  postgres: 'CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL, data BYTEA, note TEXT)',
};
const itemsIndex: Migration = {
  id: 'test-002-items-note',
  sqlite: 'CREATE INDEX items_note ON items (note)',
  postgres: 'CREATE INDEX items_note ON items (note)',
};

describe.each(adapters)('store contract on $name', (adapter) => {
  let db: Database;
  beforeAll(async () => {
    db = await adapter.open();
  });
  afterAll(async () => {
    await db.close();
    await adapter.cleanup();
  });

  it('applies migrations once, in order, and records them', async () => {
    expect(await migrate(db, [items, itemsIndex])).toEqual(['test-001-items', 'test-002-items-note']);
    expect(await migrate(db, [items, itemsIndex])).toEqual([]);
    expect(await appliedMigrations(db)).toEqual(['test-001-items', 'test-002-items-note']);
  });

  it('refuses a list with a duplicate id', async () => {
    await expect(migrate(db, [items, items])).rejects.toThrow(/duplicate migration id/);
  });

  it('rolls back a migration that fails and does not record it', async () => {
    const broken: Migration = { id: 'test-003-broken', sqlite: 'CREATE TABLE broken (a TEXT); SELECT * FROM no_such_table', postgres: 'CREATE TABLE broken (a TEXT); SELECT * FROM no_such_table' };
    await expect(migrate(db, [items, itemsIndex, broken])).rejects.toThrow();
    expect(await appliedMigrations(db)).not.toContain('test-003-broken');
    expect(await db.tables()).not.toContain('broken');
  });

  it('stores and reads text, numbers, blobs and nulls with ? placeholders', async () => {
    await db.run('INSERT INTO items (id, n, data, note) VALUES (?, ?, ?, ?)', ['a', 1_795_000_000_000, Buffer.from([0, 1, 255]), '问号?不是参数']);
    await db.run('INSERT INTO items (id, n, data, note) VALUES (?, ?, ?, ?)', ['b', 2, null, null]);
    const row = await db.get<{ id: string; n: number; data: Buffer; note: string }>('SELECT id, n, data, note FROM items WHERE id = ?', ['a']);
    expect(row?.n).toBe(1_795_000_000_000);
    expect(typeof row?.n).toBe('number');
    expect([...row!.data]).toEqual([0, 1, 255]);
    expect(row?.note).toBe('问号?不是参数');
    expect(await db.all('SELECT id FROM items ORDER BY id')).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(await db.get('SELECT id FROM items WHERE id = ?', ['zzz'])).toBeUndefined();
    expect((await db.run('UPDATE items SET n = n + 1 WHERE id IN (?, ?)', ['a', 'b'])).changes).toBe(2);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, n) VALUES (?, ?)', ['t1', 1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO items (id, n) VALUES (?, ?)', ['t2', 1]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.get('SELECT id FROM items WHERE id = ?', ['t1'])).toBeDefined();
    expect(await db.get('SELECT id FROM items WHERE id = ?', ['t2'])).toBeUndefined();
  });

  it('keeps concurrent read-modify-write transactions from losing updates', async () => {
    await db.run('INSERT INTO items (id, n) VALUES (?, ?)', ['counter', 0]);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          if (tx.dialect === 'postgres') await tx.get("SELECT n FROM items WHERE id = 'counter' FOR UPDATE");
          const row = await tx.get<{ n: number }>('SELECT n FROM items WHERE id = ?', ['counter']);
          await tx.run('UPDATE items SET n = ? WHERE id = ?', [(row?.n ?? 0) + 1, 'counter']);
        }),
      ),
    );
    expect((await db.get<{ n: number }>('SELECT n FROM items WHERE id = ?', ['counter']))?.n).toBe(20);
  });

  it('lists its tables', async () => {
    expect(await db.tables()).toEqual(expect.arrayContaining(['schema_migrations', 'items']));
  });
});

describe('numberPlaceholders', () => {
  it('numbers ? outside quotes only', () => {
    expect(numberPlaceholders("SELECT '?' AS q, ? AS a, \"?\" , ?")).toBe("SELECT '?' AS q, $1 AS a, \"?\" , $2");
  });
});

describe('openPostgres', () => {
  it('names the server it cannot reach, without the password', async () => {
    await expect(openPostgres('postgres://postgres:s3cret@127.0.0.1:1/test')).rejects.toThrow(/^cannot use PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: /);
  });
});
