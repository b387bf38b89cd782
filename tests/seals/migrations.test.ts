/** One test per migration of the seals module, on both adapters. */
import { expect, it } from 'vitest';
import { sealMigrations } from '../../src/sync-server/seals/migrations';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

describeOnBothAdapters('seals migrations on $name', 'xt-seal-migrations-', (target) => {
  it('seals-001 creates seals, images, holders and an append-only 用印记录', async () => {
    expect(await migrate(target.db, sealMigrations)).toEqual(['seals-001-registry-holders-uses']);
    expect(await target.db.tables()).toEqual(expect.arrayContaining(['seals', 'seal_images', 'seal_holders', 'seal_uses']));
    const seal = (id: string, name: string) =>
      target.db.run(
        "INSERT INTO seals (id, unit_id, name, kind, certificate_pem, serial_hex, subject, issuer, not_before, not_after, status, created_by, created_at, updated_at) VALUES (?, 'u1', ?, 'official', 'pem', 'AB', 's', 'i', 0, 10, 'active', 'admin', 1, 1)",
        [id, name],
      );
    await seal('s1', '公章');
    // One name per unit.
    await expect(seal('s2', '公章')).rejects.toThrow();
    await target.db.run("INSERT INTO seal_holders (seal_id, user_id, granted_by, granted_by_name, granted_at) VALUES ('s1', 'u', 'a', '系统管理员', 1)");
    await expect(target.db.run("INSERT INTO seal_holders (seal_id, user_id, granted_by, granted_by_name, granted_at) VALUES ('s1', 'u', 'a', '系统管理员', 2)")).rejects.toThrow();
    const use = "INSERT INTO seal_uses (seal_id, document_id, document_title, user_id, user_name, at, signer_serial_hex, signature_digest) VALUES ('s1', 'd1', '通知', 'u', '赵敏', 5, 'AB', 'cd')";
    await target.db.run(use);
    await target.db.run(use);
    // Ids count up, so paging newest-first by id is stable.
    expect((await target.db.all<{ id: number }>('SELECT id FROM seal_uses ORDER BY id')).map((r) => Number(r.id))).toEqual([1, 2]);
    await expect(target.db.run("UPDATE seal_uses SET user_name = '别人'")).rejects.toThrow(/append-only/);
    await expect(target.db.run('DELETE FROM seal_uses')).rejects.toThrow(/append-only/);
    expect(await target.db.all('SELECT user_name FROM seal_uses')).toEqual([{ user_name: '赵敏' }, { user_name: '赵敏' }]);
  });
});
