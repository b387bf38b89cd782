/**
 * The client's side of Yjs sync: one RoomSync per open room, reconnection with backoff and
 * jitter, and what to do when the server stops accepting the token (ask for a fresh one once,
 * else tell the person to sign in again — never a silent retry loop). Its connection state is the
 * truth behind the 在线/离线 indicator (see ./connectionSource.ts).
 */
import type * as Y from 'yjs';
import type { RoomRefusal } from '../../../shared/api/offline.contract';
import type { ConnectionState } from '../../../shared/api/session.contract';
import { errorText, type ErrorText } from '../../../shared/errors';
import { Backoff, type BackoffOptions } from './backoff';
import { RoomSync, type RoomReplica, type RoomStatus } from './roomSync';
import { isForbidden, isUnauthorized } from './syncSocket';
import { ApiFailure } from '../../../shared/api/result';

export interface SyncClientOptions {
  /** The sync server, `http://HOST:PORT`; rooms connect to `ws://HOST:PORT/sync/<room>`. */
  readonly serverUrl: string;
  readonly replica: RoomReplica;
  /** The current token, or null when signed out. */
  readonly getToken: () => string | null;
  /** Asked once when the server refuses the token; resolves a new one, or null to sign out. */
  readonly refreshToken?: () => Promise<string | null>;
  /** The token is gone for good: the UI must ask the person to sign in (`session:signed-out`). */
  /** The token was refused for good; `text` carries the reason's catalogue key (the renderer words it). */
  readonly onSignedOut: (reason: string, text?: ErrorText) => void;
  /** The server refused a room to this person. */
  readonly onRoomDenied?: (room: string) => void;
  /** The server refused this person's edits to an open room (it stays readable). */
  readonly onRoomRefused?: (room: string, reason: RoomRefusal) => void;
  /** After a room's update is stored (local or remote), e.g. to re-index its text. */
  readonly onRoomChanged?: (room: string, doc: Y.Doc) => void;
  readonly onError?: (error: unknown) => void;
  readonly backoff?: BackoffOptions;
}

interface OpenRoom {
  readonly sync: RoomSync;
  readonly backoff: Backoff;
  users: number;
  timer: NodeJS.Timeout | null;
  /** Set when the server refused this room; it stays closed until reopened. */
  denied: boolean;
  /** The token the room last connected with. */
  token: string | null;
}

export const syncUrlOf = (serverUrl: string): string => `${serverUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/sync`;

export class SyncClient {
  private readonly rooms = new Map<string, OpenRoom>();
  private readonly opening = new Map<string, Promise<RoomSync>>();
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private stateValue: ConnectionState = 'offline';
  private notifiedRooms = 0;
  /** The server refused our token; nothing reconnects until `resume()` (a new sign-in). */
  private signedOut = false;
  private refreshing: Promise<string | null> | null = null;
  /** A token obtained through `refreshToken`, used until the next sign-in. */
  private freshToken: string | null = null;
  private lastRefreshAt = -Infinity;
  private closed = false;
  /**
   * Rooms that must not connect yet: the body of a draft created offline, whose document the server
   * does not have until the outbox delivers its creation (it would refuse the room, 4403, and the
   * edits would be given up). Edits are stored and kept meanwhile; `unhold` connects.
   */
  private readonly held = new Set<string>();

  constructor(private readonly options: SyncClientOptions) {}

  /** Opens `room` (or shares the already open one); resolves once it is loaded from the replica, online or not. */
  async open(room: string): Promise<RoomSync> {
    if (this.closed) throw new ApiFailure('unavailable', errorText('sync.closed'));
    const existing = this.rooms.get(room);
    if (existing) {
      existing.users += 1;
      return existing.sync;
    }
    const pending = this.opening.get(room);
    if (pending) {
      const sync = await pending;
      const entry = this.rooms.get(room);
      if (entry) entry.users += 1;
      return sync;
    }
    const opened = this.create(room);
    this.opening.set(room, opened);
    try {
      return await opened;
    } finally {
      this.opening.delete(room);
    }
  }

  /** Keeps `room` from connecting until `unhold` (see `held`). */
  hold(room: string): void {
    this.held.add(room);
  }

  /** Lets a held room connect now: the open one at once, or one with unsent edits in the background. */
  async unhold(room: string): Promise<void> {
    if (!this.held.delete(room) || this.closed) return;
    const entry = this.rooms.get(room);
    if (entry) {
      entry.backoff.reset();
      this.connect(entry);
      return;
    }
    if ((await this.options.replica.unsyncedRooms()).includes(room)) {
      await this.open(room);
      await this.release(room);
    }
  }

  /** Releases one user of `room`; the last one closes it (its data stays in the replica). */
  async release(room: string): Promise<void> {
    const entry = this.rooms.get(room);
    if (!entry) return;
    entry.users = Math.max(0, entry.users - 1);
    if (entry.users > 0) return;
    // Edits made offline must not wait for the person to reopen the document: the room stays
    // connected in the background (reconnecting as usual) and closes once the server has them.
    if (entry.sync.needsBackgroundSync && !this.closed && !entry.denied) return;
    await this.closeEntry(entry);
  }

  /**
   * Opens in the background every room whose local edits the server may not have (edited offline
   * and closed, possibly in an earlier run); each closes by itself once synced.
   */
  async syncUnsyncedRooms(): Promise<void> {
    for (const room of await this.options.replica.unsyncedRooms()) {
      if (this.closed) return;
      if (this.rooms.has(room)) continue;
      await this.open(room);
      await this.release(room);
    }
  }

  private async closeEntry(entry: OpenRoom): Promise<void> {
    if (this.rooms.get(entry.sync.room) !== entry) return;
    this.rooms.delete(entry.sync.room);
    if (entry.timer) clearTimeout(entry.timer);
    await entry.sync.close();
    this.updateState();
  }

  /**
   * Whether `room`'s local edits have reached the server: true at once for a room that is not
   * open, else once it is synced (false after `timeoutMs`). The outbox asks this before sending a
   * workflow step, so 提交 never overtakes the edits made before it.
   */
  async roomSynced(room: string, timeoutMs: number): Promise<boolean> {
    let entry = this.rooms.get(room) ?? (this.opening.has(room) ? await this.opening.get(room)!.then(() => this.rooms.get(room)) : undefined);
    if (!entry) {
      if (!(await this.options.replica.unsyncedRooms()).includes(room)) return true;
      await this.open(room);
      await this.release(room);
      entry = this.rooms.get(room);
      if (!entry) return true;
    }
    if (entry.denied) return true;
    return entry.sync.whenSynced(timeoutMs);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get openRooms(): number {
    return this.rooms.size;
  }

  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a new sign-in: reconnect every room with the new token. */
  resume(): void {
    this.signedOut = false;
    this.freshToken = null;
    this.lastRefreshAt = -Infinity;
    for (const entry of this.rooms.values()) {
      entry.backoff.reset();
      this.connect(entry);
    }
  }

  /** Stops syncing (sign-out); rooms stay open and editable offline. */
  pause(): void {
    this.signedOut = true;
    for (const entry of this.rooms.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
      entry.sync.disconnect();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.rooms.values()];
    this.rooms.clear();
    for (const entry of all) if (entry.timer) clearTimeout(entry.timer);
    await Promise.all(all.map((entry) => entry.sync.close()));
    this.updateState();
  }

  private async create(room: string): Promise<RoomSync> {
    let entry: OpenRoom | null = null;
    const token = this.signedOut || this.held.has(room) ? null : this.currentToken();
    const unsynced = (await this.options.replica.unsyncedRooms()).includes(room);
    const sync = await RoomSync.open({
      unsynced,
      room,
      replica: this.options.replica,
      wsUrl: syncUrlOf(this.options.serverUrl),
      token,
      onStatus: () => this.updateState(),
      onSynced: () => {
        if (!entry) return;
        entry.backoff.reset();
        // A room kept open only to deliver offline edits closes once they are delivered.
        if (entry.users === 0) void this.closeEntry(entry);
      },
      onClosed: (code, status) => {
        if (entry) void this.handleClose(entry, code, status);
      },
      onChanged: (doc) => this.options.onRoomChanged?.(room, doc),
      onError: (error) => this.options.onError?.(error),
      onRefused: (reason) => this.options.onRoomRefused?.(room, reason),
    });
    entry = { sync, backoff: new Backoff(this.options.backoff), users: 1, timer: null, denied: false, token };
    this.rooms.set(room, entry);
    this.updateState();
    return sync;
  }

  private async handleClose(entry: OpenRoom, code: number | null, status: number | null): Promise<void> {
    if (this.closed || this.rooms.get(entry.sync.room) !== entry) return;
    if (isForbidden(code, status)) {
      entry.denied = true;
      this.options.onRoomDenied?.(entry.sync.room);
      // The server will not take this room's edits from this person: they stay in the replica,
      // but nothing waits for them any more (no background retries, no held-back commands).
      await this.options.replica.markRoomSynced(entry.sync.room, Number.MAX_SAFE_INTEGER).catch((error: unknown) => this.options.onError?.(error));
      entry.sync.giveUpWaiting();
      if (entry.users === 0) await this.closeEntry(entry);
      return;
    }
    if (isUnauthorized(code, status)) {
      // The server closes the sockets of tokens it revoked (4401). When the session has a newer token
      // already (the password was just changed here, or the token refreshed), only the old one ended.
      const current = this.currentToken();
      if (current && current !== entry.token) {
        this.scheduleReconnect(entry);
        return;
      }
      const refused = current;
      const fresh = await this.refresh(refused);
      if (fresh) {
        this.connect(entry);
        return;
      }
      if (!this.signedOut) {
        this.pause();
        const expired = errorText('auth.sessionExpired');
        this.options.onSignedOut(expired.message, expired);
      }
      return;
    }
    this.scheduleReconnect(entry);
  }

  /** One refresh at a time for all rooms; null when the token cannot be renewed. */
  private async refresh(refused: string | null): Promise<string | null> {
    if (this.signedOut || !this.options.refreshToken) return null;
    // One refresh per half minute at most: a server that refuses every new token must end in
    // "sign in again", not in a fast loop of refresh and refusal.
    if (!this.refreshing && Date.now() - this.lastRefreshAt < 30_000) return null;
    if (!this.refreshing) this.lastRefreshAt = Date.now();
    this.refreshing ??= this.options
      .refreshToken()
      .catch(() => null)
      .finally(() => {
        this.refreshing = null;
      });
    const fresh = await this.refreshing;
    // A "new" token equal to the refused one would loop: treat it as no token.
    if (!fresh || fresh === refused) return null;
    this.freshToken = fresh;
    return fresh;
  }

  private scheduleReconnect(entry: OpenRoom): void {
    if (entry.timer || this.signedOut) return;
    const timer = setTimeout(() => {
      entry.timer = null;
      this.connect(entry);
    }, entry.backoff.next());
    timer.unref();
    entry.timer = timer;
    this.updateState();
  }

  private connect(entry: OpenRoom): void {
    if (this.closed || this.signedOut || entry.denied || this.held.has(entry.sync.room)) return;
    const token = this.currentToken();
    if (!token) return;
    entry.token = token;
    entry.sync.connect(token);
  }

  private currentToken(): string | null {
    return this.freshToken ?? this.options.getToken();
  }

  private updateState(): void {
    const statuses: RoomStatus[] = [...this.rooms.values()].map((entry) => entry.sync.status);
    const next: ConnectionState = statuses.includes('connected') ? 'online' : statuses.includes('connecting') ? 'connecting' : 'offline';
    // Listeners also hear when the set of open rooms changes: with none open, others decide the state.
    if (next === this.stateValue && this.rooms.size === this.notifiedRooms) return;
    this.notifiedRooms = this.rooms.size;
    this.stateValue = next;
    for (const listener of [...this.listeners]) listener(next);
  }
}
