/**
 * The replica worker: the one thread that opens the replica's SQLite file and the only writer of
 * it. Main posts `{id, method, args}`; the worker answers `{id, result}` where result is
 * `{ok: true, value} | {ok: false, error}` — errors stay data across the thread boundary. Room
 * compaction runs here between requests, so the UI thread never waits on it.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ReplicaStore, type ReplicaStoreOptions } from './replicaStore';
import { isReplicaMethod, type ReplicaMethod, type WorkerRequest, type WorkerResponse } from './protocol';

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

port.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  if (request.method === 'close') {
    store.close();
    port.postMessage({ id: request.id, result: { ok: true, value: null } } satisfies WorkerResponse);
    port.close();
    return;
  }
  if (!isReplicaMethod(request.method)) {
    response = { id: request.id, result: { ok: false, error: { code: 'invalid_input', message: `unknown replica method ${String(request.method)}` } } };
  } else {
    try {
      const value = table[request.method](...request.args);
      response = { id: request.id, result: { ok: true, value } };
    } catch (error) {
      response = { id: request.id, result: { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } } };
    }
  }
  port.postMessage(response);
  if (request.method === 'appendRoomUpdate' && response.result.ok) {
    const { rows } = response.result.value as { rows: number };
    compactInBackground(request.args[0] as string, rows);
  }
});
