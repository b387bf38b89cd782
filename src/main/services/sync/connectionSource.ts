/**
 * The 在线/离线 indicator's source of truth, in the shape the session service consumes
 * (`ConnectionSource`). While rooms are open, the state of their sync connections decides: a
 * person editing a document is online exactly when their edits reach the server. With no room
 * open, the session's /healthz monitor (`fallback`) decides. Failures and successes reported by
 * other requests (the outbox) go to the fallback so it re-checks at once.
 */
import type { ConnectionState } from '../../../shared/api/session.contract';
import type { ConnectionSource } from '../session/connectionMonitor';
import type { SyncClient } from './syncClient';

export function createSyncConnectionSource(sync: SyncClient, fallback: ConnectionSource): ConnectionSource {
  const listeners = new Set<(state: ConnectionState) => void>();
  const compute = (): ConnectionState => (sync.openRooms > 0 ? sync.state : fallback.state);
  let current = compute();
  const update = (): void => {
    const next = compute();
    if (next === current) return;
    current = next;
    for (const listener of [...listeners]) listener(next);
  };
  const offSync = sync.subscribe((state) => {
    // A dropped sync connection is a hint for the probe too (it may be the only thing open later).
    if (state === 'offline') fallback.reportFailure();
    update();
  });
  const offFallback = fallback.subscribe(update);
  return {
    get state() {
      return current;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportFailure: () => fallback.reportFailure(),
    reportSuccess: () => fallback.reportSuccess(),
    close() {
      offSync();
      offFallback();
      fallback.close();
    },
  };
}
