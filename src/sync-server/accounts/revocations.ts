/**
 * How every server instance learns that sessions ended, so it can close the sockets opened with them
 * within a second (issue 15: a revoked session ends everywhere).
 *
 * Three paths, one effect (`onRevoked(userId)`, which re-checks that person's open sockets):
 * - this instance's own revocations (`Accounts.onRevoked`): at once;
 * - other instances' revocations, published on Redis when the deployment has it: at once;
 * - the `session_revocations` table, polled: catches what Redis missed (a reconnect) and what other
 *   processes did — `xietong admin passwd/disable` writes to the store, not to a running server.
 * Re-checking is idempotent, so hearing of one revocation twice costs a query, nothing more.
 */
import type { Redis } from 'ioredis';
import type { Database } from '../store/database';
import type { Accounts, Revocation } from './accounts';

/** Fan-out of revocations between instances. */
export interface RevocationBus {
  publish(revocation: Revocation): Promise<void>;
  /** Starts delivering other instances' (and this one's) revocations; resolves once subscribed. */
  subscribe(onRevocation: (revocation: Revocation) => void): Promise<void>;
  close(): Promise<void>;
}

/** {@link RevocationBus} on Redis pub/sub: one channel, `<prefix>revocations`, JSON messages. */
export class RedisRevocationBus implements RevocationBus {
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(
    private readonly publisher: Redis,
    prefix: string,
    onError: (error: Error) => void = () => undefined,
  ) {
    // A connection in subscriber mode can do nothing else; no ready check (see redisPubSub.ts).
    this.subscriber = publisher.duplicate({ enableReadyCheck: false });
    this.subscriber.on('error', onError);
    this.channel = `${prefix}revocations`;
  }

  async publish(revocation: Revocation): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify({ userId: revocation.userId, ...(revocation.sessionId ? { sessionId: revocation.sessionId } : {}) }));
  }

  async subscribe(onRevocation: (revocation: Revocation) => void): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      // Trust boundary (another process's message): only a well-formed user id is acted on.
      try {
        const value = JSON.parse(message) as unknown;
        if (typeof value === 'object' && value !== null && typeof (value as { userId?: unknown }).userId === 'string') {
          const { userId, sessionId } = value as { userId: string; sessionId?: unknown };
          if (userId.length > 0 && userId.length <= 100) onRevocation({ userId, ...(typeof sessionId === 'string' ? { sessionId } : {}) });
        }
      } catch {
        // Not ours: ignored.
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => undefined);
  }
}

export interface RevocationWatcherOptions {
  db: Database;
  accounts: Accounts;
  /** Present when instances share Redis. */
  bus?: RevocationBus;
  /** How often the store's feed is read. Default 500 ms (half the promised second). */
  pollMs?: number;
  /** Re-check (and close) the person's open connections. */
  onRevoked: (userId: string) => void;
  onError?: (error: unknown) => void;
}

/** Follows revocations from every source until `stop()`. */
export async function watchRevocations(options: RevocationWatcherOptions): Promise<{ stop(): Promise<void> }> {
  const { db, accounts, bus, onRevoked } = options;
  const onError = options.onError ?? (() => undefined);
  let cursor = Number((await db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM session_revocations'))?.seq ?? 0);
  let stopped = false;
  let polling: Promise<void> | null = null;

  const unsubscribe = accounts.onRevoked((revocation) => {
    onRevoked(revocation.userId);
    if (bus) void bus.publish(revocation).catch(onError);
  });
  if (bus) await bus.subscribe((revocation) => onRevoked(revocation.userId));

  const poll = async (): Promise<void> => {
    // Bounded: at most 1,000 rows per tick; the next tick reads on from there.
    const rows = await db.all<{ seq: number; user_id: string }>('SELECT seq, user_id FROM session_revocations WHERE seq > ? ORDER BY seq LIMIT 1000', [cursor]);
    const users = new Set<string>();
    for (const row of rows) {
      cursor = Math.max(cursor, Number(row.seq));
      users.add(row.user_id);
    }
    for (const userId of users) onRevoked(userId);
  };
  const timer = setInterval(() => {
    if (stopped || polling) return;
    polling = poll()
      .catch(onError)
      .finally(() => {
        polling = null;
      });
  }, options.pollMs ?? 500);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await polling;
      await bus?.close();
    },
  };
}
