/**
 * The real-time socket of 即时通讯: `ws://HOST:PORT/chat?token=<token>`, JSON text messages parsed
 * with the zod schemas of src/shared/http/messaging.ts.
 *
 * Trust boundary: the token is checked at the upgrade (401 without a valid one) and again while the
 * socket lives (a revoked token — logout, disabled account, password change — closes it with 4401);
 * every `send` and `read` goes through {@link MessagingService}, which checks membership like the
 * HTTP routes do. A connection's messages are handled one after another, so one device's sends are
 * stored in the order it wrote them.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { AccountUser } from '../../shared/http/auth';
import { CHAT_CLOSE_UNAUTHENTICATED, CHAT_MAX_FRAME_BYTES, ChatClientMessageSchema, type ChatServerMessage } from '../../shared/http/messaging';
import type { ServerDeps } from '../deps';
import { HttpError } from '../http/errors';
import { describeZodError } from '../http/router';
import type { Logger } from '../log';
import type { ChatConnection, ChatHub } from './hub';
import type { MessagingLimits } from './limits';
import type { MessagingService } from './service';
import { errorText, keyFields, type ErrorText } from '../../shared/errors';
import type { HttpErrorBody, HttpErrorCode } from '../../shared/http/errors';

/** How often a socket's token is checked again without any message from it. */
const TOKEN_RECHECK_MS = 15_000;
/** A message from the socket re-checks the token when the last check is older than this. */
const TOKEN_FRESH_MS = 2_000;

class Connection implements ChatConnection {
  state: 'online' | 'away' = 'online';
  checkedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    public user: AccountUser,
    readonly token: string,
    private readonly maxBuffered: number,
    now: number,
  ) {
    this.checkedAt = now;
  }

  get userId(): string {
    return this.user.id;
  }
  get unitId(): string {
    return this.user.unitId;
  }

  send(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    // A client that reads too slowly is cut off rather than grow our memory; it catches up from history.
    if (this.ws.bufferedAmount > this.maxBuffered) {
      this.ws.close(1008, 'slow consumer');
      return;
    }
    this.ws.send(text);
  }

  write(message: ChatServerMessage): void {
    this.send(JSON.stringify(message));
  }

  /** Runs `work` after the connection's earlier messages. */
  enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work, work);
  }
}

export class ChatSocketServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: CHAT_MAX_FRAME_BYTES });
  private readonly recheck: NodeJS.Timeout;
  private closing = false;

  constructor(
    private readonly deps: Pick<ServerDeps, 'accounts' | 'now'>,
    private readonly service: MessagingService,
    private readonly hub: ChatHub,
    private readonly limits: MessagingLimits,
    private readonly log: Logger,
  ) {
    this.recheck = setInterval(() => void this.recheckTokens(), TOKEN_RECHECK_MS);
    this.recheck.unref();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.closing) return refuse(socket, 503, 'Service Unavailable');
    const token = new URL(req.url ?? '/', 'http://chat.invalid').searchParams.get('token');
    void (async () => {
      const user = token ? await this.authenticate(token) : null;
      if (!user || !token) return refuse(socket, 401, 'Unauthorized');
      if (socket.destroyed) return;
      await this.hub.whenReady();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, user, token));
    })().catch((error: unknown) => {
      this.log.error('chat: admitting a connection failed', { error: String(error) });
      refuse(socket, 500, 'Internal Server Error');
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.recheck);
    for (const client of this.wss.clients) client.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async authenticate(token: string): Promise<AccountUser | null> {
    const user = await this.deps.accounts.authenticate(token);
    // A one-time password opens nothing but the password change.
    return user && !user.mustChangePassword ? user : null;
  }

  private attach(ws: WebSocket, user: AccountUser, token: string): void {
    const connection = new Connection(ws, user, token, this.limits.maxBufferedBytes, this.deps.now());
    this.hub.add(connection);
    ws.on('message', (data: RawData, isBinary: boolean) => connection.enqueue(() => this.onMessage(connection, data, isBinary)));
    ws.on('close', () => this.hub.remove(connection));
    ws.on('error', () => ws.terminate());
    connection.write({ type: 'ready', userId: user.id, presence: [] });
  }

  private async onMessage(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    if (connection.ws.readyState !== WebSocket.OPEN) return;
    if (this.deps.now() - connection.checkedAt > TOKEN_FRESH_MS && !(await this.stillValid(connection))) return;
    let txnId: string | undefined;
    try {
      if (isBinary) throw new HttpError('invalid_input', errorText('messaging.jsonText'));
      let raw: unknown;
      try {
        raw = JSON.parse(rawText(data));
      } catch {
        throw new HttpError('invalid_input', errorText('messaging.jsonInvalid'));
      }
      if (raw && typeof raw === 'object' && 'txnId' in raw && typeof raw.txnId === 'string') txnId = raw.txnId;
      const parsed = ChatClientMessageSchema.safeParse(raw);
      if (!parsed.success) throw new HttpError('invalid_input', describeZodError(parsed.error));
      const message = parsed.data;
      switch (message.type) {
        case 'send': {
          const result = await this.service.send(connection.user, message.conversationId, message.txnId, message.content);
          connection.write({ type: 'ack', txnId: message.txnId, message: result.message });
          return;
        }
        case 'read':
          await this.service.markRead(connection.user, message.conversationId, message.seq);
          return;
        case 'presence':
          this.hub.setState(connection, message.state);
          return;
        case 'ping':
          connection.write({ type: 'pong' });
          return;
      }
    } catch (error) {
      if (error instanceof HttpError) {
        connection.write({ type: 'error', ...(txnId ? { txnId } : {}), error: { code: error.code, message: error.message, ...keyFields(error), ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) } });
        return;
      }
      this.log.error('chat: message failed', { error: String(error) });
      connection.write({ type: 'error', ...(txnId ? { txnId } : {}), error: { code: 'internal', ...errorText('http.internal') } });
    }
  }

  /** Re-reads the token's person; closes the socket (4401) when it no longer counts. */
  private async stillValid(connection: Connection): Promise<boolean> {
    const user = await this.authenticate(connection.token);
    connection.checkedAt = this.deps.now();
    if (!user) {
      connection.ws.close(CHAT_CLOSE_UNAUTHENTICATED, 'token no longer valid');
      return false;
    }
    connection.user = user;
    return true;
  }

  private async recheckTokens(): Promise<void> {
    for (const connection of this.hub.connections()) {
      if (!(connection instanceof Connection) || this.deps.now() - connection.checkedAt < TOKEN_RECHECK_MS) continue;
      await this.stillValid(connection).catch(() => undefined);
    }
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

/** The refusal of an upgrade, in the HTTP API's error shape so a client words it like any other. */
const refusals: Record<401 | 500 | 503, { code: HttpErrorCode; text: ErrorText }> = {
  401: { code: 'unauthenticated', text: errorText('http.signInFirst') },
  500: { code: 'internal', text: errorText('http.internal') },
  503: { code: 'unavailable', text: errorText('http.unavailable') },
};

function refuse(socket: Duplex, status: 401 | 500 | 503, text: string): void {
  if (socket.destroyed) return;
  const { code, text: reason } = refusals[status];
  const errorBody: HttpErrorBody = { error: { code, message: reason.message, ...keyFields(reason) } };
  const body = JSON.stringify(errorBody);
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
