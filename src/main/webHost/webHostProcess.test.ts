/**
 * `npm run web` as a person meets it: dist/web.mjs started as its own process with a fresh data
 * folder, printing its one line, serving the app with an embedded demo server, keeping a signed-in
 * session across a restart, and stopping cleanly on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const repo = resolve(__dirname, '../../..');
let dataDir: string;
const children = new Set<ChildProcess>();

beforeAll(() => {
  // Bundle the current source, so the process under test is this code.
  const build = spawnSync(process.execPath, ['scripts/build-node.mjs'], { cwd: repo, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-node failed: ${build.stderr}`);
  if (!existsSync(join(repo, 'out/renderer/index.html'))) {
    const renderer = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { cwd: repo, encoding: 'utf8' });
    if (renderer.status !== 0) throw new Error(`electron-vite build failed: ${renderer.stderr}`);
  }
  dataDir = mkdtempSync(join(tmpdir(), 'xietong-web-process-'));
}, 120_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
}

/** Starts dist/web.mjs; resolves once it printed its URL line. */
function startWeb(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['dist/web.mjs'], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  let err = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${err}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /^XieTong web: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveStart({ child, url: match[1]!, stdout: () => out });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}: ${err}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

/** One call over the bridge, as the renderer would make it. */
async function call(url: string, channel: string, input: unknown): Promise<unknown> {
  const socket = new WebSocket(`${url.replace('http:', 'ws:')}/bridge`, { origin: url });
  try {
    await new Promise((resolveOpen, reject) => {
      socket.once('open', resolveOpen);
      socket.once('error', reject);
    });
    const answer = new Promise<unknown>((resolveAnswer) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown };
        if (message.id === 1) resolveAnswer(message.result);
      });
    });
    socket.send(JSON.stringify({ id: 1, channel, input }));
    return await answer;
  } finally {
    socket.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

describe('npm run web (dist/web.mjs)', () => {
  it('prints one line, serves the app with an embedded demo server, and stops on SIGTERM', async () => {
    const web = await startWeb({ XIETONG_DATA: dataDir, XIETONG_WEB_PORT: '0' });
    const health = await fetch(`${web.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    expect(await (await fetch(web.url)).text()).toContain('<div id="root">');
    expect(await call(web.url, 'session:login', { username: 'li', password: 'demo1234' })).toMatchObject({ ok: true, value: { user: { name: '李文', unitName: '市政府办公室' } } });

    // A page from elsewhere trying the bridge is refused, and the log says so.
    const stranger = new WebSocket(`${web.url.replace('http:', 'ws:')}/bridge`, { origin: 'http://evil.example' });
    stranger.on('error', () => undefined);
    await new Promise((resolveRefused) => stranger.once('unexpected-response', resolveRefused));
    stranger.terminate();

    web.child.kill('SIGTERM');
    expect(await exitOf(web.child)).toBe(0);
    expect(web.stdout()).toBe(`XieTong web: ${web.url}\n`);
    await expect(fetch(`${web.url}/healthz`)).rejects.toThrow();
    // The log 导出诊断信息 collects: start, the refused socket, stop.
    const log = readFileSync(join(dataDir, 'client', 'logs', 'main.log'), 'utf8');
    expect(log).toMatch(/\[web\] web host listening on http:\/\/127\.0\.0\.1:\d+, sync server http:\/\/127\.0\.0\.1:\d+ \(embedded\)/);
    expect(log).toContain('bridge socket refused: origin http://evil.example');
    expect(log).toContain('web host stopped');
  });

  it('keeps the signed-in session across a restart with the same data folder', async () => {
    const web = await startWeb({ XIETONG_DATA: dataDir, XIETONG_WEB_PORT: '0' });
    expect(await call(web.url, 'session:current', {})).toMatchObject({ ok: true, value: { user: { username: 'li' } } });
    web.child.kill('SIGINT');
    expect(await exitOf(web.child)).toBe(0);
  });

  it('says in one line when its port is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolveListen) => blocker.listen(port, '127.0.0.1', resolveListen));
    try {
      const result = spawnSync(process.execPath, ['dist/web.mjs'], {
        cwd: repo,
        env: { ...process.env, XIETONG_DATA: dataDir, XIETONG_WEB_PORT: String(port) },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('XieTong web:'))).toEqual([
        `XieTong web: 端口 ${port} 已被占用，请用 XIETONG_WEB_PORT 指定其他端口`,
      ]);
    } finally {
      await new Promise((resolveClose) => blocker.close(resolveClose));
    }
  });

  it('refuses a malformed XIETONG_SERVER_URL with a clear error', () => {
    const result = spawnSync(process.execPath, ['dist/web.mjs'], {
      cwd: repo,
      env: { ...process.env, XIETONG_DATA: dataDir, XIETONG_WEB_PORT: '0', XIETONG_SERVER_URL: 'server:8787' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('XIETONG_SERVER_URL');
  });
});
