/**
 * Where the 在线/离线 indicator gets its truth. For now: whether the sync server answers GET /healthz,
 * probed periodically, with exponential backoff while it does not and an immediate re-probe when some
 * other request fails. The OFFLINE sync client will replace this with the state of the real sync
 * connection; anything that implements `ConnectionSource` can take its place.
 */
import type { ConnectionState } from '../../../shared/api';

export interface ConnectionSource {
  readonly state: ConnectionState;
  /** Called on every change of state; returns the unsubscribe function. */
  subscribe(listener: (state: ConnectionState) => void): () => void;
  /** A request to the server just failed for lack of an answer: check now rather than at the next tick. */
  reportFailure(): void;
  /** A request to the server just succeeded: we are online. */
  reportSuccess(): void;
  close(): void;
}

export interface ReachabilityMonitorOptions {
  /** One probe; resolves true when the server answered. Must settle (use a timeout). */
  isReachable: () => Promise<boolean>;
  /** Time between probes while online. */
  intervalMs?: number;
  /** First retry delay after a failed probe; doubles on each further failure. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Random in [0,1), for jitter; tests make it deterministic. */
  random?: () => number;
}

/** Delay before the next probe after `failures` consecutive failed ones (1-based), with ±20 % jitter. */
export function retryDelay(failures: number, minMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function createReachabilityMonitor(options: ReachabilityMonitorOptions): ConnectionSource {
  const intervalMs = options.intervalMs ?? 15_000;
  const retryMinMs = options.retryMinMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const listeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let probing = false;
  let closed = false;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of [...listeners]) listener(next);
  };

  const schedule = (delayMs: number): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void probe(), delayMs);
    // The monitor must never be the reason a process stays alive.
    timer.unref?.();
  };

  const settle = (reachable: boolean): void => {
    if (closed) return;
    if (reachable) {
      failures = 0;
      setState('online');
      schedule(intervalMs);
    } else {
      failures += 1;
      setState('offline');
      schedule(retryDelay(failures, retryMinMs, retryMaxMs, random));
    }
  };

  async function probe(): Promise<void> {
    if (closed || probing) return;
    probing = true;
    let reachable: boolean;
    try {
      reachable = await options.isReachable();
    } catch {
      reachable = false;
    } finally {
      probing = false;
    }
    settle(reachable);
  }

  void probe();

  return {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportFailure() {
      void probe();
    },
    reportSuccess() {
      settle(true);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      listeners.clear();
    },
  };
}
