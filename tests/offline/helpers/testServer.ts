/**
 * A small real server for the offline tests, speaking the parts of INTERFACES.md the client's
 * offline services use: command routes with clientId idempotency, and Yjs rooms over the standard
 * y-websocket protocol at /sync/<room>?token=. It can be stopped and started again on the same
 * port (rooms and applied commands survive, as they would in a real server's store), which is how
 * the tests take the client offline.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import type * as Y from 'yjs';

export interface AppliedCommand {
  readonly clientId: string;
  readonly route: string;
  readonly body: unknown;
}

export interface TestServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  /** Every command applied, once per clientId, in the order applied. */
  readonly applied: AppliedCommand[];
  /** How many requests arrived in total (repeats included). */
  requests: number;
  /** How many WebSocket upgrades were attempted (refused ones included). */
  upgrades: number;
  readonly tokens: Set<string>;
  /** Answer command routes with 503 while true (server up, backend failing). */
  failing: boolean;
  /** The server's copy of a room, as text of the shared type `name`. */
  roomText(room: string, name?: string): string;
  roomDoc(room: string): Y.Doc | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10 * 1024 * 1024) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

export async function startTestServer(): Promise<TestServer> {
  const responses = new Map<string, { status: number; body: unknown }>();
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true });
  let http: Server | null = null;
  let port = 0;

  const server: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}/sync`;
    },
    get port() {
      return port;
    },
    applied: [],
    requests: 0,
    upgrades: 0,
    tokens: new Set(['token-ok']),
    failing: false,
    roomText: (room, name = 'body') => docs.get(room)?.getText(name).toJSON() ?? '',
    roomDoc: (room) => docs.get(room),
    stop: async () => {
      const current = http;
      http = null;
      if (!current) return;
      for (const client of wss.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    start: () => listen(port),
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    server.requests += 1;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.headers.authorization !== undefined && ![...server.tokens].some((t) => req.headers.authorization === `Bearer ${t}`)) {
      send(res, 401, { error: '登录已过期' });
      return;
    }
    if (req.headers.authorization === undefined) {
      send(res, 401, { error: '未登录' });
      return;
    }
    const route = url.pathname.match(/^\/api\/(documents\/[^/]+\/actions|exchange\/[^/]+\/actions|conversations\/[^/]+\/messages|documents\/[^/]+\/pdf)$/);
    if (!route || (req.method !== 'POST' && req.method !== 'PUT')) {
      send(res, 404, { error: 'not found' });
      return;
    }
    const raw = await readBody(req);
    if (server.failing) {
      send(res, 503, { error: '服务暂不可用' });
      return;
    }
    const body: unknown = req.method === 'PUT' ? { bytes: raw.length } : JSON.parse(raw.toString('utf8'));
    const clientId = (req.method === 'PUT' ? req.headers['x-client-id'] : (body as { clientId?: string }).clientId) as string | undefined;
    if (!clientId) {
      send(res, 400, { error: 'clientId required' });
      return;
    }
    const earlier = responses.get(clientId);
    if (earlier) {
      send(res, earlier.status, earlier.body);
      return;
    }
    const action = (body as { action?: string }).action;
    const outcome =
      action === 'forbidden'
        ? { status: 403, body: { error: '您无权执行此操作' } }
        : action === 'stale'
          ? { status: 409, body: { error: { message: '该公文已由他人处理' } } }
          : { status: 200, body: { ok: true, seq: server.applied.length + 1 } };
    if (outcome.status === 200) server.applied.push({ clientId, route: route[1]!, body });
    responses.set(clientId, outcome);
    send(res, outcome.status, outcome.body);
  };

  const listen = (onPort: number) =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
      });
      next.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      next.on('upgrade', (req, socket, head) => {
        server.upgrades += 1;
        const url = new URL(req.url ?? '/', 'http://localhost');
        const room = decodeURIComponent(url.pathname.replace(/^\/sync\//, ''));
        if (!url.pathname.startsWith('/sync/') || !server.tokens.has(url.searchParams.get('token') ?? '')) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        // Rooms named `doc:denied-…` stand for documents this person may not read.
        if (room.startsWith('doc:denied-')) {
          socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => setupWSConnection(ws, req, { docName: room }));
      });
      next.once('error', reject);
      next.listen(onPort, '127.0.0.1', () => {
        const address = next.address();
        port = typeof address === 'object' && address ? address.port : onPort;
        http = next;
        resolve();
      });
    });

  await listen(0);
  return server;
}
