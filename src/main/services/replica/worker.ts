/**
 * The replica worker: the one thread that opens the replica's SQLite file and the only writer of
 * it. Main posts `{id, method, args}`; the worker answers `{id, result}` where result is
 * `{ok: true, value} | {ok: false, error}` — errors stay data across the thread boundary. Room
 * compaction runs here between requests, so the UI thread never waits on it.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ReplicaStore, type ReplicaStoreOptions } from './replicaStore';
import { isReplicaMethod, type ReplicaMethod, type WorkerRequest, type WorkerResponse } from './protocol';
import { errorTextOf } from '../../../shared/errors';

const port: MessagePort = (() => {
  if (!parentPort) throw new Error('replica worker must run in a worker thread');
  return parentPort;
})();

const options = workerData as ReplicaStoreOptions;
const store = new ReplicaStore(options);
const compactThreshold = options.compactThreshold ?? 500;
const table = store as unknown as Record<ReplicaMethod, (...args: unknown[]) => unknown>;
let compactionScheduled = false;

function compactOne(room: string): void {
  try {
    store.compactRoom(room);
  } catch (error) {
    port.postMessage({ id: -1, result: { ok: false, error: { code: 'internal', message: `compaction of ${room} failed: ${String(error)}` } } } satisfies WorkerResponse);
  }
}

/**
 * Compacts rooms past the threshold once the worker is idle. A steady stream of requests can keep
 * the port busy indefinitely (it drains messages that arrive while draining), so a room past twice
 * the threshold is compacted right after the reply that pushed it there: the caller already has
 * its answer, and the room's row count stays bounded.
 */
function compactInBackground(room: string, rows: number): void {
  if (rows > 2 * compactThreshold) {
    compactOne(room);
    return;
  }
  if (compactionScheduled || rows <= compactThreshold) return;
  compactionScheduled = true;
  setImmediate(() => {
    compactionScheduled = false;
    for (const next of store.roomsToCompact()) compactOne(next);
  });
}

function run(request: WorkerRequest): WorkerResponse {
  if (!isReplicaMethod(request.method)) {
    return { id: request.id, result: { ok: false, error: { code: 'invalid_input', message: `unknown replica method ${String(request.method)}` } } };
  }
  try {
    return { id: request.id, result: { ok: true, value: table[request.method](...request.args) } };
  } catch (error) {
    // The key goes along, so a keyed failure (本地文件已损坏) is worded in the person's language.
    return { id: request.id, result: { ok: false, error: { code: 'internal', ...errorTextOf(error) } } };
  }
}

/**
 * Group commit: Yjs updates that arrive together (an editor emits many per second) are written in
 * one transaction — one fsync instead of one each — and each is acknowledged only after that
 * commit. Any other request first flushes the queue, so calls still run in the order sent.
 */
const appendQueue: WorkerRequest[] = [];
let flushScheduled = false;

function flushAppends(): void {
  flushScheduled = false;
  if (appendQueue.length === 0) return;
  const batch = appendQueue.splice(0);
  let responses: WorkerResponse[];
  try {
    responses = store.db.transaction(() =>
      batch.map((request) => {
        const response = run(request);
        // Inside the group a failure must undo the whole transaction, then each is retried alone.
        if (!response.result.ok) throw new Error(response.result.error.message);
        return response;
      }),
    )();
  } catch {
    store.forgetRoomCounts();
    responses = batch.map(run);
  }
  for (const response of responses) port.postMessage(response);
  for (let i = 0; i < batch.length; i += 1) {
    const result = responses[i]!.result;
    if (result.ok) compactInBackground(batch[i]!.args[0] as string, (result.value as { rows: number }).rows);
  }
}

/**
 * Messages queued for the search index are indexed once the worker has been idle a moment (a
 * catch-up's pages arrive every few tens of milliseconds, so it goes first), in chunks, so a call
 * arriving meanwhile waits for one chunk at most. A search indexes what is still queued itself.
 */
let indexTimer: NodeJS.Timeout | undefined;
const INDEX_IDLE_MS = 150;
const INDEX_CHUNK = 500;

function indexWhenIdle(delayMs: number): void {
  clearTimeout(indexTimer);
  if (!store.hasMessagesToIndex()) return;
  indexTimer = setTimeout(() => {
    try {
      if (store.indexPendingMessages(INDEX_CHUNK) > 0) indexWhenIdle(0);
    } catch (error) {
      port.postMessage({ id: -1, result: { ok: false, error: { code: 'internal', message: `message indexing failed: ${String(error)}` } } } satisfies WorkerResponse);
    }
  }, delayMs);
}

indexWhenIdle(INDEX_IDLE_MS);

port.on('message', (request: WorkerRequest) => {
  if (request.method === 'appendRoomUpdate') {
    appendQueue.push(request);
    if (appendQueue.length >= 256) flushAppends();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushAppends);
    }
    return;
  }
  flushAppends();
  if (request.method === 'close') {
    clearTimeout(indexTimer);
    store.close();
    port.postMessage({ id: request.id, result: { ok: true, value: null } } satisfies WorkerResponse);
    port.close();
    return;
  }
  port.postMessage(run(request));
  indexWhenIdle(INDEX_IDLE_MS);
});
