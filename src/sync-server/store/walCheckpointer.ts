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
 * been copied, and there is always something written during the last pass), so once it holds more
 * than `restartBytes` (16 MiB) the thread catches up with a few more passes and then asks the server
 * to hold its statements (its queue waits, the event loop does not) while one last pass copies the
 * rest; the server's next write starts the WAL over. A RESTART checkpoint would do the same, but it
 * waits for the writer lock with SQLite's busy handler and then holds it while it also waits for
 * readers: measured here under sustained writes, it held the writer back for 0.4–1.6 s, where the
 * held pass takes a few to ~80 ms (mostly its fsyncs, on a disk shared with other work).
 *
 * The server's own connection keeps `wal_autocheckpoint` as a backstop at 64 MiB worth of pages,
 * should this thread fall behind or fail; at shutdown the WAL is checkpointed and truncated
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
  /** The WAL is made to start over once it holds more than this. Default 16 MiB. */
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
  /** Times the WAL was made to start over (the last pass run while the server's statements waited). */
  readonly restart: number;
  /** WAL frames and frames copied, as the last checkpoint reported them (-1 before the first). */
  readonly lastLogFrames: number;
  readonly lastCheckpointedFrames: number;
  /** The longest checkpoint took, and the longest one the server's statements waited for, in ms. */
  readonly longestPassiveMs: number;
  readonly longestHoldMs: number;
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
// PASSIVE takes no lock a writer needs and never waits for one.
db.pragma('busy_timeout = 0');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const stats = { passive: 0, restart: 0, lastLogFrames: -1, lastCheckpointedFrames: -1, longestPassiveMs: 0, longestHoldMs: 0 };
let holding = false;
const pass = () => {
  const started = performance.now();
  const result = passive.get();
  const ms = performance.now() - started;
  stats.passive++;
  if (ms > stats.longestPassiveMs) stats.longestPassiveMs = ms;
  stats.lastLogFrames = result.log;
  stats.lastCheckpointedFrames = result.checkpointed;
  return { result, ms };
};
const fail = (error) => parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
const tick = () => {
  if (holding) return;
  try {
    let { result } = pass();
    if (result.log <= workerData.restartFrames) return;
    // Catch up first, holding nobody back: each pass copies what was written during the one before.
    for (let i = 0; i < 3 && result.checkpointed >= 0 && result.checkpointed < result.log; i++) result = pass().result;
    holding = true;
    parentPort.postMessage({ type: 'hold' });
  } catch (error) {
    fail(error);
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'held') {
    // The server's writes wait: this pass copies the rest, and its next write starts the WAL over.
    try {
      const { ms } = pass();
      stats.restart++;
      if (ms > stats.longestHoldMs) stats.longestHoldMs = ms;
    } catch (error) {
      fail(error);
    }
    holding = false;
    parentPort.postMessage({ type: 'release' });
  }
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
  | { type: 'hold' }
  | { type: 'release' }
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

/** The server's connection, and how to hold back its statements for a moment. */
export interface CheckpointedStore {
  /** The server's connection to the file: it gets the backstop. */
  readonly writer: BetterSqlite3.Database;
  readonly file: string;
  /**
   * Runs `work` while no statement of the server's runs (its queue waits; the event loop does
   * not). The last checkpoint before the WAL starts over runs inside it.
   */
  hold(work: () => Promise<void>): Promise<void>;
}

/**
 * Starts checkpointing the store's file in a worker thread and sets the backstop on its connection.
 * Resolves once the thread has opened the file. The thread never keeps the process alive; call
 * `stop()` before closing the store.
 */
export async function startWalCheckpointer(store: CheckpointedStore, options: WalCheckpointerOptions = {}): Promise<WalCheckpointer> {
  const { writer, file } = store;
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
  let stopping: Promise<void> | null = null;
  const statsWaiters: Array<{ resolve: (stats: WalCheckpointerStats) => void; reject: (error: Error) => void }> = [];
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      // Ended unasked (a crash): the writer's backstop checkpoints from now on; say so.
      if (!stopping) onError(new Error(`the WAL checkpoint thread ended (exit ${code}); the store checkpoints by itself from now on`));
      for (const waiter of statsWaiters.splice(0)) waiter.reject(new Error('the WAL checkpoint thread is stopped'));
      resolve();
    }),
  );
  let released: (() => void) | undefined;
  worker.on('error', (error) => onError(error));
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'error') onError(new Error(`WAL checkpoint failed: ${message.message}`));
    if (message.type === 'stats') statsWaiters.shift()?.resolve(message.stats);
    if (message.type === 'release') released?.();
    if (message.type === 'hold') {
      // The thread has copied nearly everything; the server's statements wait while it copies the
      // rest (a few milliseconds of writes). Should the thread end meanwhile, they carry on.
      void store
        .hold(async () => {
          if (stopping) return;
          const done = new Promise<void>((resolve) => (released = resolve));
          worker.postMessage('held');
          await Promise.race([done, exited]);
        })
        .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
    }
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

  return {
    stats: () =>
      new Promise((resolve, reject) => {
        if (stopping) {
          reject(new Error('the WAL checkpoint thread is stopped'));
          return;
        }
        statsWaiters.push({ resolve, reject });
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
