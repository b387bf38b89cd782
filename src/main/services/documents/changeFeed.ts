/**
 * Follows the sync server's change feed (`GET /api/documents/changes`, a long-poll) while someone
 * is signed in and the server is reachable, so lists update within a second of another person's
 * action. One request at a time, each step scheduled by the previous one (no loop of its own);
 * errors back off with jitter; `close()` and `sync()` abort the request in flight, so nothing is
 * left pending on the socket.
 */
import { ChangesResponseSchema } from '../../../shared/http/documents';
import { ServerHttpError, ServerProtocolError } from '../serverClient';
import type { ServerCalls } from './serverCalls';

/** What changed after the previous answer and concerns the signed-in person. */
export interface FeedChanges {
  readonly documents: readonly string[];
  readonly exchange: readonly string[];
}

export interface ChangeFeedOptions {
  readonly server: ServerCalls;
  readonly isOnline: () => boolean;
  readonly isSignedIn: () => boolean;
  /** The signed-in person's id: the cursor is theirs and starts over for someone else. */
  readonly userId: () => string | null;
  readonly onChanges: (changes: FeedChanges) => void;
  /**
   * The feed starts from the server's current cursor (a sign-in, another person): whatever changed
   * between the lists the caller last read and that cursor is in no answer, so re-read once.
   */
  readonly onFreshCursor?: () => void;
  /** The server has no change feed (an older server): the caller falls back to polling. */
  readonly onUnavailable: () => void;
  /** Seconds the server may hold one request (0–25, default 25). */
  readonly waitSeconds?: number;
  /** First retry delay after a failure (default 1 s); doubles per failure up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  /** Longest retry delay (default 30 s). */
  readonly maxBackoffMs?: number;
  /** Source of jitter in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

export interface ChangeFeed {
  /**
   * Re-reads the situation (after a sign-in, sign-out or reconnection): aborts the request in
   * flight and follows the feed again if signed in and online, or stays stopped. The same person
   * keeps their cursor, so what changed while offline arrives with the first answer.
   */
  sync(): void;
  /** False once the server answered that it has no change feed (until the next `sync()`). */
  readonly available: boolean;
  /** Stops for good: no timer and no request left behind. */
  close(): void;
}

/** Pause before the next request after an answer without changes. */
const QUIET_PAUSE_MS = 250;

export function createChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const waitSeconds = Math.min(25, Math.max(0, options.waitSeconds ?? 25));
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const random = options.random ?? Math.random;

  let cursor: number | null = null;
  let cursorOwner: string | null = null;
  let inFlight: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let unavailable = false;
  let closed = false;

  const shouldRun = (): boolean => !closed && !unavailable && options.isSignedIn() && options.isOnline();

  /** Exponential with "equal jitter": never less than half the step, so clients spread out. */
  const backoff = (): number => {
    const step = Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(failures - 1, 16));
    return step / 2 + random() * (step / 2);
  };

  function stop(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    inFlight?.abort();
    inFlight = null;
  }

  function schedule(delayMs: number): void {
    if (!shouldRun()) return;
    timer = setTimeout(() => {
      timer = null;
      void step();
    }, delayMs);
    // Never what keeps the process alive: close() ends it, and a quitting app must not wait.
    timer.unref?.();
  }

  async function step(): Promise<void> {
    if (!shouldRun() || inFlight) return;
    const controller = new AbortController();
    inFlight = controller;
    // Without a cursor the server answers its current one at once; we follow from there.
    const query = cursor === null ? 'wait=0' : `since=${cursor}&wait=${waitSeconds}`;
    try {
      const answer = await options.server.json(`/api/documents/changes?${query}`, {
        schema: ChangesResponseSchema,
        // The server holds the request up to `wait` s; allow for that plus a slow network.
        timeoutMs: (waitSeconds + 15) * 1000,
        signal: controller.signal,
      });
      // Superseded by sync()/close() while the answer was on its way: that request's owner decides.
      if (controller.signal.aborted) return;
      inFlight = null;
      failures = 0;
      const first = cursor === null;
      cursor = answer.cursor;
      const changed = answer.documents.length > 0 || answer.exchange.length > 0;
      if (first) options.onFreshCursor?.();
      else if (changed) options.onChanges({ documents: answer.documents, exchange: answer.exchange });
      // Straight on after changes; a short pause after an empty answer, so a server that does not
      // hold the request (wait=0, a proxy cutting it short) is never asked in a tight loop.
      schedule(changed ? 0 : QUIET_PAUSE_MS);
    } catch (error) {
      if (controller.signal.aborted) return;
      inFlight = null;
      if ((error instanceof ServerHttpError && error.status === 404) || error instanceof ServerProtocolError) {
        unavailable = true;
        options.onUnavailable();
        return;
      }
      // 401: the session ends (serverCalls reports it) and sync() follows the sign-out.
      if (error instanceof ServerHttpError && error.status === 401) return;
      // Unreachable or a server error: retry later; shouldRun() stops it if we went offline meanwhile.
      failures += 1;
      schedule(backoff());
    }
  }

  function sync(): void {
    if (closed) return;
    const owner = options.userId();
    if (owner !== cursorOwner) {
      cursor = null;
      cursorOwner = owner;
    }
    unavailable = false;
    failures = 0;
    stop();
    schedule(0);
  }

  return {
    sync,
    get available() {
      return !unavailable;
    },
    close() {
      closed = true;
      stop();
    },
  };
}
