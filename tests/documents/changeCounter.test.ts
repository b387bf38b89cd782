/**
 * The change feed's counter: one UPSERT per change creates its row at 1 the first time and counts on
 * from there, in commit order, on both stores; a change that rolls back gives its number back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/sync-server/app';
import { nextChangeSeq } from '../../src/sync-server/documents/repository';
import { openStore, type Database } from '../../src/sync-server/store/index';
import { pgSchema, tempDir } from '../server/helpers';

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('change counter on %s', (_name, postgres) => {
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const tmp = tempDir('xt-counter-');
    const schema = postgres ? pgSchema() : undefined;
    db = await openStore({ dataDir: tmp.dir, ...(schema ? { postgresUrl: schema.url } : {}) }, allMigrations());
    cleanup = async () => {
      await db.close();
      await schema?.drop();
      tmp.cleanup();
    };
  });
  afterAll(() => cleanup());

  it('starts at 1 with no row, counts on, and a rolled-back change gives its number back', async () => {
    expect(await db.get('SELECT n FROM document_change_counter WHERE id = 1')).toBeUndefined();
    expect(await db.transaction((tx) => nextChangeSeq(tx))).toBe(1);
    expect(await db.transaction(async (tx) => [await nextChangeSeq(tx), await nextChangeSeq(tx)])).toEqual([2, 3]);
    await expect(
      db.transaction(async (tx) => {
        await nextChangeSeq(tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db.transaction((tx) => nextChangeSeq(tx))).toBe(4);
    expect(Number((await db.get<{ n: number }>('SELECT n FROM document_change_counter WHERE id = 1'))?.n)).toBe(4);
  });

  it('hands out distinct numbers to changes made at once', async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, () => db.transaction((tx) => nextChangeSeq(tx))));
    expect(new Set(numbers).size).toBe(20);
    expect(Math.min(...numbers)).toBe(5);
    expect(Math.max(...numbers)).toBe(24);
  });
});
