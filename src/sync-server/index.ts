/**
 * The XieTong sync server: `startServer(options)` runs the HTTP API and the Yjs sync endpoint on one
 * port, backed by SQLite in `dataDir` or by PostgreSQL (+ Redis between instances).
 */
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Accounts } from './accounts/accounts';
import type { ThrottlePolicy } from './accounts/throttle';
import { allMigrations, composeApp } from './app';
import { seedDemoAccounts } from './demo/seed';
import type { ServerDeps } from './deps';
import { Router } from './http/router';
import { UpgradeRoutes } from './http/upgrades';
import type { MessagingLimits } from './messaging/limits';
import type { ExchangeConfigInput } from './exchange/config';
import { createLogger, type Logger } from './log';
import { MetricsRegistry } from './metrics';
import { RoomPolicies } from './rooms/policy';
import { openStore } from './store';
import type { Database } from './store/database';
import type { PostgresDatabase } from './store/postgres';
import type { SqliteDatabase } from './store/sqlite';
import { ensureDemoCertificates } from './demo/certificates';
import { lockDataDir } from './dataDirLock';
import { RedisRevocationBus, watchRevocations } from './accounts/revocations';
import { presenceColor } from './rooms/presence';
import { recordBodyAuthor } from './documents/revisionVersions';
import { createSyncService, PostgresRoomUpdateStore, RedisRoomPubSub, SqliteRoomUpdateStore, type SyncLimits, type SyncLogger } from './sync/index';

export type { Logger } from './log';
export { createLogger, silentLogger } from './log';
export type { ServerDeps } from './deps';

export interface ServerOptions {
  /** Data folder: the SQLite store, the demo CA and certificates. Created if missing. */
  dataDir: string;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port. Default 8787; 0 picks a free one (see `RunningServer.port`). */
  port?: number;
  /** Seed the demo organisation when the store is empty. */
  demo?: boolean;
  /** PostgreSQL instead of SQLite (`postgres://user@host/db`, optional `?schema=NAME`). */
  postgresUrl?: string;
  /** Redis for sync messages between instances (with `postgresUrl`). */
  redisUrl?: string;
  /** Prefix of every Redis channel. Default `xietong:sync:`. */
  redisPrefix?: string;
  /** Limits of the Yjs sync service (message size, rate, …). */
  syncLimits?: SyncLimits;
  /** Create the demo CA and certificates with `demo` (default true; tests of other things skip it). */
  demoCertificates?: boolean;
  /** Idle lifetime of login tokens: a token not refreshed within it stops working. Default 8 h. */
  tokenTtlSeconds?: number;
  /** How often the store's revocation feed is read (sockets of revoked sessions close). Default 500 ms. */
  revocationPollMs?: number;
  /** Login throttling thresholds (defaults in accounts/throttle.ts). */
  loginThrottle?: ThrottlePolicy;
  /** JSON body limit. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Honour X-Forwarded-For behind a trusted load balancer. Default false. */
  trustProxy?: boolean;
  /** Structured logger. Default: JSON lines on stdout at info. */
  log?: Logger;
  /** Clock (tests). */
  now?: () => number;
  /** Messaging limits (messages per second per person, …); defaults in messaging/limits.ts. */
  messagingLimits?: Partial<MessagingLimits>;
  /** 公文交换: sign-for deadlines, the working-day calendar, CRL URLs (`--config FILE`, key `exchange`). */
  exchange?: ExchangeConfigInput;
}

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  /** What the routes share (tests and embedding hosts reach the store and accounts through it). */
  deps: ServerDeps;
  /** Stops accepting, ends open connections, closes the sync service and the store. */
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? createLogger();
  const now = options.now ?? Date.now;
  mkdirSync(options.dataDir, { recursive: true });
  const unlock = lockDataDir(options.dataDir);
  let db: Database;
  try {
    db = await openStore({ dataDir: options.dataDir, ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}) }, allMigrations(), {
      // WAL checkpoints (copying pages into the database file and syncing it) off the event loop.
      backgroundCheckpoints: { onError: (error) => log.warn('WAL checkpoint failed (tried again shortly)', { error: error.message }) },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  let server: Server | null = null;
  const closers: (() => Promise<void>)[] = [];
  try {
    const accounts = await Accounts.open(db, { now, ...(options.tokenTtlSeconds ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}), ...(options.loginThrottle ? { throttle: options.loginThrottle } : {}) });
    if (options.demo) {
      if (await seedDemoAccounts(db, accounts)) log.info('demo organisation seeded');
      if (options.demoCertificates !== false && (await accounts.userById('user-li'))) {
        const written = await ensureDemoCertificates(options.dataDir, accounts);
        if (written.length > 0) log.info('demo certificates created', { files: written.length });
      }
    }
    const metrics = new MetricsRegistry();
    const rooms = new RoomPolicies();
    const upgrades = new UpgradeRoutes();
    const deps: ServerDeps = {
      db,
      accounts,
      rooms,
      metrics,
      log,
      dataDir: options.dataDir,
      now,
      loadRoomUpdates: (room) => roomStore.load(room),
      upgrades,
      ...(options.redisUrl ? { redis: { url: options.redisUrl, prefix: options.redisPrefix ?? 'xietong:sync:' } } : {}),
      ...(options.messagingLimits ? { messagingLimits: options.messagingLimits } : {}),
      ...(options.exchange ? { exchange: options.exchange } : {}),
    };
    const requests = metrics.counter('xietong_http_requests_total', 'HTTP requests answered, by method, route and status');
    const duration = metrics.counter('xietong_http_request_seconds_total', 'Time spent answering HTTP requests, by route');
    const httpLog = log.child({ module: 'http' });
    const router = new Router({
      authenticate: (token) => accounts.authenticate(token),
      log: httpLog,
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      trustProxy: options.trustProxy ?? false,
      onResponse: ({ method, route, status, seconds }) => {
        requests.inc({ method, route, status: String(status) });
        duration.inc({ route }, seconds);
        httpLog.debug('request', { method, route, status, ms: Math.round(seconds * 1000) });
      },
    });

    // Yjs rooms. SQLite: the sync service gets its own connection to the same file (a connection
    // holds one transaction at a time, and ours may be open across an await). PostgreSQL: our pool.
    const syncLog = toSyncLogger(log.child({ module: 'sync' }));
    const roomStore =
      db.dialect === 'sqlite'
        ? new SqliteRoomUpdateStore((db as SqliteDatabase).file, { synchronous: 'NORMAL', onIngestError: (error) => syncLog.error({ err: error.message }, 'sync: moving the journal into SQLite failed (retrying)') })
        : new PostgresRoomUpdateStore((db as PostgresDatabase).pool);
    // Fail at start, with the address, rather than at the first room when Redis is unreachable.
    if (options.redisUrl) await checkRedis(options.redisUrl);
    const pubsub = options.redisUrl ? new RedisRoomPubSub(options.redisUrl, options.redisPrefix ? { prefix: options.redisPrefix } : {}) : undefined;
    if (pubsub) closers.push(() => pubsub.close());
    const sync = createSyncService({
      store: roomStore,
      // Trust boundary: the same token check as HTTP; a one-time password opens no room.
      authenticate: async (token) => {
        const user = await accounts.authenticate(token);
        return user && !user.mustChangePassword ? user : null;
      },
      authorizeRoom: (user, room) => rooms.authorize(user, room),
      // Presence shows who the connection is, whatever the client claims (issue 15).
      presenceOf: (user) => ({ id: user.id, name: user.name, color: presenceColor(user.id) }),
      // 修订痕迹: who authored each Yjs client of a document's body (documents/revisionVersions.ts).
      onClientsAuthored: (room, userId, clientIds) => {
        if (!room.startsWith('doc:')) return;
        const at = now();
        void Promise.all(clientIds.map((clientId) => recordBodyAuthor(db, room, clientId, userId, at))).catch((error: unknown) =>
          syncLog.error({ err: error instanceof Error ? error.message : String(error), room }, 'sync: recording a body author failed'),
        );
      },
      ...(pubsub ? { pubsub } : {}),
      ...(options.syncLimits ? { limits: options.syncLimits } : {}),
      log: syncLog,
    });
    // A workflow step re-decides who may write each document's body on every open connection.
    rooms.onAccessChange((room, change) => sync.changeRoomAccess(room, change));
    closers.push(async () => {
      await sync.close();
      if (roomStore instanceof SqliteRoomUpdateStore) roomStore.close();
    });
    // A revoked session ends on every socket of every instance (issue 15): this instance's own
    // revocations at once, other instances' over Redis, the admin commands' through the store's feed.
    const revocations = await watchRevocations({
      db,
      accounts,
      ...(pubsub ? { bus: new RedisRevocationBus(pubsub.publisher, options.redisPrefix ?? 'xietong:sync:', (error) => syncLog.error({ err: error.message }, 'sync: revocation channel error')) } : {}),
      ...(options.revocationPollMs ? { pollMs: options.revocationPollMs } : {}),
      onRevoked: (userId) => {
        void sync.revalidateUser(userId).then((closed) => {
          if (closed > 0) syncLog.info({ user: userId, closed }, 'sync: closed the connections of revoked sessions');
        });
      },
      onError: (error) => syncLog.error({ err: String(error) }, 'sync: reading revocations failed'),
    });
    closers.push(() => revocations.stop());
    // Module background jobs (e.g. 催办 of overdue documents) stop on close, before the store closes.
    closers.push(...(await composeApp(router, { ...deps, metricsText: () => metrics.render() + sync.metricsText() })));

    const sockets = new Set<Socket>();
    const httpServer = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 }, (req, res) => void router.handle(req, res));
    server = httpServer;
    httpServer.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    httpServer.on('upgrade', (req, socket: Socket, head: Buffer) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const handler = pathname.startsWith('/sync/') ? null : upgrades.find(pathname);
      if (pathname.startsWith('/sync/')) sync.handleUpgrade(req, socket, head);
      else if (handler) handler(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const address = httpServer.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 8787);
    const host = options.host ?? '127.0.0.1';
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // How room updates are made durable: a memory-mapped journal, or pwrite where the addon is not built.
    const syncJournal = roomStore instanceof SqliteRoomUpdateStore ? (roomStore.immediateCommits ? 'memory-mapped' : 'pwrite') : 'none';
    log.info('server listening', { url, store: db.dialect, syncJournal });

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        // Sync first: its sockets get a proper close (1001) and pending updates are committed.
        for (const closer of closers.reverse()) await closer().catch((error: unknown) => log.error('shutdown step failed', { error }));
        // In-flight requests get a moment to finish; then every connection ends.
        const force = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 2_000);
        await stopped;
        clearTimeout(force);
        await db.close();
        unlock();
        log.info('server stopped');
      })();
      return closing;
    };
    return { url, port, deps, close };
  } catch (error) {
    server?.close();
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    await db.close();
    unlock();
    throw error;
  }
}

/** The sync service logs pino-style (object first); route it into our logger. */
function toSyncLogger(log: Logger): SyncLogger {
  return {
    info: (obj, msg) => log.info(msg ?? 'sync', obj as Record<string, unknown>),
    warn: (obj, msg) => log.warn(msg ?? 'sync', obj as Record<string, unknown>),
    error: (obj, msg) => log.error(msg ?? 'sync', obj as Record<string, unknown>),
  };
}

/** One PING over a short-lived connection that does not retry; throws a clear error when it fails. */
async function checkRedis(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined); // reported below, once
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    client.disconnect();
  }
}

/** A URL fit for a log line or an error: no password. */
function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(invalid URL)';
  }
}
