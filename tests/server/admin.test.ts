/**
 * `xietong admin …` against real stores: a running SQLite server (the commands run beside it, as an
 * admin would), and PostgreSQL schemas for backup and restore.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { main } from '../../src/cli/index';
import { openPostgres } from '../../src/sync-server/store/postgres';
import { PostgresRoomUpdateStore } from '../../src/sync-server/sync/index';
import { parseRoomName } from '../../src/shared/rooms';
import { call, login, pgSchema, startTestServer, tempDir, type TestServer } from './helpers';

/** Runs `xietong …` in-process; returns the exit code and what it printed. */
async function xietong(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** A stock y-websocket client of `room` on the server at `base`. */
function roomProvider(base: string, room: string, token: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(`${base.replace(/^http/, 'ws')}/sync`, room, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

/** Waits until `check` is true (bounded: 100 polls of 50 ms). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out: ${what}`);
}

const oneTimePasswordOf = (out: string, username: string): string => {
  const line = out.split('\n').find((l) => l.startsWith(`${username}\t`));
  if (!line) throw new Error(`no password printed for ${username}:\n${out}`);
  return line.split('\t')[3]!;
};

describe('admin commands on a running SQLite server', () => {
  let server: TestServer;
  const files = tempDir('xt-admin-');
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
    files.cleanup();
  });
  afterEach(() => vi.restoreAllMocks());

  it('imports units, departments and people; new people get a one-time password they must change', async () => {
    const csv = join(files.dir, 'people.csv');
    writeFileSync(
      csv,
      '\uFEFFunit,department,username,name,roles,organCode\r\n' +
        '市财政局,办公室,qian,钱多多,clerk,市财\r\n' +
        '市财政局,预算科,zhou,周正,"staff;reviewer",\r\n' +
        '市政府办公室,秘书科,wu,吴用,staff,\r\n',
    );
    const result = await xietong('admin', 'import', '--data', server.dataDir, '--csv', csv);
    expect(result.code).toBe(0);
    expect(result.out).toContain('新建 3 人');
    const otp = oneTimePasswordOf(result.out, 'zhou');

    const first = await call<{ token: string; user: Record<string, unknown> }>(server.url, 'POST', '/api/auth/login', { json: { username: 'zhou', password: otp } });
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ name: '周正', unitName: '市财政局', departmentName: '预算科', roles: ['staff', 'reviewer'], mustChangePassword: true });
    expect((await call(server.url, 'GET', '/api/directory/units', { token: first.body.token })).status).toBe(403);

    const token = await login(server.url, 'li');
    const units = await call<{ items: { name: string; organCode: string; departments: { name: string }[] }[] }>(server.url, 'GET', '/api/directory/units', { token });
    const finance = units.body.items.find((u) => u.name === '市财政局');
    expect(finance).toMatchObject({ organCode: '市财', departments: [{ name: '办公室' }, { name: '预算科' }] });
    // Existing unit, existing department reused.
    expect(units.body.items.filter((u) => u.name === '市政府办公室')).toHaveLength(1);

    // Importing the same file again changes nothing and prints no passwords.
    const again = await xietong('admin', 'import', '--data', server.dataDir, '--csv', csv);
    expect(again.code).toBe(0);
    expect(again.out).toContain('新建 0 人，更新 0 人，未改动 3 人');
    expect(again.out).not.toContain('一次性密码');

    // A changed role or department updates the person; their password and session stay.
    const session = await login(server.url, 'li');
    const changed = join(files.dir, 'roles.csv');
    writeFileSync(changed, 'unit,department,username,name,roles\n市政府办公室,综合科,li,李文,staff;reviewer\n');
    const update = await xietong('admin', 'import', '--data', server.dataDir, '--csv', changed);
    expect(update.code).toBe(0);
    expect(update.out).toContain('新建 0 人，更新 1 人');
    expect((await call(server.url, 'GET', '/api/me', { token: session })).body).toMatchObject({ roles: ['staff', 'reviewer'], departmentName: '综合科' });
    await server.deps.accounts.updatePlacement('li', { departmentId: 'dept-szfb-mishu', roles: ['staff'] });
  });

  it('rejects a file with bad rows, naming each row, and imports nothing', async () => {
    const before = await server.deps.accounts.countUsers();
    const csv = join(files.dir, 'bad.csv');
    writeFileSync(
      csv,
      'unit,department,username,name,roles\n' +
        '市审计局,,good1,好人,staff\n' +
        '市审计局,,bad user,名字,staff\n' +
        '市审计局,,good2,,staff\n' +
        '市审计局,,good1,重名,boss\n' +
        '市审计局,,short\n',
    );
    const result = await xietong('admin', 'import', '--data', server.dataDir, '--csv', csv);
    expect(result.code).toBe(1);
    expect(result.err).toContain('第 3 行：用户名“bad user”无效');
    expect(result.err).toContain('第 4 行：姓名（name）为空');
    expect(result.err).toMatch(/第 5 行：.*角色“boss”无效.*与第 2 行重复|第 5 行：.*与第 2 行重复/);
    expect(result.err).toContain('第 6 行：应有 5 列，实际 3 列');
    expect(await server.deps.accounts.countUsers()).toBe(before);
    expect((await server.deps.accounts.listUnits()).map((u) => u.name)).not.toContain('市审计局');
  });

  it('refuses to move an existing person to another unit', async () => {
    const csv = join(files.dir, 'move.csv');
    writeFileSync(csv, 'unit,department,username,name,roles\n市新单位,,newbie,新人,staff\n市发展和改革委员会,,li,李文,staff\n');
    const result = await xietong('admin', 'import', '--data', server.dataDir, '--csv', csv);
    expect(result.code).toBe(1);
    expect(result.err).toContain('第 3 行：用户名 li 已属于 市政府办公室 的 李文');
    expect(await server.deps.accounts.userByUsername('newbie')).toBeNull();
  });

  it('rejects a file with the wrong header', async () => {
    const csv = join(files.dir, 'header.csv');
    writeFileSync(csv, 'unit,user,name\nx,y,z\n');
    const result = await xietong('admin', 'import', '--data', server.dataDir, '--csv', csv);
    expect(result.code).toBe(1);
    expect(result.err).toContain('表头应为 unit,department,username,name,roles');
  });

  it('passwd prints a one-time password and ends the old sessions', async () => {
    const token = await login(server.url, 'liu');
    const result = await xietong('admin', 'passwd', '--data', server.dataDir, '--user', 'liu');
    expect(result.code).toBe(0);
    const otp = /：(\S+)$/.exec(result.out)?.[1] ?? '';
    expect(otp).toMatch(/^[A-Za-z2-9]{12}$/);
    expect((await call(server.url, 'GET', '/api/me', { token })).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'liu', password: 'demo1234' } })).status).toBe(401);
    const fresh = await call<{ user: { mustChangePassword: boolean } }>(server.url, 'POST', '/api/auth/login', { json: { username: 'liu', password: otp } });
    expect(fresh.body.user.mustChangePassword).toBe(true);
  });

  it('disable stops the account at once; enable lets it sign in again', async () => {
    const token = await login(server.url, 'sun');
    expect((await xietong('admin', 'disable', '--data', server.dataDir, '--user', 'sun')).code).toBe(0);
    expect((await call(server.url, 'GET', '/api/me', { token })).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'sun', password: 'demo1234' } })).status).toBe(401);
    expect((await xietong('admin', 'enable', '--data', server.dataDir, '--user', 'sun')).code).toBe(0);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'sun', password: 'demo1234' } })).status).toBe(200);
  });

  it('lists everyone with their state', async () => {
    const result = await xietong('admin', 'list', '--data', server.dataDir);
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('username\tname\tunit\tdepartment\troles\tstate');
    expect(lines).toContain('li\t李文\t市政府办公室\t秘书科\tstaff\t正常');
    expect(lines).toContain('liu\t刘强\t市发展和改革委员会\t\tleader\t待改初始密码');
    expect(lines.find((l) => l.startsWith('zhou\t'))).toBe('zhou\t周正\t市财政局\t预算科\tstaff;reviewer\t待改初始密码');
  });

  it('fails with one clear line on bad input', async () => {
    const noUser = await xietong('admin', 'passwd', '--data', server.dataDir, '--user', 'nobody');
    expect(noUser.code).toBe(1);
    expect(noUser.err).toBe('xietong admin: 没有用户 nobody');
    const missingFlag = await xietong('admin', 'disable', '--data', server.dataDir);
    expect(missingFlag.code).toBe(2);
    expect(missingFlag.err).toContain('--user is required');
    const wrongFolder = await xietong('admin', 'passwd', '--data', join(files.dir, 'nowhere'), '--user', 'li');
    expect(wrongFolder.code).toBe(1);
    expect(wrongFolder.err).toContain('no server store in');
    expect(existsSync(join(files.dir, 'nowhere'))).toBe(false);
  });

  it('backs up while the server writes, and a server started on the restored folder serves the same data', async () => {
    const token = await login(server.url, 'li');
    const draft = await call<{ id: string }>(server.url, 'POST', '/api/documents', { token, json: { kind: 'outgoing', title: '关于做好冬季安全生产工作的通知' } });
    expect(draft.status).toBe(201);
    // Writes keep arriving during the backup (logins update throttle rows; passwords change).
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing && n < 200) {
        n++;
        await call(server.url, 'POST', '/api/auth/login', { json: { username: 'zhao', password: 'wrong' } });
        await server.deps.accounts.setDisabled('wang', n % 2 === 0);
      }
    })();
    const out = join(files.dir, 'backup-1');
    const result = await xietong('admin', 'backup', '--data', server.dataDir, '--out', out);
    writing = false;
    await writer;
    expect(result.code).toBe(0);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);

    const target = join(files.dir, 'restored');
    const restored = await xietong('admin', 'restore', '--data', target, '--from', out);
    expect(restored.code).toBe(0);
    const second = await startTestServer({ dataDir: target, demo: false });
    try {
      // Same store, same token key: a token issued before the backup still works on the restored server.
      expect((await call(second.url, 'GET', '/api/me', { token })).body).toMatchObject({ name: '李文' });
      expect((await call(second.url, 'POST', '/api/auth/login', { json: { username: 'chen', password: 'demo1234' } })).status).toBe(200);
      expect(await second.deps.accounts.userByUsername('zhou')).toMatchObject({ name: '周正' });
      const document = await call(second.url, 'GET', `/api/documents/${draft.body.id}`, { token });
      expect(document.body).toMatchObject({ id: draft.body.id, title: '关于做好冬季安全生产工作的通知' });
    } finally {
      await second.close();
    }
    // Never over existing data.
    const again = await xietong('admin', 'restore', '--data', target, '--from', out);
    expect(again.code).toBe(1);
    expect(again.err).toContain('is not empty');
    const notBackup = await xietong('admin', 'restore', '--data', join(files.dir, 'empty'), '--from', files.dir);
    expect(notBackup.code).toBe(1);
    expect(notBackup.err).toContain('not a XieTong backup');
  });

  it('keeps the body edits the sync service has only journaled so far', async () => {
    const token = await login(server.url, 'li');
    const draft = await call<{ id: string }>(server.url, 'POST', '/api/documents', { token, json: { kind: 'outgoing', title: '关于开展节前安全检查的通知' } });
    const room = `doc:${draft.body.id}`;
    const writer = roomProvider(server.url, room, token);
    const reader = roomProvider(server.url, room, token);
    try {
      await until(() => writer.synced && reader.synced, 'both synced');
      writer.doc.getText('body').insert(0, '各科室：请于节前完成安全检查。');
      // The server relays an edit only once it is in the journal; it moves it into the table later.
      await until(() => reader.doc.getText('body').toJSON().length > 0, 'the edit is relayed');
      const out = join(files.dir, 'backup-journal');
      expect((await xietong('admin', 'backup', '--data', server.dataDir, '--out', out)).code).toBe(0);
      expect(existsSync(join(out, 'files', 'xietong.db-sync-journal'))).toBe(true);
      const target = join(files.dir, 'restored-journal');
      expect((await xietong('admin', 'restore', '--data', target, '--from', out)).code).toBe(0);
      const second = await startTestServer({ dataDir: target, demo: false });
      const restored = roomProvider(second.url, room, token);
      try {
        await until(() => restored.doc.getText('body').toJSON() === '各科室：请于节前完成安全检查。', 'the restored room has the edit');
      } finally {
        restored.destroy();
        await second.close();
      }
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });
});

describe('admin backup and restore on PostgreSQL', () => {
  const source = pgSchema();
  const target = pgSchema();
  const files = tempDir('xt-admin-pg-');
  afterAll(async () => {
    await source.drop();
    await target.drop();
    files.cleanup();
  });

  it('exports a consistent snapshot and restores it into an empty schema a server then serves', async () => {
    const dataA = join(files.dir, 'a');
    mkdirSync(dataA);
    const server = await startTestServer({ dataDir: dataA, postgresUrl: source.url });
    const room = parseRoomName('user:user-li')!.name;
    const saved = { documentId: '' };
    try {
      const db = await openPostgres(source.url);
      try {
        await new PostgresRoomUpdateStore(db.pool).appendBatch([{ room, update: new Uint8Array([1, 2, 3, 0, 255]) }]);
      } finally {
        await db.close();
      }
      const token = await login(server.url, 'sun');
      const draft = await call<{ id: string }>(server.url, 'POST', '/api/documents', { token, json: { kind: 'outgoing', title: '关于报送统计数据的函' } });
      expect(draft.status).toBe(201);
      saved.documentId = draft.body.id;
      const csv = join(files.dir, 'p.csv');
      writeFileSync(csv, 'unit,department,username,name,roles\n市统计局,综合科,feng,冯明,staff\n');
      expect((await xietong('admin', 'import', '--postgres', source.url, '--csv', csv)).code).toBe(0);
      const out = join(files.dir, 'pg-backup');
      const backup = await xietong('admin', 'backup', '--postgres', source.url, '--data', dataA, '--out', out);
      expect(backup.code).toBe(0);
      expect(backup.out).toContain('postgres');
    } finally {
      await server.stop();
    }

    const dataB = join(files.dir, 'b');
    const restored = await xietong('admin', 'restore', '--postgres', target.url, '--data', dataB, '--from', join(files.dir, 'pg-backup'));
    expect(restored.code).toBe(0);
    const second = await startTestServer({ dataDir: dataB, postgresUrl: target.url, demo: false });
    try {
      expect((await call(second.url, 'POST', '/api/auth/login', { json: { username: 'li', password: 'demo1234' } })).status).toBe(200);
      expect(await second.deps.accounts.userByUsername('feng')).toMatchObject({ name: '冯明', unitName: '市统计局' });
      const token = await login(second.url, 'sun');
      expect((await call(second.url, 'GET', `/api/documents/${saved.documentId}`, { token })).body).toMatchObject({ title: '关于报送统计数据的函' });
      const db = await openPostgres(target.url);
      try {
        const store = new PostgresRoomUpdateStore(db.pool);
        expect((await store.load(room)).map((u) => [...u])).toEqual([[1, 2, 3, 0, 255]]);
        // The id sequence continues above the restored rows.
        await store.appendBatch([{ room, update: new Uint8Array([9]) }]);
        expect(await store.count(room)).toBe(2);
      } finally {
        await db.close();
      }
    } finally {
      await second.close();
    }
    const again = await xietong('admin', 'restore', '--postgres', target.url, '--from', join(files.dir, 'pg-backup'));
    expect(again.code).toBe(1);
    expect(again.err).toContain('is not empty');
  });
});
