/** The 协同拟稿人 migration (issue 19), on both adapters. */
import { expect, it } from 'vitest';
import { coDrafterMigrations } from '../../src/sync-server/documents/coDrafters';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

describeOnBothAdapters('co-drafter migrations on $name', 'xt-codrafter-migrations-', (target) => {
  it('co-drafters-001 names each person once per document and finds a person’s drafts by index', async () => {
    expect(await migrate(target.db, coDrafterMigrations)).toEqual(['co-drafters-001-document-co-drafters']);
    const insert = "INSERT INTO document_co_drafters (document_id, user_id, added_by, added_at) VALUES ('d1', 'user-zhao', 'user-li', 1)";
    await target.db.run(insert);
    await expect(target.db.run(insert)).rejects.toThrow();
    await target.db.run("INSERT INTO document_co_drafters (document_id, user_id, added_by, added_at) VALUES ('d2', 'user-zhao', 'user-li', 2)");
    const rows = await target.db.all<{ document_id: string }>("SELECT document_id FROM document_co_drafters WHERE user_id = 'user-zhao' ORDER BY document_id");
    expect(rows.map((r) => r.document_id)).toEqual(['d1', 'd2']);
    expect(await migrate(target.db, coDrafterMigrations)).toEqual([]);
  });
});
