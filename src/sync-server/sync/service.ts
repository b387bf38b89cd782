/**
 * The Yjs room service behind `ws://HOST:PORT/sync/<room>?token=…`.
 *
 * Trust boundary: everything here arrives from the network. The token and the room name are
 * checked before the WebSocket handshake completes (401/403/400 as plain HTTP answers); every
 * binary message is decoded strictly, rate-limited and size-limited, and a connection that breaks
 * the protocol is closed with a code and a reason while its room and every other room carry on.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { type Server as WsServer, WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';

import type { RoomName, RoomRef } from '../../shared/rooms';
import { parseRoomName } from '../../shared/rooms';
import { GroupCommitWriter } from './groupCommit';
import { type CloseReason, SyncMetrics } from './metrics';
import { ProtocolError, decodeClientMessage, encodePeerMessage, encodePermissionDenied } from './protocol';
import { Room, type RoomConnection, type SharedFrame } from './room';
import { encodeBinaryFrame, MAX_FRAMED_PAYLOAD } from './wsFrame';
import { compactUpdates } from './compaction';
import type { PresenceIdentity, RoomAccess, RoomPubSub, RoomUpdateStore, SyncLimits, SyncLogger, SyncUser } from './types';

/** How the service is composed. */
export interface SyncServiceOptions<U extends SyncUser = SyncUser> {
  store: RoomUpdateStore;
  /** Resolves the `token` query parameter (or `Authorization: Bearer`) to a person, or null. */
  authenticate(token: string): Promise<U | null>;
  /**
   * Decides the person's access to the room: at connect time, and again for every open connection
   * whenever {@link SyncService.changeRoomAccess} or {@link SyncService.reevaluateRoom} says it changed.
   */
  authorizeRoom(user: U, room: RoomName, ref: RoomRef): Promise<RoomAccess>;
  /**
   * Who a person is in a room's presence. When set, the identity fields of every awareness state a
   * client announces (`user: {id, name, color}` and Lexical's top-level `name` and `color`) are
   * replaced by this before anyone sees them, so nobody can appear as someone else.
   */
  presenceOf?(user: U): PresenceIdentity;
  /**
   * Called when a person's update is the first to advance Yjs clients of a room (they authored those
   * clients' content): tracked revisions attribute text by client. Fire and forget; never awaited.
   */
  onClientsAuthored?(room: RoomName, userId: string, clientIds: number[]): void;
  /** Present when several instances share rooms (Redis); absent for a single process. */
  pubsub?: RoomPubSub;
  limits?: SyncLimits;
  log?: SyncLogger;
}

/** The mounted service. */
export interface SyncService {
  /** Takes over an HTTP upgrade request for `/sync/<room>`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Metrics in Prometheus text format. */
  metricsText(): string;
  /** Resolves once every update received so far is committed. */
  flush(): Promise<void>;
  /** Number of rooms held in memory and connections open. */
  stats(): { rooms: number; connections: number };
  /**
   * Re-checks the token of every open connection of `userId` with `authenticate` and closes those it
   * no longer accepts with 4401 (signed out, password changed or reset, account disabled). Resolves
   * to how many were closed. A check that fails (store unreachable) closes nothing.
   */
  revalidateUser(userId: string): Promise<number>;
  /** Graceful stop: refuses new connections, flushes pending writes, closes every socket with 1001. */
  close(): Promise<void>;
  /**
   * Runs `change` (a workflow step that changes who may write to `room`) while the room's messages
   * on this instance are held back — queued, not dropped — with every update received before it
   * committed to the store; then re-decides every connection's access, here and (through pub/sub)
   * on the other instances, and lets the held messages through under the new rights.
   */
  changeRoomAccess<T>(room: RoomName, change: () => Promise<T>): Promise<T>;
  /** Re-decides the access of every connection to `room`, here and on the other instances. */
  reevaluateRoom(room: RoomName): Promise<void>;
}

const CLOSE_CODES: Record<Exclude<CloseReason, 'client'>, number> = {
  malformed: 1007,
  unknown_type: 1003,
  too_large: 1009,
  rate_limited: 1008,
  slow_consumer: 1008,
  shutdown: 1001,
  // INTERFACES.md: a token that does not (or no longer) count closes with 4401, as at connect.
  revoked: 4401,
  error: 1011,
  forbidden: 4403,
};

/** Wait after a room becomes due for compaction, and between two rooms. */
const COMPACTION_DELAY_MS = 1000;
const COMPACTION_GAP_MS = 50;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Writes JSON lines to stderr: one object per event, machine-readable. */
export const jsonLogger: SyncLogger = {
  info: (obj, msg) => writeLog('info', obj, msg),
  warn: (obj, msg) => writeLog('warn', obj, msg),
  error: (obj, msg) => writeLog('error', obj, msg),
};

function writeLog(level: string, obj: object, msg?: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj })}\n`);
}

/**
 * The server side of one WebSocket. A subclass rather than per-connection closures: the handlers
 * below are shared by every socket (memory per idle connection is a benchmark figure), and ws
 * closes an oversize frame by itself with 1009 and no reason, which this gives one.
 */
class SyncSocket extends WebSocket {
  conn: Connection | null = null;

  override close(code?: number, reason?: string | Buffer): void {
    if (code === 1009 && reason === undefined) {
      if (this.conn) this.conn.closeReason ??= 'too_large';
      super.close(code, 'message too large');
    } else super.close(code, reason);
  }
}

function onSocketMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  const conn = (this as SyncSocket).conn;
  if (conn) conn.service.onMessage(conn, data, isBinary);
}

function onSocketClose(this: WebSocket): void {
  const conn = (this as SyncSocket).conn;
  if (conn) conn.service.onClose(conn);
}

function onSocketError(this: WebSocket, error: Error): void {
  const conn = (this as SyncSocket).conn;
  if (conn) conn.service.logConnectionError(conn, error);
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/**
 * Sends the greeting (the server's sync step 1 and everyone's presence) as one write to the
 * socket instead of one per message: a system call saved per connection, which is most of what
 * a connection costs while a crowd of clients connects.
 */
function greetInOneWrite(room: Room, conn: Connection): void {
  conn.socket.cork();
  try {
    room.greet(conn);
  } finally {
    conn.socket.uncork();
  }
}

/** One client connection. Kept small: the benchmark holds 10,000 of them. */
class Connection implements RoomConnection {
  tokens: number;
  refilledAt = Date.now();
  /** Messages waiting while the room loads or while its access is being re-decided (`held`). */
  pending: Buffer[] | null = null;
  /** Set while the room's access is being re-decided: `pending` is drained when it clears. */
  held = false;
  closeReason: CloseReason | null = null;

  constructor(
    readonly ws: SyncSocket,
    /** The TCP socket under `ws`: frames of up to 64 KiB − 1 are written to it directly (wsFrame.ts). */
    readonly socket: Duplex,
    readonly user: SyncUser,
    /** What the person connected with: re-checked when their sessions are revoked. */
    readonly token: string,
    /** Re-decided when the room's access changes: the only check an update pays (O(1)). */
    public canWrite: boolean,
    readonly room: Room,
    readonly service: SyncServiceImpl,
  ) {
    this.tokens = service.burst;
  }

  get userId(): string {
    return this.user.id;
  }

  send(data: Uint8Array, shared?: SharedFrame): void {
    this.service.send(this, data, shared);
  }
}

class SyncServiceImpl implements SyncService {
  readonly burst: number;
  private readonly rate: number;
  private readonly maxBuffered: number;
  private readonly idleUnloadMs: number;
  private readonly compactAfter: number;
  private readonly metrics = new SyncMetrics();
  private readonly writer: GroupCommitWriter;
  private readonly wss: WsServer<typeof SyncSocket>;
  private readonly rooms = new Map<RoomName, Room>();
  private readonly loading = new Map<Room, Promise<void>>();
  private readonly connections = new Set<Connection>();
  private readonly compactionQueue = new Set<Room>();
  /** Rooms whose access is being re-decided (how many changes at once): new connections are held too. */
  private readonly changing = new Map<RoomName, number>();
  private compacting = false;
  private compactionTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly instanceId = randomBytes(8).toString('hex');
  /** Revocation checks started so far: a socket admitted across one is checked again once attached. */
  private revocationChecks = 0;
  private readonly log: SyncLogger;

  constructor(private readonly options: SyncServiceOptions<SyncUser>) {
    const limits = options.limits ?? {};
    this.rate = limits.messagesPerSecond ?? 200;
    this.burst = limits.burst ?? 1000;
    this.maxBuffered = limits.maxBufferedBytes ?? 64 * 1024 * 1024;
    this.idleUnloadMs = limits.idleUnloadMs ?? 30_000;
    this.compactAfter = limits.compactAfterUpdates ?? 1000;
    this.log = options.log ?? jsonLogger;
    this.writer = new GroupCommitWriter(options.store, this.metrics, this.log, limits.commitIntervalMs ?? 0);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes ?? 8 * 1024 * 1024,
      perMessageDeflate: false,
      clientTracking: false,
      WebSocket: SyncSocket,
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until the handshake completes nobody else listens on this socket: a reset must not crash us.
    socket.on('error', destroyOnError);
    if (this.closing) return this.refuse(socket, 503, 'server shutting down');
    const url = new URL(req.url ?? '/', 'http://sync.invalid');
    const match = /\/sync\/([^/]+)$/.exec(url.pathname);
    if (!match) return this.refuse(socket, 404, 'no such endpoint');
    let roomText: string;
    try {
      roomText = decodeURIComponent(match[1]!);
    } catch {
      return this.refuse(socket, 400, 'invalid room name');
    }
    const ref = parseRoomName(roomText);
    if (!ref) return this.refuse(socket, 400, 'invalid room name');
    const header = req.headers.authorization;
    const token = url.searchParams.get('token') ?? (header?.startsWith('Bearer ') ? header.slice(7) : null);
    void this.admit(req, socket, head, ref, token).catch((error: unknown) => {
      this.log.error({ room: ref.name, err: String(error) }, 'sync: admitting a connection failed');
      this.refuse(socket, 500, 'internal error');
    });
  }

  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer, ref: RoomRef, token: string | null): Promise<void> {
    if (!token) return this.refuse(socket, 401, 'authentication required');
    const checksBefore = this.revocationChecks;
    const user = await this.options.authenticate(token);
    if (!user) return this.refuse(socket, 401, 'authentication required');
    const access = await this.options.authorizeRoom(user, ref.name, ref);
    if (access !== 'write' && access !== 'read') return this.refuse(socket, 403, 'no access to this room');
    if (socket.destroyed) return;
    if (this.closing) return this.refuse(socket, 503, 'server shutting down');
    socket.removeListener('error', destroyOnError); // ws installs its own
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.attach(ws, socket, user, token, access === 'write', ref.name);
      // A revocation checked while this token was being verified did not see this socket yet.
      if (this.revocationChecks !== checksBefore) void this.revalidateUser(user.id);
    });
  }

  private refuse(socket: Duplex, status: number, message: string): void {
    this.metrics.countRefused(status);
    if (socket.destroyed) return;
    const body = JSON.stringify({ error: message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  private attach(ws: SyncSocket, socket: Duplex, user: SyncUser, token: string, canWrite: boolean, name: RoomName): void {
    const room = this.roomFor(name);
    const conn = new Connection(ws, socket, user, token, canWrite, room, this);
    // Its access was decided before a change that is still running: it waits for the new decision.
    if (this.changing.has(name)) this.hold(conn);
    ws.conn = conn;
    this.connections.add(conn);
    this.metrics.connections += 1;
    room.conns.add(conn);
    clearTimeout(room.unloadTimer);
    room.unloadTimer = undefined;
    ws.on('message', onSocketMessage);
    ws.on('close', onSocketClose);
    ws.on('error', onSocketError);
    if (room.ready) {
      greetInOneWrite(room, conn);
      return;
    }
    conn.pending ??= [];
    void this.loading.get(room)?.then(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      greetInOneWrite(room, conn);
      if (!conn.held) this.drain(conn);
    });
  }

  /** Processes what a connection sent while it waited, in order. */
  private drain(conn: Connection): void {
    const pending = conn.pending ?? [];
    conn.pending = null;
    for (const data of pending) if (conn.ws.readyState === WebSocket.OPEN) this.process(conn, data);
  }

  private hold(conn: Connection): void {
    conn.held = true;
    conn.pending ??= [];
  }

  /** Lets a held connection's messages through (unless its room is still loading: the load drains it). */
  private release(conn: Connection): void {
    if (!conn.held) return;
    conn.held = false;
    if (conn.room.ready && !this.loading.has(conn.room)) this.drain(conn);
  }

  async changeRoomAccess<T>(name: RoomName, change: () => Promise<T>): Promise<T> {
    this.changing.set(name, (this.changing.get(name) ?? 0) + 1);
    try {
      const room = this.rooms.get(name);
      if (room) {
        for (const conn of room.conns) this.hold(conn as Connection);
        // What the room holds in memory is in the store before the change reads it (a snapshot).
        await this.writer.flush();
      }
      return await change();
    } finally {
      const left = (this.changing.get(name) ?? 1) - 1;
      if (left > 0) this.changing.set(name, left);
      else this.changing.delete(name);
      await this.reevaluateRoom(name);
    }
  }

  async reevaluateRoom(name: RoomName): Promise<void> {
    const pubsub = this.options.pubsub;
    if (pubsub) {
      this.metrics.pubsubMessagesOut += 1;
      pubsub.publish(name, encodePeerMessage({ kind: 'access', from: this.instanceId })).catch((error: unknown) => {
        this.log.warn({ room: name, err: String(error) }, 'sync: publishing an access change failed');
      });
    }
    const room = this.rooms.get(name);
    if (room) await this.reauthorize(room);
  }

  /**
   * Re-decides each connection's access (one decision per person), holding the room's messages
   * meanwhile. A connection that loses its write right is told so (y-protocols' permission-denied
   * message, reason `read-only`); one that loses all access is closed with 4403.
   */
  private async reauthorize(room: Room): Promise<void> {
    const conns = [...room.conns] as Connection[];
    const heldHere = conns.filter((conn) => !conn.held);
    for (const conn of heldHere) this.hold(conn);
    const ref = parseRoomName(room.name);
    const decisions = new Map<string, Promise<RoomAccess>>();
    const decide = (user: SyncUser): Promise<RoomAccess> => {
      let decision = decisions.get(user.id);
      if (!decision) {
        decision = ref ? this.options.authorizeRoom(user, room.name, ref).catch(() => 'none' as const) : Promise.resolve('none' as const);
        decisions.set(user.id, decision);
      }
      return decision;
    };
    try {
      await Promise.all(
        conns.map(async (conn) => {
          const access = await decide(conn.user);
          if (conn.closeReason) return;
          if (access !== 'write' && access !== 'read') return this.closeConnection(conn, 'forbidden', 'no access to this room');
          const canWrite = access === 'write';
          if (conn.canWrite && !canWrite) {
            this.metrics.writeRevoked += 1;
            conn.send(encodePermissionDenied('read-only'));
          }
          conn.canWrite = canWrite;
        }),
      );
    } finally {
      // Every connection of the room, also those held by changeRoomAccess (and not by a newer change).
      if (!this.changing.has(room.name)) for (const conn of room.conns) this.release(conn as Connection);
      else for (const conn of heldHere) this.release(conn);
    }
  }

  private roomFor(name: RoomName): Room {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    const room: Room = new Room(name, {
      store: this.options.store,
      writer: this.writer,
      pubsub: this.options.pubsub,
      instanceId: this.instanceId,
      metrics: this.metrics,
      log: this.log,
      compactAfterUpdates: this.compactAfter,
      compactionDue: (due) => this.queueCompaction(due),
      persistFailed: (failed) => this.dropRoom(failed, 'storage failure'),
      accessChanged: (changed) => void this.reauthorize(changed),
      stampPresence: this.options.presenceOf ? (conn, state) => this.stampPresence(conn as Connection, state) : undefined,
      clientsAuthored: this.options.onClientsAuthored ? (authored, conn, clientIds) => this.options.onClientsAuthored?.(authored.name, conn.userId, clientIds) : undefined,
    });
    this.rooms.set(name, room);
    this.metrics.roomsLoaded += 1;
    const loading = room.load().then(
      () => {
        this.loading.delete(room);
      },
      (error: unknown) => {
        this.loading.delete(room);
        this.log.error({ room: name, err: String(error) }, 'sync: loading a room failed');
        this.dropRoom(room, 'room could not be loaded');
      },
    );
    this.loading.set(room, loading);
    return room;
  }

  /** Forgets a room whose memory can no longer be trusted; its clients reconnect and resync. */
  private dropRoom(room: Room, reason: string): void {
    if (this.rooms.get(room.name) !== room) return;
    for (const conn of [...room.conns]) this.closeConnection(conn as Connection, 'error', reason);
    this.unloadRoom(room);
  }

  private unloadRoom(room: Room): void {
    if (this.rooms.get(room.name) === room) {
      this.rooms.delete(room.name);
      this.metrics.roomsLoaded -= 1;
    }
    this.compactionQueue.delete(room);
    room.unload();
  }

  logConnectionError(conn: Connection, error: Error): void {
    this.log.warn({ room: conn.room.name, user: conn.userId, err: error.message }, 'sync: connection error');
  }

  onMessage(conn: Connection, data: Buffer, isBinary: boolean): void {
    this.metrics.messagesIn += 1;
    this.metrics.bytesIn += data.length;
    if (conn.closeReason) return;
    if (!isBinary) return this.closeConnection(conn, 'unknown_type', 'text messages are not part of the protocol');
    // Token bucket: a sustained rate plus a burst, refilled by elapsed time.
    const now = Date.now();
    conn.tokens = Math.min(this.burst, conn.tokens + ((now - conn.refilledAt) * this.rate) / 1000);
    conn.refilledAt = now;
    if (conn.tokens < 1) return this.closeConnection(conn, 'rate_limited', 'rate limit exceeded');
    conn.tokens -= 1;
    if (conn.pending) conn.pending.push(data);
    else this.process(conn, data);
  }

  private process(conn: Connection, data: Buffer): void {
    const room = conn.room;
    try {
      const message = decodeClientMessage(data);
      switch (message.type) {
        case 'step1':
          room.answerStep1(conn, message.stateVector);
          break;
        case 'update':
          if (!conn.canWrite) {
            // Read-only members may not change the document; their edits are dropped, not applied.
            this.refuseUpdate(conn, message.update);
            break;
          }
          room.applyClientUpdate(conn, message.update);
          break;
        case 'awareness':
          // Awareness (presence, cursors) is allowed for read-only members: it changes no content.
          this.metrics.awarenessEntriesRejected += room.applyClientAwareness(conn, message.update);
          break;
        case 'queryAwareness':
          room.sendAllAwareness(conn);
          break;
      }
    } catch (error) {
      if (error instanceof ProtocolError) return this.closeConnection(conn, error.kind, error.message);
      // Y.applyUpdate / applyAwarenessUpdate throw on content that is not a valid update.
      this.closeConnection(conn, 'malformed', 'malformed update');
    }
  }

  /**
   * Drops a read-only member's update and, when it held something the room lacks (an edit made
   * offline and replayed, a stale window), tells the client it was refused so it can say so.
   */
  private refuseUpdate(conn: Connection, update: Uint8Array): void {
    // The empty update every client answers the server's sync step 1 with.
    if (update.length === 2 && update[0] === 0 && update[1] === 0) return;
    this.metrics.readOnlyUpdatesDropped += 1;
    if (wouldChange(conn.room, update)) conn.send(encodePermissionDenied('update-refused'));
  }

  /** The state with its identity fields replaced by the connection's person (see `presenceOf`). */
  private stampPresence(conn: Connection, state: Uint8Array): Uint8Array {
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8.decode(state));
    } catch {
      throw new ProtocolError('malformed', 'malformed awareness update');
    }
    // A presence is an object; anything else carries no identity worth keeping.
    const fields = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    const identity = this.options.presenceOf!(conn.user);
    return utf8Encoder.encode(JSON.stringify({ ...fields, name: identity.name, color: identity.color, user: { id: identity.id, name: identity.name, color: identity.color } }));
  }

  send(conn: Connection, data: Uint8Array, shared?: SharedFrame): void {
    const ws = conn.ws;
    if (ws.readyState !== WebSocket.OPEN || conn.closeReason) return;
    if (ws.bufferedAmount > this.maxBuffered) return this.closeConnection(conn, 'slow_consumer', 'client too slow to receive');
    this.metrics.messagesOut += 1;
    this.metrics.bytesOut += data.length;
    if (data.length > MAX_FRAMED_PAYLOAD) {
      ws.send(data);
      return;
    }
    let frame: Uint8Array;
    if (shared) frame = shared.frame ??= encodeBinaryFrame(data);
    else frame = encodeBinaryFrame(data);
    conn.socket.write(frame);
  }

  private closeConnection(conn: Connection, reason: Exclude<CloseReason, 'client'>, text: string): void {
    if (conn.closeReason) return;
    conn.closeReason = reason;
    this.log.warn({ room: conn.room.name, user: conn.userId, reason, detail: text }, 'sync: closing connection');
    conn.ws.close(CLOSE_CODES[reason], text.slice(0, 120));
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => conn.ws.terminate(), 5000).unref();
  }

  onClose(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.metrics.connections -= 1;
    this.metrics.countClosed(conn.closeReason ?? 'client');
    const room = conn.room;
    room.removeConnection(conn);
    if (room.conns.size === 0 && this.rooms.get(room.name) === room) this.scheduleUnload(room);
  }

  private scheduleUnload(room: Room): void {
    clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = undefined;
      if (this.rooms.get(room.name) !== room || room.conns.size > 0) return;
      // Still committing: look again later rather than reload stale state on the next connect.
      if (!room.isIdle() || this.loading.has(room)) return this.scheduleUnload(room);
      this.metrics.roomsUnloaded += 1;
      this.unloadRoom(room);
    }, this.idleUnloadMs);
    room.unloadTimer.unref();
  }

  private queueCompaction(room: Room): void {
    if (this.compactionQueue.has(room)) return;
    this.compactionQueue.add(room);
    this.scheduleCompaction(COMPACTION_DELAY_MS);
  }

  /**
   * Compaction blocks the event loop while it merges, so it waits for a lull: a room usually
   * passes the threshold in the middle of a burst of edits, which should be relayed first.
   */
  private scheduleCompaction(delayMs: number): void {
    if (this.compacting || this.compactionTimer || this.closing) return;
    this.compactionTimer = setTimeout(() => {
      this.compactionTimer = undefined;
      void this.compactNext();
    }, delayMs);
    this.compactionTimer.unref();
  }

  /** One room at a time, in the background: compaction never competes with itself. */
  private async compactNext(): Promise<void> {
    if (this.compacting || this.closing) return;
    const room = this.compactionQueue.values().next().value;
    if (!room) return;
    this.compactionQueue.delete(room);
    this.compacting = true;
    try {
      const merged = await this.options.store.compact(room.name, compactUpdates);
      this.metrics.compactions += 1;
      room.storedRows = await this.options.store.count(room.name);
      this.log.info({ room: room.name, merged, rows: room.storedRows }, 'sync: room compacted');
    } catch (error) {
      this.log.error({ room: room.name, err: String(error) }, 'sync: compaction failed');
    } finally {
      this.compacting = false;
    }
    if (this.compactionQueue.size > 0) this.scheduleCompaction(COMPACTION_GAP_MS);
  }

  metricsText(): string {
    return this.metrics.render();
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  stats(): { rooms: number; connections: number } {
    return { rooms: this.rooms.size, connections: this.connections.size };
  }

  async revalidateUser(userId: string): Promise<number> {
    this.revocationChecks += 1;
    const conns = [...this.connections].filter((conn) => conn.userId === userId && !conn.closeReason);
    // One check per token: a person's several windows usually share one.
    const verdicts = new Map<string, Promise<boolean>>();
    let closed = 0;
    for (const conn of conns) {
      let verdict = verdicts.get(conn.token);
      if (!verdict) {
        verdict = this.options.authenticate(conn.token).then(
          (user) => user !== null && user.id === userId,
          (error: unknown) => {
            this.log.error({ user: userId, err: String(error) }, 'sync: re-checking a session failed');
            return true;
          },
        );
        verdicts.set(conn.token, verdict);
      }
      if (!(await verdict) && !conn.closeReason) {
        this.closeConnection(conn, 'revoked', 'session revoked');
        closed += 1;
      }
    }
    return closed;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.allSettled(this.loading.values());
    await this.writer.flush();
    clearTimeout(this.compactionTimer);
    while (this.compacting) await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = [...this.connections].map(
      (conn) =>
        new Promise<void>((resolve) => {
          conn.ws.once('close', () => resolve());
          this.closeConnection(conn, 'shutdown', 'server shutting down');
        }),
    );
    await Promise.all(closed);
    for (const room of [...this.rooms.values()]) this.unloadRoom(room);
    this.wss.close();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Whether an update holds content the room does not have: structs beyond the room's clock for some
 * client, or deletions (taken as new: telling a client about a refused duplicate costs nothing).
 * Only read-only members' updates come here, so the decoding is off the hot path.
 */
function wouldChange(room: Room, update: Uint8Array): boolean {
  try {
    const decoded = Y.decodeUpdate(update);
    if (decoded.ds.clients.size > 0) return true;
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) continue;
      if (struct.id.clock + struct.length > Y.getState(room.doc.store, struct.id.client)) return true;
    }
    return false;
  } catch {
    return true;
  }
}

/** Creates the sync service; see {@link SyncServiceOptions}. */
export function createSyncService<U extends SyncUser>(options: SyncServiceOptions<U>): SyncService {
  return new SyncServiceImpl(options);
}
