/**
 * WAL checkpoints of the server's SQLite store, on a thread of their own.
 *
 * With SQLite's default (`wal_autocheckpoint` = 1,000 pages) the commit that crosses the limit runs
 * the checkpoint itself: it copies ~4 MiB of pages into the database file and syncs it, on the
 * event loop, inside an HTTP request. A workflow action writes some 20 pages, so under load one
 * action in ~50 paid for it (≈0.1 ms of server CPU per action on average, and the fsync's wait on
 * the request that drew it).
 *
 * Here a worker thread, with its own connection to the same file, runs a PASSIVE checkpoint every
 * ~200 ms: it copies what no reader still needs and never waits for, nor blocks, the writer. Under
 * steady writes the WAL can then not start over (a writer restarts it only when everything in it has
 * been copied), so once it holds more than `restartBytes` (16 MiB) the worker runs a RESTART
 * checkpoint, which holds the writer back only while it copies the little written since the last
 * pass. The server's own connection keeps `wal_autocheckpoint` as a backstop at 64 MiB worth of
 * pages, should this thread fall behind or fail; at shutdown the WAL is checkpointed and truncated
 * (TRUNCATE), so a stopped server leaves a small data folder.
 *
 * Durability is SQLite's: checkpoints only copy committed pages from the WAL into the database file,
 * so a process killed at any moment — in the middle of a checkpoint too — loses nothing committed.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

export interface WalCheckpointerOptions {
  /** Time between PASSIVE checkpoints. Default 200 ms. */
  intervalMs?: number;
  /** A RESTART checkpoint once the WAL holds more than this. Default 16 MiB. */
  restartBytes?: number;
  /** The writer's own automatic checkpoint, a backstop: in bytes of WAL, turned into pages. Default 64 MiB. */
  backstopBytes?: number;
  /** A checkpoint failed (it is tried again at the next interval). */
  onError?: (error: Error) => void;
}

/** What the thread has done, for tests and metrics. */
export interface WalCheckpointerStats {
  /** PASSIVE checkpoints run. */
  readonly passive: number;
  /** RESTART checkpoints run. */
  readonly restart: number;
  /** WAL frames and frames copied, as the last checkpoint reported them (-1 before the first). */
  readonly lastLogFrames: number;
  readonly lastCheckpointedFrames: number;
}

export interface WalCheckpointer {
  stats(): Promise<WalCheckpointerStats>;
  /** Stops the thread (after the checkpoint it may be running) and closes its connection. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 200;
export const DEFAULT_RESTART_BYTES = 16 * 1024 * 1024;
export const DEFAULT_BACKSTOP_BYTES = 64 * 1024 * 1024;

/** A WAL frame is a page plus its 24-byte header. */
const WAL_FRAME_HEADER_BYTES = 24;

/**
 * The thread's program, plain CommonJS given as text: it needs no bundling, so it runs the same from
 * the source tree (tests), a bench bundle and dist/. It loads better-sqlite3 from the path the
 * server resolved, so both sides use the same build of the driver.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// RESTART waits for the writer's current transaction (well under a second); PASSIVE never waits.
db.pragma('busy_timeout = 1000');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const stats = { passive: 0, restart: 0, lastLogFrames: -1, lastCheckpointedFrames: -1 };
const tick = () => {
  try {
    let result = passive.get();
    stats.passive++;
    if (result.log > workerData.restartFrames) {
      result = restart.get();
      stats.restart++;
    }
    stats.lastLogFrames = result.log;
    stats.lastCheckpointedFrames = result.checkpointed;
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stats') parentPort.postMessage({ type: 'stats', stats });
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  }
});
parentPort.postMessage({ type: 'ready' });
`;

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'stopped' }
  | { type: 'error'; message: string }
  | { type: 'stats'; stats: WalCheckpointerStats };

/** Where better-sqlite3 is, resolved from this module (or, should that fail, from the working folder). */
function driverPath(): string {
  let require: NodeJS.Require;
  try {
    require = createRequire(import.meta.url);
  } catch {
    require = createRequire(join(process.cwd(), 'package.json'));
  }
  return require.resolve('better-sqlite3');
}

/**
 * Starts checkpointing `file` in a worker thread and sets the backstop on `writer`, the server's
 * connection to it. Resolves once the thread has opened the file. The thread never keeps the
 * process alive; call `stop()` before closing the store.
 */
export async function startWalCheckpointer(writer: BetterSqlite3.Database, file: string, options: WalCheckpointerOptions = {}): Promise<WalCheckpointer> {
  const pageSize = Number(writer.pragma('page_size', { simple: true }));
  const restartBytes = options.restartBytes ?? DEFAULT_RESTART_BYTES;
  const backstopBytes = options.backstopBytes ?? DEFAULT_BACKSTOP_BYTES;
  writer.pragma(`wal_autocheckpoint = ${Math.ceil(backstopBytes / pageSize)}`);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver: driverPath(),
      file,
      intervalMs: options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
      restartFrames: Math.floor(restartBytes / (pageSize + WAL_FRAME_HEADER_BYTES)),
    },
  });
  worker.unref();
  const onError = options.onError ?? (() => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const statsWaiters: Array<(stats: WalCheckpointerStats) => void> = [];
  worker.on('error', (error) => onError(error));
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'error') onError(new Error(`WAL checkpoint failed: ${message.message}`));
    if (message.type === 'stats') statsWaiters.shift()?.(message.stats);
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: WorkerMessage): void => {
      if (message.type !== 'ready') return;
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number): void => reject(new Error(`the WAL checkpoint thread did not start (exit ${code})`));
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  });

  let stopping: Promise<void> | null = null;
  return {
    stats: () =>
      new Promise((resolve, reject) => {
        if (stopping) {
          reject(new Error('the WAL checkpoint thread is stopped'));
          return;
        }
        statsWaiters.push(resolve);
        worker.postMessage('stats');
      }),
    stop: () => {
      stopping ??= (async () => {
        worker.postMessage('stop');
        // The thread closes its connection and ends; should it hang (a checkpoint stuck on the
        // disk), it is terminated rather than holding up the shutdown.
        const timer = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
