/** 催办 by the system: overdue documents on a working step get one reminder per day, on both stores. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOverdueReminders, type OverdueReminders } from '../../src/sync-server/documents/overdueReminders';
import { silentLogger } from '../../src/sync-server/log';
import { DocumentService } from '../../src/sync-server/documents/service';
import { DocumentListQuerySchema, type DocumentView } from '../../src/shared/http/documents';
import { act, call, pgSchema, startOrg, uid, type Org } from './helpers';

const schema = pgSchema();
const DAY = 24 * 60 * 60 * 1000;
const MONDAY = Date.parse('2026-11-23T02:00:00Z');

interface AuditResponse {
  valid: boolean;
  entries: Array<{ action: string; actorName: string; payload: Record<string, unknown> }>;
}

afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('overdue reminders on $store', ({ postgresUrl }) => {
  let org: Org;
  let job: OverdueReminders;

  beforeAll(async () => {
    org = await startOrg(postgresUrl ? { postgresUrl } : {});
    job = createOverdueReminders({ db: org.server.deps.db, now: () => MONDAY, log: silentLogger }, undefined);
  });
  afterAll(async () => {
    await job.stop();
    await org.server.stop();
  });

  const view = async (username: string, id: string) => (await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens[username]! })).body;
  const create = async (title: string, dueDate: string) =>
    (await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title, dueDate } })).body.id;
  const systemReminders = (doc: DocumentView) => doc.history.filter((h) => h.action === 'remind' && h.actorName === '系统');

  it('reminds the holders once a day, without changing the step, and refreshes their lists', async () => {
    const id = await create('关于报送年度工作总结的通知', '2026-11-20');
    const notYetDue = await create('关于下月会议安排的通知', '2026-12-31');
    const draft = await create('尚未提交的草稿', '2026-11-01');
    for (const doc of [id, notYetDue]) expect((await act(org, 'li', doc, { action: 'submit' })).body).toMatchObject({ state: 'signoff', holders: [uid('wang')] });
    const before = await view('wang', id);
    const cursor = (await call<{ cursor: number }>(org.server.url, 'GET', '/api/documents/changes', { token: org.tokens.wang! })).body.cursor;

    expect(await job.runOnce(MONDAY)).toEqual([id]);
    expect(await job.runOnce(MONDAY + 60 * 60 * 1000)).toEqual([]);
    const after = await view('wang', id);
    expect(systemReminders(after)).toEqual([
      expect.objectContaining({
        label: '催办',
        actor: 'system',
        reason: '已超过办理期限（2026-11-20）',
        // Keyed too, so the English 流转记录 reads 'Past the due date (2026-11-20)'.
        reasonKey: 'workflow.pastDue',
        reasonParams: { dueDate: '2026-11-20' },
        targets: [uid('wang')],
        from: 'signoff',
        to: 'signoff',
      }),
    ]);
    expect(after).toMatchObject({ state: 'signoff', holders: [uid('wang')], version: before.version + 1 });
    expect(systemReminders(await view('wang', notYetDue))).toEqual([]);
    expect(systemReminders(await view('li', draft))).toEqual([]);
    const changes = await call<{ documents: string[] }>(org.server.url, 'GET', `/api/documents/changes?since=${cursor}`, { token: org.tokens.wang! });
    expect(changes.body.documents).toContain(id);

    // The next day brings the next reminder; the holder can still act on the version they see.
    expect(await job.runOnce(MONDAY + DAY)).toEqual([id]);
    expect(systemReminders(await view('wang', id))).toHaveLength(2);

    const audit = (await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.li! })).body;
    expect(audit.valid).toBe(true);
    expect(audit.entries.filter((e) => e.action === 'remind').map((e) => e.actorName)).toEqual(['系统', '系统']);
  });

  it('stops reminding once the document has left the working step', async () => {
    const id = await create('关于撤回测试的通知', '2026-11-01');
    expect((await act(org, 'li', id, { action: 'submit' })).status).toBe(200);
    expect(await job.runOnce(MONDAY + 2 * DAY)).toContain(id);
    // 撤回 takes it back to 拟稿: nobody holds a working step any more.
    const withdrawn = await act(org, 'li', id, { action: 'withdraw' });
    expect(withdrawn.body).toMatchObject({ state: 'draft' });
    expect(await job.runOnce(MONDAY + 3 * DAY)).not.toContain(id);
    expect(systemReminders(await view('li', id))).toHaveLength(1);
    const audit = (await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.li! })).body;
    expect(audit.valid).toBe(true);
  });
});

/**
 * The server's days, not UTC's: a server in 北京时间 at 00:30 (16:30 UTC the day before) has started a
 * new day, and a 办理期限 on a day off runs to the end of the next working day — the reminders and the
 * list's `overdue=1` filter count alike. The zone is injected, so the machine's TZ does not matter.
 */
describe('overdue reminders count the server\'s working days (Asia/Shanghai)', () => {
  let org: Org;
  const exchange = { timeZone: 'Asia/Shanghai', holidays: ['2026-12-01'] };
  // 2026-11-25 (Wednesday) 00:30 in Shanghai is still Tuesday 16:30 in UTC.
  const WED_0030 = Date.parse('2026-11-24T16:30:00Z');
  // 2026-11-30 (Monday) 00:30 in Shanghai; in UTC still Sunday.
  const MON_0030 = Date.parse('2026-11-29T16:30:00Z');

  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => {
    await org.server.stop();
  });

  const create = async (title: string, dueDate: string) => {
    const id = (await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title, dueDate } })).body.id;
    expect((await act(org, 'li', id, { action: 'submit' })).status).toBe(200);
    return id;
  };
  const jobAt = (now: number) => createOverdueReminders({ db: org.server.deps.db, now: () => now, log: silentLogger, exchange }, undefined);
  const overdueList = async (now: number) => {
    const service = new DocumentService({ ...org.server.deps, now: () => now, exchange });
    const wang = await org.server.deps.accounts.userById(uid('wang'));
    const list = await service.list(wang!, DocumentListQuerySchema.parse({ box: 'todo', overdue: '1' }));
    // Each row of the whole box carries the same decision as its 已超期 mark.
    const box = await service.list(wang!, DocumentListQuerySchema.parse({ box: 'todo' }));
    expect(box.items.filter((i) => i.overdue).map((i) => i.id).sort()).toEqual(list.items.map((i) => i.id).sort());
    return list.items.map((i) => i.id);
  };

  it('flags on the new local day what was due yesterday, and not what is due on a day off until the next working day ends', async () => {
    const dueTuesday = await create('周二到期的通知', '2026-11-24');
    const dueSaturday = await create('周六到期的通知', '2026-11-28');
    const dueOnHoliday = await create('节日当天到期的通知', '2026-12-01');

    // Wednesday 00:30 local: Tuesday's limit has ended (in UTC it is still Tuesday).
    const wednesday = jobAt(WED_0030);
    expect(await wednesday.runOnce(WED_0030)).toEqual([dueTuesday]);
    await wednesday.stop();
    expect(await overdueList(WED_0030)).toEqual([dueTuesday]);

    // Sunday 00:30 local: a day off, so nobody is reminded (Tuesday's was already reminded on a working day).
    const SUN_0030 = MON_0030 - 24 * 3_600_000;
    const sunday = jobAt(SUN_0030);
    expect(await sunday.runOnce(SUN_0030)).toEqual([]);
    await sunday.stop();

    // Monday 00:30 local: the Saturday limit runs to the end of Monday — UTC's Sunday would flag it.
    const monday = jobAt(MON_0030);
    expect(await monday.runOnce(MON_0030)).toEqual([dueTuesday]);
    await monday.stop();
    expect(await overdueList(MON_0030)).toEqual([dueTuesday]);

    // Wednesday 2 December 00:30 local: Saturday's limit ended with Monday; the one due on the holiday
    // (Tuesday 1 December, from the config) runs to the end of Wednesday.
    const WED2_0030 = MON_0030 + 2 * 24 * 3_600_000;
    const later = jobAt(WED2_0030);
    expect((await later.runOnce(WED2_0030)).sort()).toEqual([dueTuesday, dueSaturday].sort());
    await later.stop();
    expect((await overdueList(WED2_0030)).sort()).toEqual([dueTuesday, dueSaturday].sort());
    expect(await overdueList(WED2_0030 + 24 * 3_600_000)).toContain(dueOnHoliday);
  });

  it('never marks a draft 已超期, in the list\'s filter or its rows (拟稿 is not a working step)', async () => {
    const draft = (await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '逾期的草稿', dueDate: '2026-11-02' } })).body.id;
    const service = new DocumentService({ ...org.server.deps, now: () => WED_0030, exchange });
    const li = await org.server.deps.accounts.userById(uid('li'));
    const drafts = await service.list(li!, DocumentListQuerySchema.parse({ box: 'drafts' }));
    expect(drafts.items.find((i) => i.id === draft)).toMatchObject({ overdue: false });
    expect((await service.list(li!, DocumentListQuerySchema.parse({ box: 'drafts', overdue: '1' }))).items.map((i) => i.id)).not.toContain(draft);
  });
});
