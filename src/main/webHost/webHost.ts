/**
 * The web host: the main-process services in plain Node, the built renderer served over HTTP on
 * 127.0.0.1, and the renderer ↔ services contract carried over a WebSocket (`/bridge`). With no
 * server URL it embeds a sync server (SQLite, demo organisation) in the data folder.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { apiEvents } from '../../shared/api';
import { BRIDGE_PATH } from '../../shared/api/bridgeProtocol';
import { createAppServices } from '../services/app';
import { silentLogger, type Logger } from '../services/logging';
import type { AppServices, EventSink } from '../services/appServices';
import { createBridgeServer } from './bridgeServer';
import { loadHostState, saveHostState } from './hostState';
import { plainSecretBox } from './plainSecrets';
import { readStaticFile } from './staticFiles';
import type { UkeyModule } from '../../shared/deployment';

/** A sync server this host started and must stop. */
export interface EmbeddedServer {
  readonly url: string;
  close(): Promise<void>;
}

export type StartEmbeddedServer = (options: { dataDir: string; host: string; port: number; demo: boolean }) => Promise<EmbeddedServer>;

export interface WebHostOptions {
  /** The data folder: `<data>/client` for the services, `<data>/server` for an embedded server. */
  dataDir: string;
  /** Folder of the built renderer (index.html and assets/). */
  rendererDir: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Use this sync server; when absent, `startEmbeddedServer` is called. */
  serverUrl?: string;
  startEmbeddedServer?: StartEmbeddedServer;
  /** The UKey drivers 批量签批 may load (XIETONG_UKEY_MODULES). */
  ukeyModules?: UkeyModule[];
  /** The host's log (start, stop, refused sockets, failed calls); `npm run web` writes `<data>/client/logs/main.log`. */
  log?: Logger;
}

export interface WebHost {
  /** Where the person opens the app, e.g. `http://127.0.0.1:5173`. */
  readonly url: string;
  /** The sync server the services talk to. */
  readonly serverUrl: string;
  readonly services: AppServices;
  close(): Promise<void>;
}

/** Only loopback: the bridge drives a signed-in session and must not be reachable from the network. */
const HOST = '127.0.0.1';

/** The Content-Security-Policy for the served renderer: our own scripts and styles, nothing remote. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // 语音签批: recordings are played from blob: URLs of bytes fetched through the API (never a
    // remote URL); the desktop shell's policy allows the same.
    "media-src 'self' blob:",
    `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const rendererDir = resolve(options.rendererDir);
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`找不到已构建的界面（${rendererDir}/index.html），请先运行 npm run build`);
  }
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? silentLogger;
  mkdirSync(join(dataDir, 'client'), { recursive: true });

  let embedded: EmbeddedServer | undefined;
  let serverUrl = options.serverUrl;
  if (!serverUrl) {
    if (!options.startEmbeddedServer) throw new Error('未指定服务器地址（XIETONG_SERVER_URL），也无法启动内置服务器');
    embedded = await startEmbedded(options.startEmbeddedServer, dataDir);
    serverUrl = embedded.url;
  }

  let services: AppServices | undefined;
  const http = createServer((request, response) => void handleHttp(request, response));
  const port = await listen(http, options.port);
  const origins = [`http://${HOST}:${port}`, `http://localhost:${port}`];
  const allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const csp = contentSecurityPolicy(port);
  const bridge = createBridgeServer({
    allowedOrigins: origins,
    dispatcher: () => services?.dispatcher,
    onRefused: (origin) => log.warn(`bridge socket refused: origin ${origin ?? '(none)'}`),
  });

  const emit: EventSink = (event, payload) => bridge.broadcast({ event: apiEvents[event].channel, payload });
  try {
    services = await createAppServices(
      { userDataDir: join(dataDir, 'client'), serverUrl, secrets: plainSecretBox, emit },
      { logError: (channel, error) => log.error(`call ${channel} failed`, error), ...(options.ukeyModules?.length ? { ukeyModules: options.ukeyModules } : {}) },
    );
  } catch (error) {
    await closeHttp(http);
    await embedded?.close();
    throw error;
  }

  http.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    // The Host check stops DNS rebinding (a remote name pointed at 127.0.0.1); the bridge also checks Origin.
    if (path !== BRIDGE_PATH || !allowedHosts.has(request.headers.host ?? '')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    bridge.handleUpgrade(request, socket, head);
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (!allowedHosts.has(request.headers.host ?? '')) {
      response.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('misdirected request');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"ok":true}');
      return;
    }
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.body.length,
      'content-security-policy': csp,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  log.info(`web host listening on ${origins[0]!}, sync server ${serverUrl}${embedded ? ' (embedded)' : ''}`);
  let closing: Promise<void> | undefined;
  return {
    url: origins[0]!,
    serverUrl,
    services,
    close() {
      closing ??= (async () => {
        await bridge.close();
        await closeHttp(http);
        await services?.close();
        await embedded?.close();
        log.info('web host stopped');
      })();
      return closing;
    },
  };
}

/** Starts the embedded server on the port it had last time if that is free, otherwise on any free port. */
async function startEmbedded(start: StartEmbeddedServer, dataDir: string): Promise<EmbeddedServer> {
  const options = { dataDir: join(dataDir, 'server'), host: HOST, demo: true };
  const previous = loadHostState(dataDir)?.embeddedServerPort;
  let server: EmbeddedServer | undefined;
  if (previous) {
    try {
      server = await start({ ...options, port: previous });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  server ??= await start({ ...options, port: 0 });
  const port = Number(new URL(server.url).port);
  if (port > 0 && port !== previous) saveHostState(dataDir, { embeddedServerPort: port });
  return server;
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new Error(`端口 ${port} 已被占用，请用 XIETONG_WEB_PORT 指定其他端口`) : error);
    };
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

function closeHttp(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
