/**
 * The count shown on the tray icon, the taskbar/dock badge and the browser's page title: documents in
 * 待办 plus unread messages. It is re-read when something may have changed it (a documents event, a
 * sign-in or sign-out) and pushed as `badge:changed` only when it differs.
 *
 * A read that could not reach the server (a source failed, or answered from the offline copy) is
 * tried again on a backing-off timer: the event that asked for it will not come twice, and without
 * the retry a new 待办 stays uncounted — and un-notified — until something else happens.
 */
import type { BadgeCount } from '../../../shared/api/badge.contract';

/**
 * Where the count comes from. `unreadMessages` is optional so messaging can feed it when it exists;
 * without it unread counts as 0.
 */
export interface BadgeSources {
  todoCount(): Promise<SourceFigure>;
  unreadMessages?(): Promise<SourceFigure>;
}

/** A source's figure; `stale` when it came from the offline copy rather than the server. */
export type SourceFigure = number | { readonly count: number; readonly stale: boolean };

export interface BadgeRetry {
  /** First delay before reading again after a stale or failed read (default 2 s); doubles each time. */
  readonly firstMs?: number;
  /** Longest delay between such reads (default 60 s). */
  readonly maxMs?: number;
}

export interface BadgeService {
  /** The last count read (all zero before the first read). */
  current(): BadgeCount;
  /** Reads the count again now; resolves to it. Concurrent calls share one read. */
  refresh(): Promise<BadgeCount>;
  /** Listens for a changed count (the shell's tray and badge); returns the unsubscribe function. */
  subscribe(listener: (count: BadgeCount) => void): () => void;
  /** Stops the retry timer for good (sign-out keeps it: reads then answer 0 and end the retries). */
  close(): void;
}

const ZERO: BadgeCount = { todo: 0, unread: 0, total: 0 };

/** Bounds the re-reads one refresh makes when changes keep arriving during its reads. */
const MAX_ROUNDS = 3;

export function createBadgeService(sources: BadgeSources, onError: (error: unknown) => void = () => undefined, retry: BadgeRetry = {}): BadgeService {
  const firstRetryMs = retry.firstMs ?? 2_000;
  const maxRetryMs = retry.maxMs ?? 60_000;
  let count = ZERO;
  let reading: Promise<BadgeCount> | null = null;
  let again = false;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retries = 0;
  const listeners = new Set<(count: BadgeCount) => void>();

  /** One source's figure, and whether it is the server's; a failure keeps the last figure. */
  const figure = async (source: () => Promise<SourceFigure>, last: number): Promise<{ value: number; fresh: boolean }> => {
    try {
      const answer = await source();
      return typeof answer === 'number' ? { value: answer, fresh: true } : { value: answer.count, fresh: !answer.stale };
    } catch (error) {
      // Offline, or signed out mid-read: keep the last figure rather than flicker to zero.
      onError(error);
      return { value: last, fresh: false };
    }
  };

  const read = async (): Promise<{ count: BadgeCount; fresh: boolean }> => {
    const todo = await figure(() => sources.todoCount(), count.todo);
    const unread = sources.unreadMessages ? await figure(() => sources.unreadMessages!(), count.unread) : { value: 0, fresh: true };
    return { count: { todo: todo.value, unread: unread.value, total: todo.value + unread.value }, fresh: todo.fresh && unread.fresh };
  };

  const schedule = (delayMs: number): void => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void refresh();
    }, delayMs);
    // The badge never keeps a quitting process alive.
    retryTimer.unref?.();
  };

  const refresh = (): Promise<BadgeCount> => {
    if (reading) {
      // Something changed while we were reading: read once more afterwards, not once per event.
      again = true;
      return reading;
    }
    reading = (async () => {
      let result = await read();
      for (let rounds = 0; again && rounds < MAX_ROUNDS; rounds += 1) {
        again = false;
        result = await read();
      }
      // Still changing after the last round: one more refresh right after this one, not never.
      const pending = again;
      again = false;
      reading = null;
      const next = result.count;
      if (next.todo !== count.todo || next.unread !== count.unread) {
        count = next;
        for (const listener of listeners) listener(next);
      }
      if (pending) schedule(0);
      else if (!result.fresh) {
        retries += 1;
        schedule(Math.min(maxRetryMs, firstRetryMs * 2 ** Math.min(retries - 1, 16)));
      } else retries = 0;
      return count;
    })();
    return reading;
  };

  return {
    current: () => count,
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
    },
  };
}

/**
 * Counts 待办 by paging through the box (at most `maxPages`, so a huge box costs a bounded number of
 * reads; the count then stops at what those pages hold). Stale when a page came from the offline copy.
 */
export async function countByPages(
  list: (cursor: string | undefined) => Promise<{ items: readonly unknown[]; next?: string | undefined; fromReplica?: boolean }>,
  maxPages = 20,
): Promise<{ count: number; stale: boolean }> {
  let total = 0;
  let stale = false;
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await list(cursor);
    total += result.items.length;
    stale ||= result.fromReplica === true;
    if (!result.next) break;
    cursor = result.next;
  }
  return { count: total, stale };
}
