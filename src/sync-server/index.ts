/**
 * The XieTong sync server: `startServer(options)` runs the HTTP API and the Yjs sync endpoint on one
 * port, backed by SQLite in `dataDir` or by PostgreSQL (+ Redis between instances).
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Accounts } from './accounts/accounts';
import type { ThrottlePolicy } from './accounts/throttle';
import { allMigrations, composeApp } from './app';
import { seedDemoAccounts } from './demo/seed';
import type { ServerDeps } from './deps';
import { Router } from './http/router';
import { createLogger, type Logger } from './log';
import { MetricsRegistry } from './metrics';
import { RoomPolicies } from './rooms/policy';
import { openStore } from './store';
import type { Database } from './store/database';

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
  /** Lifetime of login tokens. Default 12 h. */
  tokenTtlSeconds?: number;
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
  const db: Database = await openStore({ dataDir: options.dataDir, ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}) }, allMigrations());
  let server: Server | null = null;
  try {
    const accounts = await Accounts.open(db, { now, ...(options.tokenTtlSeconds ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}), ...(options.loginThrottle ? { throttle: options.loginThrottle } : {}) });
    if (options.demo && (await seedDemoAccounts(db, accounts))) log.info('demo organisation seeded');
    const metrics = new MetricsRegistry();
    const rooms = new RoomPolicies();
    const deps: ServerDeps = { db, accounts, rooms, metrics, log, dataDir: options.dataDir, now };
    const requests = metrics.counter('xietong_http_requests_total', 'HTTP requests answered, by method, route and status');
    const duration = metrics.counter('xietong_http_request_seconds_total', 'Time spent answering HTTP requests, by route');
    const router = new Router({
      authenticate: (token) => accounts.authenticate(token),
      log: log.child({ module: 'http' }),
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      trustProxy: options.trustProxy ?? false,
      onResponse: ({ method, route, status, seconds }) => {
        requests.inc({ method, route, status: String(status) });
        duration.inc({ route }, seconds);
      },
    });
    await composeApp(router, { ...deps, metricsText: () => metrics.render() });

    const sockets = new Set<Socket>();
    const httpServer = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 }, (req, res) => void router.handle(req, res));
    server = httpServer;
    httpServer.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    httpServer.on('upgrade', (_req, socket: Socket) => {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
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
    log.info('server listening', { url, store: db.dialect });

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeIdleConnections();
          // In-flight requests get a moment to finish; then every connection ends.
          setTimeout(() => {
            for (const socket of sockets) socket.destroy();
          }, 2_000).unref();
        });
        await db.close();
        log.info('server stopped');
      })();
      return closing;
    };
    return { url, port, deps, close };
  } catch (error) {
    server?.close();
    await db.close();
    throw error;
  }
}
