/**
 * Real processes for specs that need their own sync server and web host (not the shared ones of
 * playwright.config.ts): start them, wait until they answer, stop them — and, whatever happens in
 * the spec, stop every one still running and remove their data folder afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free loopback port, found by listening on port 0 and closing again. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Stops a process with SIGTERM and resolves once it has exited (at once if it already has). */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The processes one spec starts, with a throw-away data folder under the system's temp folder. */
export class SpecProcesses {
  private readonly running = new Set<ChildProcess>();
  /** The data folder: the server keeps its data in `server/`, the web host in `web/`. */
  readonly root: string;

  /** `prefix` names the temp folder, e.g. 'xietong-e2e-offline-'. */
  constructor(prefix: string) {
    this.root = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Starts `node ...args` and resolves once its stdout so far matches `ready`. */
  start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.running.add(child);
    child.on('exit', () => this.running.delete(child));
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

  /** Starts `xietong server --demo` on `port` (its data kept across restarts) and waits for /healthz. */
  async startServer(port: number): Promise<ChildProcess> {
    const { child } = await this.start(
      ['bin/xietong.mjs', 'server', '--port', String(port), '--data', join(this.root, 'server'), '--demo'],
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

  /**
   * Starts the built web host (dist/web.mjs) on a free port, pointed at the server on `serverPort`.
   * One web host is one person's desktop; a second (another `name`, its own data folder) lets two
   * people work at once.
   */
  async startWebHost(serverPort: number, name = 'web'): Promise<{ child: ChildProcess; url: string }> {
    const { child, match } = await this.start(
      ['dist/web.mjs'],
      { XIETONG_DATA: join(this.root, name), XIETONG_WEB_PORT: '0', XIETONG_SERVER_URL: `http://127.0.0.1:${serverPort}` },
      /^XieTong web: (http:\/\/127\.0\.0\.1:\d+)\n/,
    );
    return { child, url: match[1]! };
  }

  /** Stops every process still running and removes the data folder. */
  async dispose(): Promise<void> {
    for (const child of this.running) await stop(child);
    rmSync(this.root, { recursive: true, force: true });
  }
}
