/**
 * Main's handle on the replica. `openReplica` starts the replica worker (./worker.ts) — the one
 * writer — and returns every store method as an async call. Reads go through the worker as well:
 * a read of 100,000 rows on main would stall every window's IPC (see docs/offline.md for the
 * round-trip cost measured: well under a millisecond).
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { ReplicaStore, type ReplicaStoreOptions } from './replicaStore';
import { replicaMethods, type ReplicaApi, type ReplicaMethod, type WorkerRequest, type WorkerResponse } from './protocol';
import { resolveWorkerScript } from './workerScript';

export type { ReplicaApi } from './protocol';
import { KeyedError, errorText, errorTextOf, type ErrorText } from '../../../shared/errors';

export interface Replica extends ReplicaApi {
  /** Finishes queued calls, then closes the database and stops the worker. */
  close(): Promise<void>;
}

/** A failed replica call; its text's key and params come along (from the worker too) for the renderer. */
export class ReplicaError extends KeyedError {
  constructor(
    readonly method: string,
    text: string | ErrorText,
  ) {
    super(text);
    this.name = 'ReplicaError';
  }
}


export interface OpenReplicaOptions {
  /** The folder the replica lives in (`replica.sqlite` and `blobs/`), normally `<userData>/replica`. */
  readonly dir: string;
  readonly compactThreshold?: number;
  /** 'worker' (default, the product) or 'inline' (same thread; benchmarks compare the two). */
  readonly mode?: 'worker' | 'inline';
  /** Where background failures (a compaction that threw) are reported. */
  readonly onBackgroundError?: (message: string) => void;
}

export const replicaStoreOptions = (options: OpenReplicaOptions): ReplicaStoreOptions => ({
  file: join(options.dir, 'replica.sqlite'),
  blobDir: join(options.dir, 'blobs'),
  compactThreshold: options.compactThreshold,
});

/** Opens the replica in `options.dir`, creating and migrating it as needed. */
export async function openReplica(options: OpenReplicaOptions): Promise<Replica> {
  return options.mode === 'inline' ? openInline(options) : openWorker(options);
}

function openInline(options: OpenReplicaOptions): Replica {
  const store = new ReplicaStore(replicaStoreOptions(options));
  const table = store as unknown as Record<ReplicaMethod, (...args: unknown[]) => unknown>;
  const api: Record<string, unknown> = {};
  for (const method of replicaMethods) {
    api[method] = (...args: unknown[]) => {
      try {
        return Promise.resolve(table[method](...args));
      } catch (error) {
        return Promise.reject(new ReplicaError(method, errorTextOf(error)));
      }
    };
  }
  api.close = () => {
    store.close();
    return Promise.resolve();
  };
  return api as unknown as Replica;
}

async function openWorker(options: OpenReplicaOptions): Promise<Replica> {
  const script = await resolveWorkerScript();
  const worker = new Worker(script, { workerData: replicaStoreOptions(options) });
  const pending = new Map<number, { method: string; resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let closed: Error | null = null;

  const failAll = (error: Error): void => {
    closed = error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  worker.on('message', (response: WorkerResponse) => {
    if (response.id === -1) {
      if (!response.result.ok) options.onBackgroundError?.(response.result.error.message);
      return;
    }
    const call = pending.get(response.id);
    if (!call) return;
    pending.delete(response.id);
    if (response.result.ok) call.resolve(response.result.value);
    else call.reject(new ReplicaError(call.method, response.result.error));
  });
  worker.on('error', (error) => failAll(new ReplicaError('worker', errorText('replica.workerError', { message: error.message }))));
  worker.on('exit', (code) => failAll(new ReplicaError('worker', errorText('replica.workerExited', { code }))));

  const send = (method: ReplicaMethod | 'close', args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(closed);
        return;
      }
      const id = nextId++;
      pending.set(id, { method, resolve, reject });
      worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });

  // The first call proves the worker opened and migrated the database; a failure surfaces here.
  await send('stats', []);

  const api: Record<string, unknown> = {};
  for (const method of replicaMethods) api[method] = (...args: unknown[]) => send(method, args);
  api.close = async () => {
    if (closed) return;
    await send('close', []);
    await worker.terminate();
  };
  return api as unknown as Replica;
}
