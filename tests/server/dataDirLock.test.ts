/** One server per data folder; a lock left by a dead process is taken over. */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, silentLogger } from '../../src/sync-server/index';
import { tempDir } from './helpers';

describe('data folder lock', () => {
  const data = tempDir('xt-lock-');
  afterAll(() => data.cleanup());
  const start = () => startServer({ dataDir: data.dir, port: 0, log: silentLogger });

  it('refuses a second server on a folder in use and allows it once the first stopped', async () => {
    const first = await start();
    try {
      await expect(start()).rejects.toThrow(/already served by this process/);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.close();
    }
    expect(existsSync(join(data.dir, 'server.lock'))).toBe(false);
    const again = await start();
    await again.close();
  });

  it('refuses a folder locked by another live process', async () => {
    writeFileSync(join(data.dir, 'server.lock'), String(process.ppid));
    try {
      await expect(start()).rejects.toThrow(`in use by another server (pid ${process.ppid})`);
    } finally {
      writeFileSync(join(data.dir, 'server.lock'), '');
    }
  });

  it('takes over a lock whose process is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(data.dir, 'server.lock'), String(dead));
    const server = await start();
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
