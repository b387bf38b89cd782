/**
 * The 在线/离线 indicator in a real browser: a web host of its own (not the shared one of
 * playwright.config.ts) pointed with XIETONG_SERVER_URL at a sync server this test starts, stops
 * and starts again on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const processes = new Set<ChildProcess>();
let root: string;

test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'xietong-e2e-connection-'));
});

test.afterAll(async () => {
  for (const child of processes) await stop(child);
  rmSync(root, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once a line of its stdout matches. */
function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  processes.add(child);
  child.on('exit', () => processes.delete(child));
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start: ${err}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const { child } = await start(
    ['bin/xietong.mjs', 'server', '--port', String(port), '--data', join(root, 'server'), '--demo'],
    {},
    /server listening|http:\/\/127\.0\.0\.1:\d+/,
  );
  // The server's first line may come before it answers; wait for /healthz.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not answer /healthz');
}

test('the indicator reads 离线 while the server is down and 在线 again when it is back; signing in needs the server', async ({ page }) => {
  test.setTimeout(150_000);
  const serverPort = await freePort();
  let server = await startServer(serverPort);
  const web = await start(
    ['dist/web.mjs'],
    { XIETONG_DATA: join(root, 'web'), XIETONG_WEB_PORT: '0', XIETONG_SERVER_URL: `http://127.0.0.1:${serverPort}` },
    /^XieTong web: (http:\/\/127\.0\.0\.1:\d+)\n/,
  );
  const url = web.match[1]!;

  await page.goto(url);
  await page.getByLabel('用户名').fill('li');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  const indicator = page.getByRole('status', { name: '连接状态' });
  await expect(indicator).toHaveText('在线');

  await stop(server);
  await expect(indicator).toHaveText('离线', { timeout: 40_000 });
  // Still signed in: going offline is not signing out.
  await expect(page.getByRole('banner').getByText('李文')).toBeVisible();

  server = await startServer(serverPort);
  await expect(indicator).toHaveText('在线', { timeout: 60_000 });

  // Signing out works without the server; signing in then says why it cannot, keeping the username.
  await stop(server);
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').fill('li');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('无法连接服务器，请检查网络后重试');
  await expect(page.getByLabel('用户名')).toHaveValue('li');
  await stop(server);
  await stop(web.child);
});
