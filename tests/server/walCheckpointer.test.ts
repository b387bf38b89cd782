/**
 * WAL checkpoints on a thread of their own (store/walCheckpointer.ts): PASSIVE ones keep the WAL
 * copied into the database file, it starts over once it has grown past its limit, the
 * server's connection keeps only a 64 MiB backstop, closing the store stops the thread and truncates
 * the WAL, and a process killed in the middle of writing (and of checkpoints) loses nothing it
 * committed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../src/sync-server/store/sqlite';
import type { WalCheckpointerStats } from '../../src/sync-server/store/walCheckpointer';
import { startTestServer, tempDir } from './helpers';
import { fixtureBundle } from '../sync/helpers';

const threads = (): number => readdirSync('/proc/self/task').length;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function writeRows(db: SqliteDatabase, count: number, bytes: number): Promise<void> {
  for (let i = 0; i < count; i++) await db.transaction((tx) => tx.run('INSERT INTO t (payload) VALUES (?)', [Buffer.alloc(bytes, i % 251)]).then(() => undefined));
}

describe('WAL checkpoints on a worker thread', () => {
  const tmp = tempDir('xt-wal-');
  afterAll(() => tmp.cleanup());

  it('copies the WAL into the database file in the background and leaves the writer a 64 MiB backstop', async () => {
    const db = openSqlite(join(tmp.dir, 'passive.db'));
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)');
    const checkpointer = await db.startBackgroundCheckpoints({ intervalMs: 20 });
    try {
      const pageSize = Number(db.raw.pragma('page_size', { simple: true }));
      expect(Number(db.raw.pragma('wal_autocheckpoint', { simple: true }))).toBe(Math.ceil((64 * 1024 * 1024) / pageSize));
      await writeRows(db, 200, 3000);
      let stats: WalCheckpointerStats = await checkpointer.stats();
      for (let i = 0; i < 100 && !(stats.lastLogFrames > 0 && stats.lastCheckpointedFrames === stats.lastLogFrames); i++) {
        await pause(20);
        stats = await checkpointer.stats();
      }
      expect(stats.passive).toBeGreaterThan(0);
      expect(stats.lastCheckpointedFrames).toBe(stats.lastLogFrames);
      // Everything committed is in the database file itself: a connection that ignores the WAL sees it.
      const copy = new BetterSqlite3(join(tmp.dir, 'passive.db'), { readonly: true });
      expect(copy.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 200 });
      copy.close();
    } finally {
      await db.close();
    }
  });

  it('starts the WAL over once it is past its limit: a last pass while the store’s statements wait', async () => {
    // Written without a pause (a turn of the event loop between commits, as a busy server has):
    // the WAL outgrows 128 KiB between two checkpoints many times over, and is never idle.
    const writeSteadily = async (db: SqliteDatabase): Promise<void> => {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)');
      for (let i = 0; i < 2000; i++) {
        await writeRows(db, 1, 4000);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    // What the same writes leave in a WAL nobody checkpoints: all of them.
    const control = openSqlite(join(tmp.dir, 'control.db'));
    control.raw.pragma('wal_autocheckpoint = 0');
    await writeSteadily(control);
    const [{ log: everything }] = control.raw.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
    await control.close();

    const file = join(tmp.dir, 'restart.db');
    const db = openSqlite(file);
    const checkpointer = await db.startBackgroundCheckpoints({ intervalMs: 10, restartBytes: 128 * 1024 });
    try {
      await writeSteadily(db);
      await pause(100);
      const stats = await checkpointer.stats();
      expect(stats.restart, JSON.stringify(stats)).toBeGreaterThan(0);
      expect(stats.longestHoldMs).toBeGreaterThan(0);
      // Started over rather than grown: the WAL holds the frames written since it last started over,
      // well short of every frame written (a thread starved of CPU may start it over late, not never).
      expect(stats.lastLogFrames, JSON.stringify(stats)).toBeGreaterThanOrEqual(0);
      expect(stats.lastLogFrames, `${JSON.stringify(stats)} of ${everything}`).toBeLessThan(everything * 0.9);
      expect(await db.get('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 2000 });
    } finally {
      await db.close();
    }
  });

  it('stops the thread and truncates the WAL when the store closes', async () => {
    const file = join(tmp.dir, 'close.db');
    const db = openSqlite(file);
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)');
    const before = threads();
    const checkpointer = await db.startBackgroundCheckpoints({ intervalMs: 1000 });
    const running = threads();
    expect(running).toBeGreaterThan(before);
    await writeRows(db, 50, 3000);
    // Another connection keeps the file open, so SQLite does not remove the WAL by itself.
    const other = new BetterSqlite3(file);
    other.prepare('SELECT COUNT(*) AS n FROM t').get();
    try {
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      await db.close();
      expect(threads()).toBeLessThan(running);
      expect(threads()).toBeLessThanOrEqual(before);
      await expect(checkpointer.stats()).rejects.toThrow(/stopped/);
      expect(statSync(`${file}-wal`).size).toBe(0);
      expect(other.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 50 });
      // Closing twice is harmless.
      await db.close();
    } finally {
      other.close();
    }
  });

  it('the server stops its checkpoint thread on close', async () => {
    const before = threads();
    const server = await startTestServer();
    const running = threads();
    expect(running).toBeGreaterThan(before);
    const checkpointer = (server.deps.db as SqliteDatabase).backgroundCheckpoints;
    expect((await checkpointer!.stats()).passive).toBeGreaterThanOrEqual(0);
    await server.stop();
    await expect(checkpointer!.stats()).rejects.toThrow(/stopped/);
    // The checkpoint thread has ended (it is the only thread a server starts of its own).
    expect(threads()).toBeLessThan(running);
    expect(existsSync(join(server.dataDir, 'xietong.db-wal'))).toBe(false);
  });
});

describe('a process killed while writing', () => {
  const tmp = tempDir('xt-wal-kill-');
  const writer = fixtureBundle('walWriter', join(__dirname, 'fixtures'));
  const script = writer.script;

  beforeAll(() => writer.build());
  afterAll(() => {
    tmp.cleanup();
    writer.remove();
  });

  it('loses nothing it committed when SIGKILLed mid-stream of writes and checkpoints', async () => {
    const file = join(tmp.dir, 'killed.db');
    const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    let restarts = 0;
    let out = '';
    const killed = new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const lines = out.split('\n');
        out = lines.pop() ?? '';
        for (const line of lines) {
          const done = /^committed (\d+)$/.exec(line);
          if (done) committed = Number(done[1]);
          const stats = /^stats (.+)$/.exec(line);
          if (stats) restarts = (JSON.parse(stats[1]!) as WalCheckpointerStats).restart;
        }
        // Killed once both kinds of checkpoint have run many times, in the middle of the stream.
        if (committed >= 3000 && restarts > 0 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the writer exited by itself (${code})`))));
    });
    await killed;
    expect(committed).toBeGreaterThanOrEqual(3000);
    expect(restarts).toBeGreaterThan(0);

    const reopened = new BetterSqlite3(file);
    try {
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
      const { n, top } = reopened.prepare('SELECT COUNT(*) AS n, MAX(seq) AS top FROM rows').get() as { n: number; top: number };
      // Every row reported committed is there, with no gap (a row begun but not yet reported may be too).
      expect(top).toBeGreaterThanOrEqual(committed);
      expect(n).toBe(top);
    } finally {
      reopened.close();
    }
  });
});
