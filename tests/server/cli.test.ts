/** `xietong server` as a real process: prints its URL, answers /healthz, stops cleanly on SIGTERM and SIGINT. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');

/** Starts `node bin/xietong.mjs server …` (what `npx xietong` runs; it loads the built dist/cli.mjs); resolves with the URL it printed. */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'xietong.mjs'), 'server', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => stderr });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('xietong server (real process)', () => {
  const data = tempDir('xt-cli-');
  beforeAll(() => {
    const build = spawnSync(process.execPath, ['scripts/build-node.mjs'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  });
  afterAll(() => data.cleanup());

  it('prints one line with its URL, answers /healthz and login, and exits 0 on SIGTERM', async () => {
    const { child, url, stderr } = await startCli(['--port', '0', '--data', data.dir, '--demo']);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wang', password: 'demo1234' }) });
      expect(login.status).toBe(200);
      const done = exited(child);
      child.kill('SIGTERM');
      expect(await done).toBe(0);
      // Logs are JSON lines on stderr, and never carry the token.
      const lines = stderr().trim().split('\n').map((line) => JSON.parse(line) as { msg: string });
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['server listening', 'server stopped']));
      expect(stderr()).not.toContain('demo1234');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('restarts on the same data folder with the idle limit it is given, and stops on SIGINT', async () => {
    const { child, url } = await startCli(['--port', '0', '--data', data.dir, '--session-idle-minutes', '30']);
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li', password: 'demo1234' }) });
      const { expiresAt } = (await login.json()) as { expiresAt: number };
      // A token lasts 30 minutes unless refreshed (the default is 8 hours).
      expect(Math.round((expiresAt - Date.now()) / 60_000)).toBe(30);
      const done = exited(child);
      child.kill('SIGINT');
      expect(await done).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('fails with one clear line on a bad option', () => {
    const result = spawnSync(process.execPath, [join(root, 'bin', 'xietong.mjs'), 'server', '--port', 'abc'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('xietong server: --port must be a port number (0–65535), got "abc"');
    const idle = spawnSync(process.execPath, [join(root, 'bin', 'xietong.mjs'), 'server', '--session-idle-minutes', '1'], { cwd: root, encoding: 'utf8' });
    expect(idle.status).toBe(2);
    expect(idle.stderr.trim()).toBe('xietong server: --session-idle-minutes must be a whole number of minutes from 5 to 10080, got "1"');
  });
});
