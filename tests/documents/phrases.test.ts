/** 常用语 (`/api/me/phrases`) on both stores: defaults, saving, per-person, refusals; its migration and the archived sheets'. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPhrases } from '../../src/shared/http/phrases';
import { sheetMigrations } from '../../src/sync-server/documents/sheetMigrations';
import { phraseMigrations } from '../../src/sync-server/phrases/migrations';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';
import { call, pgSchema, startOrg, type Org } from './helpers';

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('常用语 on $store', ({ postgresUrl }) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg(postgresUrl ? { postgresUrl } : {});
  });
  afterAll(async () => {
    await org.server.stop();
  });
  type Answer = { phrases: string[]; error?: { code: string; message: string } };
  const get = (user: string) => call<Answer>(org.server.url, 'GET', '/api/me/phrases', { token: org.tokens[user]! });
  const put = (user: string, phrases: unknown) => call<Answer>(org.server.url, 'PUT', '/api/me/phrases', { token: org.tokens[user]!, json: { phrases } });

  it('offers the defaults, keeps what a person saves for them alone, and saves again over it', async () => {
    expect((await get('wang')).body).toEqual({ phrases: [...defaultPhrases] });
    const mine = ['同意，请办公室抓紧落实。', '  请分管领导阅示。  '];
    const saved = await put('wang', mine);
    expect(saved.status).toBe(200);
    expect(saved.body.phrases).toEqual(['同意，请办公室抓紧落实。', '请分管领导阅示。']);
    expect((await get('wang')).body.phrases).toEqual(['同意，请办公室抓紧落实。', '请分管领导阅示。']);
    expect((await get('liu')).body.phrases).toEqual([...defaultPhrases]);
    expect((await put('wang', ['已阅。'])).status).toBe(200);
    expect((await get('wang')).body.phrases).toEqual(['已阅。']);
    // An empty list is a list: the person removed every phrase.
    expect((await put('wang', [])).status).toBe(200);
    expect((await get('wang')).body.phrases).toEqual([]);
  });

  it('refuses empty, repeated, too long and too many phrases with a reason, keeping the saved list', async () => {
    await put('li', ['请审阅。']);
    for (const [bad, reason] of [
      [['  '], '常用语不能为空'],
      [['同意。', '同意。'], '常用语不能重复'],
      [['长'.repeat(201)], '每条常用语不超过200字'],
      [Array.from({ length: 51 }, (_, i) => `第${i}条`), '常用语不超过50条'],
    ] as const) {
      const refused = await put('li', bad);
      expect(refused.status).toBe(400);
      expect(refused.body.error?.message).toContain(reason);
    }
    expect((await get('li')).body.phrases).toEqual(['请审阅。']);
    expect((await call(org.server.url, 'GET', '/api/me/phrases')).status).toBe(401);
  });
});

describeOnBothAdapters('phrases and sheets migrations on $name', 'xt-phrase-migrations-', (target) => {
  it('phrases-001 creates one row per person', async () => {
    expect(await migrate(target.db, phraseMigrations)).toEqual(['phrases-001-user-phrases']);
    await target.db.run("INSERT INTO user_phrases (user_id, phrases, updated_at) VALUES ('u1', '[]', 1)");
    await expect(target.db.run("INSERT INTO user_phrases (user_id, phrases, updated_at) VALUES ('u1', '[]', 2)")).rejects.toThrow();
  });

  it('sheets-001 links at most one archived 处理笺 to a document', async () => {
    expect(await migrate(target.db, sheetMigrations)).toEqual(['sheets-001-archived-sheets']);
    await target.db.run("INSERT INTO document_sheets (document_id, sha256, created_at) VALUES ('d1', 'a', 1)");
    await expect(target.db.run("INSERT INTO document_sheets (document_id, sha256, created_at) VALUES ('d1', 'b', 2)")).rejects.toThrow();
  });
});
