/**
 * Sync server figures on this machine (SQLite store, loopback): start-up, login (scrypt-bound),
 * authenticated API requests, a 1,000-person CSV import, and an online backup while requests run.
 * Prints a table, then one JSON line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Accounts } from '../src/sync-server/accounts/accounts';
import { backupStore } from '../src/sync-server/admin/backup';
import { importDirectory, parseImportCsv } from '../src/sync-server/admin/importDirectory';
import { allMigrations } from '../src/sync-server/app';
import { startServer, silentLogger } from '../src/sync-server/index';
import { openStore } from '../src/sync-server/store/index';
import { load, round } from './support/load';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xt-bench-server-'));
  try {
    let t = performance.now();
    const server = await startServer({ dataDir: join(dir, 'data'), port: 0, demo: true, demoCertificates: false, log: silentLogger });
    const startMs = round(performance.now() - t);

    const post = (path: string, body: unknown, token?: string) =>
      fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const loginResult = await load(40, 4, async () => {
      const response = await post('/api/auth/login', { username: 'li', password: 'demo1234' });
      if (response.status !== 200) throw new Error(`login ${response.status}`);
      await response.arrayBuffer();
    });
    const token = ((await (await post('/api/auth/login', { username: 'li', password: 'demo1234' })).json()) as { token: string }).token;
    const get = async (path: string): Promise<void> => {
      const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`${path} ${response.status}`);
      await response.arrayBuffer();
    };
    await load(200, 8, () => get('/api/me')); // warm-up
    const me = await load(3000, 16, () => get('/api/me'));

    // 1,000 people in 20 units, through the same code as `xietong admin import`.
    const rows = ['unit,department,username,name,roles'];
    for (let i = 0; i < 1000; i++) rows.push(`市测试局${i % 20},科室${i % 5},bench${i},测试人员${i},staff`);
    writeFileSync(join(dir, 'people.csv'), rows.join('\n'));
    const db = await openStore({ dataDir: join(dir, 'data') }, allMigrations());
    t = performance.now();
    await importDirectory(db, await Accounts.open(db), parseImportCsv(rows.join('\n')));
    const importMs = round(performance.now() - t);
    await db.close();
    const directory = await load(300, 8, () => get('/api/directory/users'));

    // Backup while requests keep coming.
    let running = true;
    const traffic = (async () => {
      while (running) await get('/api/me');
    })();
    t = performance.now();
    const manifest = await backupStore({ dataDir: join(dir, 'data') }, join(dir, 'backup'));
    const backupMs = round(performance.now() - t);
    running = false;
    await traffic;

    await server.close();
    t = performance.now();
    const demo = await startServer({ dataDir: join(dir, 'demo'), port: 0, demo: true, log: silentLogger });
    const demoStartMs = round(performance.now() - t);
    await demo.close();

    const result = {
      startMs,
      demoWithCertificatesStartMs: demoStartMs,
      loginPerSecond: loginResult.perSecond,
      loginP50Ms: loginResult.p50,
      meRequestsPerSecond: me.perSecond,
      meP50Ms: me.p50,
      meP99Ms: me.p99,
      import1000PeopleMs: importMs,
      directory1007PeoplePerSecond: directory.perSecond,
      directoryP50Ms: directory.p50,
      backupMsWhileServing: backupMs,
      backupRows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
    };
    console.log('figure                                   value');
    for (const [key, value] of Object.entries(result)) console.log(`${key.padEnd(40)} ${value}`);
    console.log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
