/**
 * The count shown on the tray icon, the taskbar/dock badge and the browser's page title: documents in
 * 待办 plus unread messages. It is re-read when something may have changed it (a documents event, a
 * sign-in or sign-out) and pushed as `badge:changed` only when it differs.
 */
import type { BadgeCount } from '../../../shared/api/badge.contract';

/**
 * Where the count comes from. `unreadMessages` is optional so messaging can feed it when it exists;
 * without it unread counts as 0.
 */
export interface BadgeSources {
  todoCount(): Promise<number>;
  unreadMessages?(): Promise<number>;
}

export interface BadgeService {
  /** The last count read (all zero before the first read). */
  current(): BadgeCount;
  /** Reads the count again now; resolves to it. Concurrent calls share one read. */
  refresh(): Promise<BadgeCount>;
  /** Listens for a changed count (the shell's tray and badge); returns the unsubscribe function. */
  subscribe(listener: (count: BadgeCount) => void): () => void;
}

const ZERO: BadgeCount = { todo: 0, unread: 0, total: 0 };

export function createBadgeService(sources: BadgeSources, onError: (error: unknown) => void = () => undefined): BadgeService {
  let count = ZERO;
  let reading: Promise<BadgeCount> | null = null;
  let again = false;
  const listeners = new Set<(count: BadgeCount) => void>();

  const read = async (): Promise<BadgeCount> => {
    // A source that cannot answer (offline, signed out mid-read) keeps its last figure rather
    // than making the badge flicker to zero.
    const todo = await sources.todoCount().catch((error: unknown) => {
      onError(error);
      return count.todo;
    });
    const unread = sources.unreadMessages
      ? await sources.unreadMessages().catch((error: unknown) => {
          onError(error);
          return count.unread;
        })
      : 0;
    return { todo, unread, total: todo + unread };
  };

  const refresh = (): Promise<BadgeCount> => {
    if (reading) {
      // Something changed while we were reading: read once more afterwards, not once per event.
      again = true;
      return reading;
    }
    reading = (async () => {
      let next = await read();
      for (let rounds = 0; again && rounds < 3; rounds += 1) {
        again = false;
        next = await read();
      }
      again = false;
      reading = null;
      if (next.todo !== count.todo || next.unread !== count.unread) {
        count = next;
        for (const listener of listeners) listener(next);
      }
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
  };
}

/**
 * Counts 待办 by paging through the box (at most `maxPages`, so a huge box costs a bounded number of
 * reads; the count then stops at what those pages hold).
 */
export async function countByPages(
  list: (cursor: string | undefined) => Promise<{ items: readonly unknown[]; next?: string | undefined }>,
  maxPages = 20,
): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await list(cursor);
    total += result.items.length;
    if (!result.next) break;
    cursor = result.next;
  }
  return total;
}
