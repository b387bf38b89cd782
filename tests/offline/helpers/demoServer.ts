/**
 * The real sync server with the demo organisation, started once per test file and stopped after it,
 * with the file's temporary folders; and the bounded wait the offline tests poll with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger, startServer, type RunningServer } from '../../../src/sync-server/index';

export interface DemoServer {
  /** The running server (set before the file's first test). */
  readonly server: RunningServer;
  /** Folders removed after the file's last test (the server's own is among them). */
  readonly dirs: string[];
}

/** Registers beforeAll/afterAll that start and stop a demo server in a fresh data folder named `prefix…`. */
export function useDemoServer(prefix: string): DemoServer {
  const dirs: string[] = [];
  let running: RunningServer | null = null;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dataDir);
    running = await startServer({ host: '127.0.0.1', port: 0, demo: true, demoCertificates: false, log: silentLogger, dataDir });
  });
  afterAll(async () => {
    await running?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    dirs,
    get server(): RunningServer {
      if (!running) throw new Error('the demo server is not started yet');
      return running;
    },
  };
}

/** Polls `check` every 10 ms, at most `attempts` times; throws naming `what` when it never holds. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, attempts = 1000): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
