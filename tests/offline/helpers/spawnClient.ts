/**
 * Runs ./clientProcess.ts as a child process (bundled once with esbuild beside node_modules, so its
 * imports resolve) and talks to it line by line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

let bundled: Promise<string> | null = null;

function bundle(): Promise<string> {
  bundled ??= (async () => {
    const source = fileURLToPath(new URL('./clientProcess.ts', import.meta.url));
    const dir = join(process.cwd(), 'node_modules', '.cache', 'xietong');
    mkdirSync(dir, { recursive: true });
    // Built fresh for each test run (it bundles the services under test), removed at exit.
    const outfile = join(dir, `offline-client-${process.pid}-${Date.now()}.mjs`);
    process.once('exit', () => rmSync(outfile, { force: true }));
    const { build } = await import('esbuild');
    await build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
      banner: { js: "import { createRequire as __xtCreateRequire } from 'node:module'; const require = __xtCreateRequire(import.meta.url);" },
    });
    if (!existsSync(outfile)) throw new Error('client bundle missing');
    return outfile;
  })();
  return bundled;
}

export interface ClientMessage {
  readonly ready?: boolean;
  readonly ack?: 'edit' | 'command';
  readonly marker?: string;
  readonly clientId?: string;
  readonly state?: string[];
  readonly pending?: number;
  readonly connection?: string;
  readonly synced?: boolean;
  readonly fatal?: string;
  readonly error?: string;
  readonly closed?: boolean;
  readonly outbox?: unknown[];
}

export interface ChildClient {
  readonly process: ChildProcess;
  readonly messages: ClientMessage[];
  readonly ackedEdits: string[];
  readonly ackedCommands: string[];
  send(op: Record<string, unknown>): void;
  /** The next message matching `match`, waiting at most `timeoutMs`. */
  next(match: (message: ClientMessage) => boolean, timeoutMs?: number): Promise<ClientMessage>;
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
}

export async function spawnClient(env: { dir: string; server: string; room: string; token?: string }): Promise<ChildClient> {
  const script = await bundle();
  const child = spawn(process.execPath, [script], {
    cwd: process.cwd(),
    env: { ...process.env, XT_DIR: env.dir, XT_SERVER: env.server, XT_ROOM: env.room, XT_TOKEN: env.token ?? 'token-ok' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const messages: ClientMessage[] = [];
  const waiters = new Set<{ match: (m: ClientMessage) => boolean; resolve: (m: ClientMessage) => void }>();
  let cursor = 0;
  const client: ChildClient = {
    process: child,
    messages,
    ackedEdits: [],
    ackedCommands: [],
    send: (op) => {
      child.stdin?.write(`${JSON.stringify(op)}\n`);
    },
    next: (match, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        for (; cursor < messages.length; cursor += 1) {
          if (match(messages[cursor]!)) {
            const found = messages[cursor]!;
            cursor += 1;
            resolve(found);
            return;
          }
        }
        const waiter = {
          match,
          resolve: (m: ClientMessage) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`client did not answer in time; last messages: ${JSON.stringify(messages.slice(-3))}`));
        }, timeoutMs);
        waiters.add(waiter);
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await client.exited;
    },
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: ClientMessage;
    try {
      message = JSON.parse(line) as ClientMessage;
    } catch {
      return;
    }
    messages.push(message);
    if (message.ack === 'edit' && message.marker) client.ackedEdits.push(message.marker);
    if (message.ack === 'command' && message.clientId) client.ackedCommands.push(message.clientId);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.delete(waiter);
        cursor = messages.length;
        waiter.resolve(message);
        break;
      }
    }
  });
  const ready = await client.next((m) => m.ready === true || m.fatal !== undefined);
  if (ready.fatal) throw new Error(`client failed to start: ${ready.fatal}`);
  return client;
}
