/** The migration of tracked revisions (修订痕迹), on both adapters. */
import { expect, it } from 'vitest';
import { revisionMigrations } from '../../src/sync-server/documents/revisionMigrations';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

describeOnBothAdapters('revisions migrations on $name', 'xt-rev-migrations-', (target) => {
  it('revisions-001 numbers versions once per document, keeps one author per client and one decision per change', async () => {
    expect(await migrate(target.db, revisionMigrations)).toEqual(['revisions-001-body-versions']);
    const version = 'INSERT INTO document_body_versions (id, document_id, seq, step, action, actor_id, actor_name, created_at, state, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    await target.db.run(version, ['v1', 'd1', 1, 'draft', 'submit', 'user-li', '李文', 1, Buffer.from([1, 2]), Buffer.from([3])]);
    await expect(target.db.run(version, ['v2', 'd1', 1, 'signoff', 'return', 'user-wang', '王建国', 2, Buffer.from([1]), Buffer.from([3])])).rejects.toThrow();
    await target.db.run(version, ['v3', 'd2', 1, 'draft', 'submit', 'user-li', '李文', 3, Buffer.from([9]), Buffer.from([8])]);
    const stored = await target.db.get<{ state: Uint8Array }>("SELECT state FROM document_body_versions WHERE id = 'v1'");
    expect([...new Uint8Array(stored!.state)]).toEqual([1, 2]);

    const author = 'INSERT INTO document_body_authors (room, client_id, user_id, first_seen) VALUES (?, ?, ?, ?) ON CONFLICT (room, client_id) DO NOTHING';
    await target.db.run(author, ['doc:d1', 4_294_967_295, 'user-li', 1]);
    await target.db.run(author, ['doc:d1', 4_294_967_295, 'user-wang', 2]);
    expect(await target.db.all("SELECT user_id FROM document_body_authors WHERE room = 'doc:d1'")).toEqual([{ user_id: 'user-li' }]);

    const decision = 'INSERT INTO document_revision_decisions (document_id, change_id, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)';
    await target.db.run(decision, ['d1', 'i:1:0:4', 'accepted', 'user-li', 1]);
    await expect(target.db.run(decision, ['d1', 'i:1:0:4', 'rejected', 'user-li', 2])).rejects.toThrow();
  });
});
