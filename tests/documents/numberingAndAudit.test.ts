/**
 * Transaction tests on both stores: the 发文字号 sequence under concurrent clerks, and the audit
 * chain against tampering with direct SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordError } from '../../src/shared/errors';
import type { AuditResponse, DocumentView } from '../../src/shared/http/documents';
import { act, call, draftToNumbering, login, OFFICE, pgSchema, startOrg, type Org } from './helpers';

const schema = pgSchema();
const stores = [
  { name: 'sqlite', postgresUrl: undefined as string | undefined },
  { name: 'postgres', postgresUrl: schema.url },
];

afterAll(async () => {
  await schema.drop();
});

describe.each(stores)('on $name', ({ postgresUrl }) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg(postgresUrl ? { postgresUrl } : {});
    // A second clerk in the office, so two people number at the same moment.
    await org.server.deps.accounts.createUser({ id: 'user-zhou', username: 'zhou', name: '周文书', unitId: OFFICE, roles: ['clerk'], password: 'demo1234', mustChangePassword: false });
    org.tokens.zhou = await login(org.server.url, 'zhou');
  });
  afterAll(async () => {
    await org.server.stop();
  });

  it('numbers per unit and year without repeating or skipping, even with two clerks at once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await draftToNumbering(org, `并发编号测试${i}`);
      ids.push(id);
    }
    // The sign-off sent 编号 to every clerk of the unit: zhao and zhou.
    const view = (await call<DocumentView>(org.server.url, 'GET', `/api/documents/${ids[0]!}`, { token: org.tokens.zhou! })).body;
    expect(view.holders.sort()).toEqual(['user-zhao', 'user-zhou']);

    // Different documents at once, and the same document by both clerks at once.
    const results = await Promise.all([
      act(org, 'zhao', ids[0]!, { action: 'number' }),
      act(org, 'zhou', ids[1]!, { action: 'number' }),
      act(org, 'zhao', ids[2]!, { action: 'number' }),
      act(org, 'zhou', ids[2]!, { action: 'number' }),
      act(org, 'zhou', ids[3]!, { action: 'number' }),
      act(org, 'zhao', ids[4]!, { action: 'number' }),
      act(org, 'zhou', ids[4]!, { action: 'number' }),
      act(org, 'zhao', ids[5]!, { action: 'number' }),
    ]);
    const okCount = results.filter((r) => r.status === 200).length;
    expect(okCount).toBe(6);
    // The loser of a race on one document is told someone acted first (or that the step is gone).
    for (const r of results.filter((x) => x.status !== 200)) expect([403, 409]).toContain(r.status);

    const serials: number[] = [];
    for (const id of ids) {
      const doc = (await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens.zhao! })).body;
      expect(doc.state).toBe('sealing');
      const m = /〔(\d{4})〕(\d+)号$/.exec(doc.docNumber!)!;
      serials.push(Number(m[2]));
    }
    expect(serials.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('verifies the audit chain and catches edits, removals and truncation made with direct SQL', async () => {
    const id = await draftToNumbering(org, '审计链测试');
    await act(org, 'zhao', id, { action: 'number' });
    const audit = async () => (await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.li! })).body;
    const clean = await audit();
    expect(clean.valid).toBe(true);
    expect(clean.entries.map((e) => e.action)).toEqual(['create', 'submit', 'approve', 'number']);
    for (let i = 1; i < clean.entries.length; i++) expect(clean.entries[i]!.prevHash).toBe(clean.entries[i - 1]!.hash);

    const db = org.server.deps.db;
    const snapshot = await db.all<Record<string, unknown>>('SELECT * FROM audit_entries WHERE document_id = ? ORDER BY seq', [id]);
    const restore = async () => {
      await db.run('DELETE FROM audit_entries WHERE document_id = ?', [id]);
      for (const row of snapshot) {
        const cols = Object.keys(row);
        await db.run(`INSERT INTO audit_entries (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => row[c] as string | number));
      }
      await db.run('UPDATE audit_heads SET length = ? WHERE document_id = ?', [snapshot.length, id]);
    };

    // An edited opinion.
    await db.run("UPDATE audit_entries SET payload = REPLACE(payload, '同意印发', '不同意') WHERE document_id = ? AND seq = 3", [id]);
    let checked = await audit();
    expect(checked.valid).toBe(false);
    expect(checked.problems.join()).toContain('第3条记录的内容被改动');
    // Keyed too, so the English interface words it.
    const changed = checked.problemTexts?.find((text) => text.key === 'audit.entryContentChanged');
    expect(changed).toEqual({ key: 'audit.entryContentChanged', params: { seq: 3 }, message: '第3条记录的内容被改动' });
    expect(wordError(changed!, 'en')).toBe('The content of entry 3 was changed');
    await restore();
    expect((await audit()).valid).toBe(true);

    // An edited actor (payload untouched: the entry hash catches it).
    await db.run("UPDATE audit_entries SET actor_name = '李文' WHERE document_id = ? AND seq = 3", [id]);
    expect((await audit()).valid).toBe(false);
    await restore();

    // A removed entry in the middle.
    await db.run('DELETE FROM audit_entries WHERE document_id = ? AND seq = 2', [id]);
    checked = await audit();
    expect(checked.valid).toBe(false);
    expect(checked.problems.join()).toContain('缺失');
    await restore();

    // The newest entry removed (truncation): the head catches it.
    await db.run('DELETE FROM audit_entries WHERE document_id = ? AND seq = 4', [id]);
    checked = await audit();
    expect(checked.valid).toBe(false);
    expect(checked.problems.join()).toContain('应有4条');
    expect(checked.problemTexts).toContainEqual({ key: 'audit.lengthMismatch', params: { expected: 4, actual: 3 }, message: '审计记录应有4条，实有3条' });
    await restore();

    // A re-hashed forgery of the last entry still breaks against the head. (The first hex digit is
    // changed, never kept: writing 'f' over a hash that began with 'f' forged nothing, 1 run in 16.)
    await db.run(
      "UPDATE audit_entries SET hash = (CASE WHEN SUBSTR(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END) || SUBSTR(hash, 2) WHERE document_id = ? AND seq = 4",
      [id],
    );
    expect((await audit()).valid).toBe(false);
    await restore();
    expect((await audit()).valid).toBe(true);
  });
});
