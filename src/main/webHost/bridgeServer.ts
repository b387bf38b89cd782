/**
 * The WebSocket end of the web host's bridge: the same contract Electron carries over IPC, carried
 * over `ws://127.0.0.1:<port>/bridge`. This socket can drive the person's session, so it is guarded
 * like the preload: only pages this host served may connect (the Origin check stops any other page
 * in the same browser from opening a socket to 127.0.0.1), and every message is parsed before use.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  BRIDGE_MAX_MESSAGE_BYTES,
  BridgeRequestIdSchema,
  BridgeRequestSchema,
  type BridgeResponse,
  type BridgeEvent,
} from '../../shared/api/bridgeProtocol';
import { fail } from '../../shared/api';
import { describeZodError, type Dispatcher } from '../services/api/dispatcher';
import { errorText, type ErrorText } from '../../shared/errors';

export interface BridgeServer {
  /** Takes over an HTTP upgrade for the bridge path; refuses it when the Origin is not ours. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Sends an event to every connected renderer. */
  broadcast(event: BridgeEvent): void;
  readonly clientCount: number;
  close(): Promise<void>;
}

export interface BridgeServerOptions {
  /** Origins whose pages may connect, e.g. `http://127.0.0.1:5173`. */
  allowedOrigins: readonly string[];
  /** Resolved lazily: the services may be created after the HTTP server starts listening. */
  dispatcher: () => Dispatcher | undefined;
  /** Told about every refused socket: another page trying to drive the app is worth a log line. */
  onRefused?: (origin: string | undefined) => void;
}

export function createBridgeServer(options: BridgeServerOptions): BridgeServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const allowed = new Set(options.allowedOrigins);

  const send = (socket: WebSocket, message: BridgeResponse | BridgeEvent): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  const answerInvalid = (socket: WebSocket, id: number | null, text: ErrorText): void => {
    send(socket, { id, result: fail('invalid_input', text) });
  };

  const onMessage = async (socket: WebSocket, data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) return answerInvalid(socket, null, errorText('bridge.requestNotText'));
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      return answerInvalid(socket, null, errorText('bridge.requestNotJson'));
    }
    const request = BridgeRequestSchema.safeParse(json);
    if (!request.success) {
      // Answer the request's id when it has a usable one, so the caller's promise settles.
      const id = BridgeRequestIdSchema.safeParse((json as { id?: unknown } | null)?.id);
      return answerInvalid(socket, id.success ? id.data : null, errorText('bridge.requestInvalid', { issues: describeZodError(request.error) }));
    }
    const dispatcher = options.dispatcher();
    const result = dispatcher
      ? await dispatcher.dispatch(request.data.channel, request.data.input)
      : fail('unavailable', errorText('client.starting'));
    send(socket, { id: request.data.id, result });
  };

  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => void onMessage(socket, data, isBinary));
    socket.on('error', () => socket.terminate());
  });

  return {
    handleUpgrade(request, socket, head) {
      const origin = request.headers.origin;
      if (!origin || !allowed.has(origin)) {
        options.onRefused?.(origin);
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    broadcast(event) {
      for (const client of wss.clients) send(client, event);
    },
    get clientCount() {
      return wss.clients.size;
    },
    close() {
      for (const client of wss.clients) client.close(1001, 'host shutting down');
      return new Promise((resolve) => {
        // Give clients a moment to take the close frame, then cut whatever is left.
        const timer = setTimeout(() => {
          for (const client of wss.clients) client.terminate();
        }, 500);
        wss.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
