/**
 * One open Yjs room: its Y.Doc, loaded from the replica first (so it opens offline), and the
 * y-websocket provider that syncs it with the server. Every update — typed here or received —
 * is appended to the replica before anyone is told about it: a local edit's promise resolves only
 * once it is durable, and a remote update reaches listeners only after it is stored.
 */
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { RoomRefusalSchema, type RoomRefusal } from '../../../shared/api/offline.contract';
import type { ReplicaApi } from '../replica/protocol';
import { SyncSocket } from './syncSocket';
import { ApiFailure } from '../../../shared/api/result';
import { errorText } from '../../../shared/errors';

export type RoomStatus = 'connecting' | 'connected' | 'disconnected';

/** Origin of updates applied from the replica at open: already stored, not to be stored again. */
const LOADED = Symbol('loaded-from-replica');
/** Origin of updates applied through `applyLocal`: stored before being applied. */
const LOCAL = Symbol('local-durable');
/** Origin of presence changes from the renderer (relayed to the server, not back to the renderer). */
const LOCAL_PRESENCE = Symbol('local-presence');

export type RoomReplica = Pick<ReplicaApi, 'appendRoomUpdate' | 'loadRoom' | 'markRoomSynced' | 'unsyncedRooms'>;

export interface RoomSyncOptions {
  readonly room: string;
  readonly replica: RoomReplica;
  /** `ws://HOST:PORT/sync` */
  readonly wsUrl: string;
  readonly token: string | null;
  /** The replica says this room holds local edits the server may not have (from an earlier run). */
  readonly unsynced?: boolean;
  readonly onStatus: (status: RoomStatus) => void;
  /** The server closed or refused the connection; the sync client decides what happens next. */
  readonly onClosed: (code: number | null, httpStatus: number | null) => void;
  readonly onSynced: () => void;
  /** After each stored update (for the search index). */
  readonly onChanged: (doc: Y.Doc) => void;
  readonly onError: (error: unknown) => void;
  /** The server refused this person's edits (y-protocols' permission-denied message; see RoomRefusal). */
  readonly onRefused?: (reason: RoomRefusal) => void;
}

/** y-websocket's message type of y-protocols/auth, whose only message is permission-denied (0). */
const MESSAGE_AUTH = 2;

export class RoomSync {
  readonly doc = new Y.Doc();
  readonly room: string;
  private provider: WebsocketProvider | null = null;
  private writes: Promise<void> = Promise.resolve();
  private readonly remoteListeners = new Set<(update: Uint8Array) => void>();
  private readonly syncWaiters: ((synced: boolean) => void)[] = [];
  private statusValue: RoomStatus = 'disconnected';
  private closed = false;
  /** Awareness client ids the renderer announced through {@link applyLocalAwareness}. */
  private readonly localPresence = new Set<number>();
  /** Sequence number of the last local update stored. */
  private lastLocalSeq = 0;
  /** Local edits exist that no sync with the server has covered yet. */
  private unsyncedEdits: boolean;

  private constructor(private readonly options: RoomSyncOptions) {
    this.room = options.room;
    this.unsyncedEdits = options.unsynced ?? false;
  }

  /** Loads the room from the replica, then starts syncing (if there is a token). */
  static async open(options: RoomSyncOptions): Promise<RoomSync> {
    const room = new RoomSync(options);
    const stored = await options.replica.loadRoom(options.room);
    if (stored) Y.applyUpdate(room.doc, stored, LOADED);
    room.doc.on('update', room.onDocUpdate);
    room.provider = new WebsocketProvider(options.wsUrl, options.room, room.doc, {
      connect: false,
      params: { token: options.token ?? '' },
      WebSocketPolyfill: SyncSocket as unknown as typeof WebSocket,
      // Two windows (or two test clients) in one process must not sync through a shared channel
      // behind the server's back: everything goes through the server, or nothing does.
      disableBc: true,
      // Every close from the server goes to the sync client, which backs off with jitter,
      // refreshes the token or stops; the provider's own fixed schedule is not used.
      shouldReconnect: () => false,
    });
    // Main is not a participant of the room: the renderer's editor is, and announces its own presence.
    room.provider.awareness.setLocalState(null);
    // The stock handler only logs a refusal; the person must see it (their edits are not on the server).
    room.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) !== 0) return;
      const reason = RoomRefusalSchema.safeParse(decoding.readVarString(decoder));
      if (reason.success) options.onRefused?.(reason.data);
    };
    room.provider.on('status', ({ status }) => {
      room.statusValue = status;
      options.onStatus(status);
    });
    room.provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      // Our missing updates went to the server in reply to its state, so every update in the doc
      // now (including ones loaded from an earlier run) is covered; writes still queued are
      // applied to the doc after storing and go out live on this socket. Mark at the queue's end.
      room.unsyncedEdits = false;
      room.writes = room.writes.then(() => options.replica.markRoomSynced(options.room, Number.MAX_SAFE_INTEGER)).catch((error: unknown) => options.onError(error));
      for (const waiter of room.syncWaiters.splice(0)) waiter(true);
      options.onSynced();
    });
    room.provider.on('connection-close', (closeEvent) => {
      // Typed as the DOM's CloseEvent, which the Node build does not declare; `ws` supplies `code`.
      const event = closeEvent as { readonly code: number } | null;
      const socket = room.provider?.ws as SyncSocket | null | undefined;
      // The provider reports 'disconnected' only for sockets that had opened; a refused or failed
      // attempt would otherwise leave the room 'connecting' forever.
      if (room.statusValue !== 'disconnected') {
        room.statusValue = 'disconnected';
        options.onStatus('disconnected');
      }
      if (event) options.onClosed(event.code, socket?.rejectedStatus ?? null);
    });
    if (options.token) room.provider.connect();
    return room;
  }

  get status(): RoomStatus {
    return this.statusValue;
  }

  /** True while this device has edits to the room that no sync with the server has covered. */
  get hasUnsyncedEdits(): boolean {
    return this.unsyncedEdits;
  }

  /** Closing now could strand edits: they are unsynced and the socket is not live and synced. */
  get needsBackgroundSync(): boolean {
    return this.unsyncedEdits && !(this.provider?.wsconnected === true && this.provider.synced);
  }

  get synced(): boolean {
    return this.provider?.synced ?? false;
  }

  /**
   * Resolves true once the room is synced with the server — our updates were sent in reply to the
   * server's state — or false after `timeoutMs` (offline, or the server is slow).
   */
  whenSynced(timeoutMs: number): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const index = this.syncWaiters.indexOf(done);
        if (index >= 0) this.syncWaiters.splice(index, 1);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      const done = (synced: boolean): void => {
        clearTimeout(timer);
        resolve(synced);
      };
      this.syncWaiters.push(done);
    });
  }

  /** Ends every pending `whenSynced` (with false): the room will not sync (refused by the server). */
  giveUpWaiting(): void {
    for (const waiter of this.syncWaiters.splice(0)) waiter(false);
  }

  /** (Re)connects with `token`; no-op while connected. */
  connect(token: string): void {
    if (this.closed || !this.provider) return;
    this.provider.params = { token };
    this.provider.connect();
  }

  disconnect(): void {
    this.provider?.disconnect();
  }

  /**
   * A local edit (e.g. from the renderer's editor): stored in the replica, then applied to the
   * doc, which sends it to the server when connected. Resolves once it is durable.
   */
  async applyLocal(update: Uint8Array): Promise<void> {
    // A malformed update must be refused before it is stored: stored, it would break every later load.
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new ApiFailure('invalid_input', errorText('sync.invalidUpdate'));
    }
    const stored = this.enqueueWrite(update, true);
    await stored;
    if (!this.closed) Y.applyUpdate(this.doc, update, LOCAL);
  }

  /** Resolves when every update seen so far is stored in the replica. */
  flushed(): Promise<void> {
    return this.writes;
  }

  /** Remote updates, each delivered after it is stored. */
  onRemoteUpdate(listener: (update: Uint8Array) => void): () => void {
    this.remoteListeners.add(listener);
    return () => this.remoteListeners.delete(listener);
  }

  /** The renderer's presence (a y-protocols awareness update): the provider sends it on to the server. */
  applyLocalAwareness(update: Uint8Array): void {
    // The renderer's client ids: never relayed back to it, whatever the server echoes.
    for (const entry of decodeAwarenessClientIds(update)) this.localPresence.add(entry);
    if (this.provider) applyAwarenessUpdate(this.provider.awareness, update, LOCAL_PRESENCE);
  }

  /** Presence changes of everyone else, as awareness updates (the renderer's own are not echoed). */
  onRemoteAwareness(listener: (update: Uint8Array) => void): () => void {
    const awareness = this.provider?.awareness;
    if (!awareness) return () => undefined;
    const handler = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
      if (origin === LOCAL_PRESENCE) return;
      const changed = added.concat(updated, removed).filter((id) => id !== awareness.clientID && !this.localPresence.has(id));
      if (changed.length > 0) listener(encodeAwarenessUpdate(awareness, changed));
    };
    awareness.on('update', handler);
    // Who is here already, at once.
    const present = [...awareness.getStates().keys()].filter((id) => id !== awareness.clientID && !this.localPresence.has(id));
    if (present.length > 0) queueMicrotask(() => listener(encodeAwarenessUpdate(awareness, present)));
    return () => awareness.off('update', handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.syncWaiters.splice(0)) waiter(false);
    // Edits made while connected and synced went out over the live socket as they were made.
    const sentLive = this.provider?.wsconnected === true && this.provider.synced;
    this.provider?.destroy();
    this.provider = null;
    await this.writes;
    if (sentLive) await this.options.replica.markRoomSynced(this.room, this.lastLocalSeq).catch((error: unknown) => this.options.onError(error));
    this.doc.off('update', this.onDocUpdate);
    this.doc.destroy();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOADED || origin === LOCAL) {
      if (origin === LOCAL) this.options.onChanged(this.doc);
      return;
    }
    const remote = origin === this.provider;
    void this.enqueueWrite(update, !remote).then(() => {
      if (remote) for (const listener of this.remoteListeners) listener(update);
    });
  };

  /** Appends in arrival order; a failed write is reported and does not block later ones. */
  private enqueueWrite(update: Uint8Array, local: boolean): Promise<void> {
    if (local) this.unsyncedEdits = true;
    const write = this.writes.then(async () => {
      const { seq } = await this.options.replica.appendRoomUpdate(this.room, update, local);
      if (local) this.lastLocalSeq = seq;
      this.options.onChanged(this.doc);
    });
    this.writes = write.catch((error: unknown) => this.options.onError(error));
    return write;
  }
}

/** The client ids of a y-protocols awareness update (`[count]{[clientId][clock][state]}`); throws when malformed. */
function decodeAwarenessClientIds(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
    decoding.readVarString(decoder);
  }
  return ids;
}
