/**
 * One test per migration of the server's own modules, on both adapters: each is applied on top of the
 * previous ones, with data already present, and what it promises is checked.
 */
import { expect, it } from 'vitest';
import { accountMigrations } from '../../src/sync-server/accounts/migrations';
import { allMigrations } from '../../src/sync-server/app';
import { migrate, type Database } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

const byId = (id: string) => {
  const migration = accountMigrations.find((m) => m.id === id);
  if (!migration) throw new Error(`no migration ${id}`);
  return migration;
};

async function columns(db: Database, table: string): Promise<string[]> {
  if (db.dialect === 'sqlite') return (await db.all<{ name: string }>(`PRAGMA table_info(${table})`)).map((c) => c.name);
  return (await db.all<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position', [table])).map((c) => c.column_name);
}

describeOnBothAdapters('account migrations on $name', 'xt-migrations-', (target) => {
  it('accounts-001 creates units, departments, users, secrets, login failures and trusted roots with their constraints', async () => {
    expect(await migrate(target.db, [byId('accounts-001-units-users-secrets')])).toEqual(['accounts-001-units-users-secrets']);
    expect(await target.db.tables()).toEqual(expect.arrayContaining(['units', 'departments', 'users', 'server_secrets', 'login_failures', 'trusted_roots']));
    await target.db.run("INSERT INTO units (id, name, organ_code, created_at) VALUES ('u1', '市政府办公室', '市政办', 1)");
    await target.db.run("INSERT INTO users (id, username, name, unit_id, roles, password_hash, created_at, updated_at) VALUES ('p1', 'li', '李文', 'u1', 'staff', 'x', 1, 1)");
    const user = await target.db.get<{ must_change_password: number; disabled: number; token_version: number }>("SELECT must_change_password, disabled, token_version FROM users WHERE id = 'p1'");
    expect(user).toEqual({ must_change_password: 0, disabled: 0, token_version: 1 });
    // Usernames and unit names are unique; a person's unit must exist.
    await expect(target.db.run("INSERT INTO users (id, username, name, unit_id, roles, password_hash, created_at, updated_at) VALUES ('p2', 'li', '另一个', 'u1', 'staff', 'x', 1, 1)")).rejects.toThrow();
    await expect(target.db.run("INSERT INTO units (id, name, organ_code, created_at) VALUES ('u2', '市政府办公室', 'x', 1)")).rejects.toThrow();
    await expect(target.db.run("INSERT INTO users (id, username, name, unit_id, roles, password_hash, created_at, updated_at) VALUES ('p3', 'wu', '吴', 'nope', 'staff', 'x', 1, 1)")).rejects.toThrow();
  });

  it('accounts-002 adds a directory order to units and people, 0 for rows already there', async () => {
    expect(await migrate(target.db, [byId('accounts-001-units-users-secrets'), byId('accounts-002-sort-order')])).toEqual(['accounts-002-sort-order']);
    expect(await columns(target.db, 'units')).toContain('sort_order');
    expect(await columns(target.db, 'users')).toContain('sort_order');
    expect(await target.db.get("SELECT sort_order FROM users WHERE id = 'p1'")).toEqual({ sort_order: 0 });
  });

  it('accounts-003 adds sessions, the revocation feed (ordered) and known devices', async () => {
    const upTo3 = ['accounts-001-units-users-secrets', 'accounts-002-sort-order', 'accounts-003-sessions-devices'].map(byId);
    expect(await migrate(target.db, upTo3)).toEqual(['accounts-003-sessions-devices']);
    await target.db.run("INSERT INTO sessions (id, user_id, created_at, refreshed_at) VALUES ('s1', 'p1', 1, 1)");
    expect(await target.db.get("SELECT revoked_at FROM sessions WHERE id = 's1'")).toEqual({ revoked_at: null });
    // A session belongs to a person who exists.
    await expect(target.db.run("INSERT INTO sessions (id, user_id, created_at, refreshed_at) VALUES ('s2', 'nobody', 1, 1)")).rejects.toThrow();
    await target.db.run("INSERT INTO session_revocations (user_id, session_id, at) VALUES ('p1', 's1', 5)");
    await target.db.run("INSERT INTO session_revocations (user_id, at) VALUES ('p1', 6)");
    const feed = await target.db.all<{ seq: number; session_id: string | null }>('SELECT seq, session_id FROM session_revocations ORDER BY seq');
    expect(feed.map((r) => r.session_id)).toEqual(['s1', null]);
    expect(Number(feed[1]!.seq)).toBeGreaterThan(Number(feed[0]!.seq));
    await target.db.run("INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES ('p1', 'h', 1, 1)");
    await expect(target.db.run("INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES ('p1', 'h', 2, 2)")).rejects.toThrow();
  });

  it('the whole server list applies on top and ids are unique', async () => {
    const ids = allMigrations().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    await migrate(target.db, allMigrations());
    expect((await target.db.all<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id)).toEqual(expect.arrayContaining(ids));
  });
});
