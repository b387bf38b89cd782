/**
 * One Yjs room in memory: its document, its awareness, the connections in it, and the rule that
 * nothing reaches another client before it is committed to the store.
 *
 * Every update a client sends is applied to the in-memory document at once (which validates it
 * and drops duplicates), queued for a group commit, and only broadcast — to local clients and,
 * through pub/sub, to other instances — once its transaction committed. What is stored and relayed
 * is the update as the client sent it: re-encoding what the document integrated (what Yjs does for
 * its 'update' event) cost about as much CPU as applying it (measured: 7.6 against 4.2 µs per
 * small edit), and an update that also holds something the document already had is as good for
 * every replica and for the store, since applying an update twice changes nothing. Answers to a client's
 * sync step 1 are computed immediately but held back until every update they may contain has
 * been committed, so a client can never hold content the server could lose in a crash.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

import type { RoomName } from '../../shared/rooms';
import { applyAll } from './compaction';
import { type AwarenessEntry, decodeAwarenessEntries, encodeAwarenessEntries, isRemoval } from './awarenessEntries';
import type { GroupCommitWriter } from './groupCommit';
import type { SyncMetrics } from './metrics';
import {
  type AwarenessOwner,
  decodePeerMessage,
  encodeAwareness,
  encodePeerMessage,
  type PeerMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from './protocol';
import type { RoomPubSub, RoomUpdateStore, SyncLogger } from './types';

/** A client connection as the room sees it. */
export interface RoomConnection {
  /**
   * Sends one binary message (dropped when the connection is no longer open). A broadcast passes
   * the same `shared` object for every recipient, so the message is framed once.
   */
  send(data: Uint8Array, shared?: SharedFrame): void;
  /** The signed-in person behind the connection (from the token). */
  readonly userId: string;
}

/** A message's wire frame, made by the first recipient's send and reused by the others. */
export interface SharedFrame {
  frame?: Uint8Array;
}

/** What every room of one service shares. */
export interface RoomContext {
  store: RoomUpdateStore;
  writer: GroupCommitWriter;
  pubsub: RoomPubSub | undefined;
  instanceId: string;
  metrics: SyncMetrics;
  log: SyncLogger;
  compactAfterUpdates: number;
  /** The room has enough rows to be worth compacting. */
  compactionDue(room: Room): void;
  /** A commit of this room's updates failed: its memory no longer matches the store. */
  persistFailed(room: Room): void;
  /** Another instance changed who may write here: re-decide every connection's access. */
  accessChanged(room: Room): void;
  /**
   * Rewrites the identity fields of a presence state (the raw JSON of one awareness entry) to the
   * connection's person; absent when the service does not stamp presence.
   */
  stampPresence: ((conn: RoomConnection, state: Uint8Array) => Uint8Array) | undefined;
  /**
   * A connection's update advanced Yjs clients this room had not seen advanced by anyone yet: the
   * connection's person authored them (修订痕迹 attributes text by client). Absent when not recorded.
   */
  clientsAuthored: ((room: Room, conn: RoomConnection, clientIds: number[]) => void) | undefined;
}

/** Origin of changes that came from another instance (already durable there). */
const REMOTE = Symbol('remote');
/** Origin of the state read from the store at load time. */
const LOADED = Symbol('loaded');

/** A loaded (or loading) room. */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly conns = new Set<RoomConnection>();
  /**
   * Which connection announced each awareness client id. Presence is bound to the person who
   * announced it: nobody else can overwrite or remove it (see {@link applyClientAwareness}).
   */
  private readonly awarenessOwners = new Map<number, RoomConnection>();
  /**
   * The person behind each live state announced through another instance. A person who
   * reconnects through this instance may take their id over at once, rather than stay invisible
   * here until the other instance notices the old connection gone.
   */
  private readonly remoteOwners = new Map<number, string>();
  ready = false;
  failed = false;
  storedRows = 0;
  unloadTimer: NodeJS.Timeout | undefined;
  private enqueued = 0;
  private committed = 0;
  private waiters: Array<{ seq: number; run: () => void }> = [];
  private peerBacklog: Uint8Array[] | null = [];
  /** Yjs clients already reported to {@link RoomContext.clientsAuthored} (or loaded from the store). */
  private readonly authoredClients = new Set<number>();
  /** The transaction of the update being applied (set after it; see {@link apply}), else null. */
  private lastTransaction: Y.Transaction | null = null;

  constructor(
    readonly name: RoomName,
    private readonly ctx: RoomContext,
  ) {
    // The room name as guid: without one Yjs draws a random UUID per document (31 calls into the
    // CSPRNG, a measurable share of loading a thousand rooms), and the server never needs it.
    this.doc = new Y.Doc({ guid: name });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server is not a participant: it must not announce an awareness state of its own.
    this.awareness.setLocalState(null);
  }

  /** Subscribes to other instances first, then reads the store, so no update falls in between. */
  async load(): Promise<void> {
    const { pubsub, store } = this.ctx;
    if (pubsub) await pubsub.subscribe(this.name, (message) => this.onPeerMessage(message));
    const updates = await store.load(this.name);
    if (updates.length > 0) applyAll(this.doc, updates, LOADED);
    // Clients already in the store were attributed when their content first arrived.
    if (this.ctx.clientsAuthored) for (const client of this.doc.store.clients.keys()) this.authoredClients.add(client);
    this.storedRows = updates.length;
    this.doc.on('afterTransaction', this.onAfterTransaction);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.ready = true;
    const backlog = this.peerBacklog ?? [];
    this.peerBacklog = null;
    for (const message of backlog) this.onPeerMessage(message);
    // Ask the other instances for the awareness of their clients instead of waiting for renewals.
    this.publish({ kind: 'queryAwareness', from: this.ctx.instanceId });
    if (this.storedRows >= this.ctx.compactAfterUpdates) this.ctx.compactionDue(this);
  }

  /** The first messages of the protocol: the server's state vector and everyone's awareness. */
  greet(conn: RoomConnection): void {
    // The service corks the socket around this, so both messages leave in one write.
    conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.awareness.getStates().size > 0) {
      conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
    }
  }

  /** Answers a client's sync step 1 once everything the answer contains is durable. */
  answerStep1(conn: RoomConnection, stateVector: Uint8Array): void {
    const message = encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
    if (this.committed === this.enqueued) conn.send(message);
    else this.waiters.push({ seq: this.enqueued, run: () => conn.send(message) });
  }

  /**
   * Applies a client's update and, if it changed the document, commits and then relays it; throws
   * when it is not a valid Yjs update.
   */
  applyClientUpdate(conn: RoomConnection, update: Uint8Array): void {
    // Every client answers the server's sync step 1 with the empty update when it has nothing
    // new: two zero bytes (no structs, empty delete set) that would change nothing.
    if (update.length === 2 && update[0] === 0 && update[1] === 0) return;
    const { change, error } = this.apply(update, conn);
    if (change) this.commitThenRelay(change, conn);
    if (error) throw error;
  }

  /**
   * Applies an update to the document. `change` is what to store and relay: the update itself
   * when it changed the document (or what the document holds back until an update it depends on
   * arrives), nothing when it changed nothing (a duplicate). `error` is set when the update is
   * not valid; if its structs were integrated before a malformed tail threw, that part is in the
   * document now, so it is the change all the same (encoded from the document, as the received
   * bytes are not a valid update).
   */
  private apply(update: Uint8Array, origin: RoomConnection | typeof REMOTE): { change?: Uint8Array; error?: Error } {
    const store = this.doc.store;
    const pendingStructs = store.pendingStructs?.update;
    const pendingDs = store.pendingDs;
    this.lastTransaction = null;
    let error: Error | undefined;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown : new Error(String(thrown));
    }
    const transaction = this.lastTransaction as Y.Transaction | null;
    this.lastTransaction = null; // not kept beyond this call: an idle room holds no transaction
    const changed =
      (transaction !== null && transactionChanged(transaction)) ||
      store.pendingStructs?.update !== pendingStructs ||
      store.pendingDs !== pendingDs;
    if (changed && transaction && origin !== REMOTE && this.ctx.clientsAuthored) this.noteAuthors(transaction, origin);
    if (!error) return changed ? { change: update } : {};
    if (!changed || !transaction) return { error };
    return { change: Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(transaction.beforeState)), error };
  }

  /** Reports the clients whose clocks this connection's update advanced first (one check per client). */
  private noteAuthors(transaction: Y.Transaction, conn: RoomConnection): void {
    let fresh: number[] | undefined;
    for (const [client, clock] of transaction.afterState) {
      if (this.authoredClients.has(client) || transaction.beforeState.get(client) === clock) continue;
      this.authoredClients.add(client);
      (fresh ??= []).push(client);
    }
    if (fresh) this.ctx.clientsAuthored?.(this, conn, fresh);
  }

  /**
   * Applies a client's awareness update; throws when malformed. Entries for a client id another
   * person announced (a live state from someone else, here or on another instance) are dropped,
   * so nobody can impersonate or hide anyone else's presence; returns how many of the dropped
   * ones would have changed something (the rest are echoes).
   * The same person on a new connection (a reconnect before the old socket was noticed gone,
   * here or on another instance) takes the id over.
   */
  applyClientAwareness(conn: RoomConnection, update: Uint8Array): number {
    const entries = decodeAwarenessEntries(update);
    let dropped = 0;
    let changed = false;
    const allowed = entries.filter((entry) => {
      if (this.mayAnnounce(conn, entry)) return true;
      // Stock clients echo every state they receive back to the server; an entry no newer than
      // what the room holds changes nothing and is left out quietly.
      if (this.wouldChange(entry)) dropped += 1;
      changed = true;
      return false;
    });
    // Ids taken over from another instance by a state that changes nothing there (a reconnect
    // re-sends its state as it was): y-protocols raises no event for them, but that instance must
    // still learn the id moved, or closing the old connection there would remove the presence.
    const stamp = this.ctx.stampPresence;
    if (stamp) {
      // Whatever the client claims to be is replaced by who the connection is.
      for (const entry of allowed) if (!isRemoval(entry)) entry.state = stamp(conn, entry.state);
      changed = true;
    }
    const movedQuietly: number[] = [];
    for (const entry of allowed) {
      if (this.remoteOwners.delete(entry.clientId) && !isRemoval(entry) && !this.isNewer(entry)) movedQuietly.push(entry.clientId);
      if (isRemoval(entry)) {
        if (this.awarenessOwners.get(entry.clientId) === conn) this.awarenessOwners.delete(entry.clientId);
      } else this.awarenessOwners.set(entry.clientId, conn);
    }
    if (allowed.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, changed ? encodeAwarenessEntries(allowed) : update, conn);
    if (movedQuietly.length > 0) this.publishAwareness(movedQuietly, conn.userId);
    return dropped;
  }

  /**
   * Whether the connection may set this client id's presence: its own id, an id nobody holds, or
   * the same person's id taken over by a reconnect. A takeover needs a newer state, or a
   * connection that has announced nothing yet (a reconnecting client first re-sends its state as
   * it was): the echo of the person's other window, which already announced its own id, is not
   * one — otherwise closing that window would take the first one's presence with it.
   */
  private mayAnnounce(conn: RoomConnection, entry: AwarenessEntry): boolean {
    const owner = this.awarenessOwners.get(entry.clientId);
    if (owner === conn) return true;
    const ownerUserId = owner ? owner.userId : this.remoteOwners.get(entry.clientId);
    if (ownerUserId === undefined) return !this.awareness.getStates().has(entry.clientId);
    if (ownerUserId !== conn.userId) return false;
    return this.isNewer(entry) || this.ownedBy(conn).length === 0;
  }

  private isNewer(entry: AwarenessEntry): boolean {
    return (this.awareness.meta.get(entry.clientId)?.clock ?? -1) < entry.clock;
  }

  /** Whether y-protocols would apply the entry (a newer clock, or a removal of a live state). */
  private wouldChange(entry: AwarenessEntry): boolean {
    const clock = this.awareness.meta.get(entry.clientId)?.clock ?? -1;
    return clock < entry.clock || (clock === entry.clock && isRemoval(entry) && this.awareness.getStates().has(entry.clientId));
  }

  /** Every awareness state, for a client's query. */
  sendAllAwareness(conn: RoomConnection): void {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length > 0) conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
  }

  /** Forgets a departed connection's awareness states (telling everyone). */
  removeConnection(conn: RoomConnection): void {
    this.conns.delete(conn);
    const ids = this.ownedBy(conn);
    for (const id of ids) this.awarenessOwners.delete(id);
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, conn);
  }

  /** The awareness client ids a connection announced (usually one). */
  private ownedBy(conn: RoomConnection): number[] {
    const ids: number[] = [];
    for (const [id, owner] of this.awarenessOwners) if (owner === conn) ids.push(id);
    return ids;
  }

  /** True when nothing is connected and nothing waits to be committed. */
  isIdle(): boolean {
    return this.conns.size === 0 && this.committed === this.enqueued;
  }

  /** Releases memory and the subscription. The room must not be used afterwards. */
  unload(): void {
    clearTimeout(this.unloadTimer);
    this.ready = false;
    this.doc.off('afterTransaction', this.onAfterTransaction);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.waiters = [];
    if (this.ctx.pubsub) {
      this.ctx.pubsub.unsubscribe(this.name).catch((error: unknown) => {
        this.ctx.log.warn({ room: this.name, err: String(error) }, 'sync: unsubscribe failed');
      });
    }
  }

  private broadcast(message: Uint8Array, except: unknown): void {
    const shared: SharedFrame = {};
    for (const conn of this.conns) if (conn !== except) conn.send(message, shared);
  }

  /** Tells the other instances, if there are any (the frame is only encoded then). */
  private publish(message: PeerMessage): void {
    const pubsub = this.ctx.pubsub;
    if (!pubsub) return;
    this.ctx.metrics.pubsubMessagesOut += 1;
    pubsub.publish(this.name, encodePeerMessage(message)).catch((error: unknown) => {
      this.ctx.log.warn({ room: this.name, err: String(error) }, 'sync: publish failed');
    });
  }

  private readonly onAfterTransaction = (transaction: Y.Transaction): void => {
    this.lastTransaction = transaction;
  };

  /** Queues a client's change for the group commit; once it is durable, everyone else gets it. */
  private commitThenRelay(update: Uint8Array, origin: RoomConnection): void {
    const seq = ++this.enqueued;
    this.ctx.writer.enqueue({ room: this.name, update }, (error) => {
      if (this.failed) return;
      if (error) {
        this.failed = true;
        this.ctx.persistFailed(this);
        return;
      }
      this.committed = seq;
      this.storedRows += 1;
      if (!this.ready) return; // unloaded meanwhile: nobody left to tell
      this.broadcast(encodeSyncUpdate(update), origin);
      this.publish({ kind: 'update', from: this.ctx.instanceId, payload: update });
      if (this.waiters.length > 0) this.releaseWaiters();
      if (this.storedRows === this.ctx.compactAfterUpdates) this.ctx.compactionDue(this);
    });
  }

  private releaseWaiters(): void {
    let released = 0;
    while (released < this.waiters.length && this.waiters[released]!.seq <= this.committed) {
      this.waiters[released]!.run();
      released += 1;
    }
    if (released > 0) this.waiters = this.waiters.slice(released);
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    // Expired states ('timeout') and states removed on another instance free their ids here too.
    if (!this.conns.has(origin as RoomConnection)) {
      for (const id of removed) {
        this.awarenessOwners.delete(id);
        this.remoteOwners.delete(id);
      }
    }
    const payload = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    this.broadcast(encodeAwareness(payload), origin);
    // Our clients' changes (and departures) go to the other instances, named with the person who
    // made them; theirs came from there, and expiries ('timeout') happen on every instance by itself.
    if (origin !== REMOTE && origin !== 'timeout') this.publishAwareness(changed, (origin as RoomConnection).userId, payload);
  };

  /** Tells the other instances the current state of these ids, announced by this person. */
  private publishAwareness(ids: number[], userId: string, payload?: Uint8Array): void {
    if (!this.ctx.pubsub) return;
    this.publish({
      kind: 'awareness',
      from: this.ctx.instanceId,
      payload: payload ?? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids),
      owners: ids.map((id): AwarenessOwner => [id, userId]),
    });
  }

  /**
   * Applies presence announced through another instance. An entry for an id a person here holds
   * is taken as theirs having moved there only when it is the same person (a reconnect through
   * the other instance); anyone else's is dropped and counted.
   */
  private applyPeerAwareness(payload: Uint8Array, owners: readonly AwarenessOwner[]): void {
    const ownerOf = new Map(owners);
    const entries = decodeAwarenessEntries(payload);
    const kept = entries.filter((entry) => {
      const local = this.awarenessOwners.get(entry.clientId);
      const userId = ownerOf.get(entry.clientId);
      if (local && local.userId !== userId) {
        this.ctx.metrics.awarenessEntriesRejected += 1;
        return false;
      }
      this.awarenessOwners.delete(entry.clientId);
      if (isRemoval(entry) || userId === undefined) this.remoteOwners.delete(entry.clientId);
      else this.remoteOwners.set(entry.clientId, userId);
      return true;
    });
    if (kept.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, kept.length === entries.length ? payload : encodeAwarenessEntries(kept), REMOTE);
  }

  private onPeerMessage(data: Uint8Array): void {
    if (this.peerBacklog) {
      this.peerBacklog.push(data);
      return;
    }
    if (!this.ready) return;
    const message = decodePeerMessage(data);
    if (!message || message.from === this.ctx.instanceId) return;
    this.ctx.metrics.pubsubMessagesIn += 1;
    try {
      if (message.kind === 'update') {
        // Committed by the instance that received it; only our own clients still need it.
        const { change, error } = this.apply(message.payload, REMOTE);
        if (change) this.broadcast(encodeSyncUpdate(change), null);
        if (error) throw error;
      } else if (message.kind === 'awareness') this.applyPeerAwareness(message.payload, message.owners ?? []);
      else if (message.kind === 'access') this.ctx.accessChanged(this);
      else this.publishLocalAwareness();
    } catch (error) {
      this.ctx.log.warn({ room: this.name, err: String(error) }, 'sync: bad message from another instance ignored');
    }
  }

  private publishLocalAwareness(): void {
    if (this.awarenessOwners.size === 0) return;
    const owners = [...this.awarenessOwners].map(([id, conn]): AwarenessOwner => [id, conn.userId]);
    const payload = awarenessProtocol.encodeAwarenessUpdate(
      this.awareness,
      owners.map(([id]) => id),
    );
    this.publish({ kind: 'awareness', from: this.ctx.instanceId, payload, owners });
  }
}

/** Whether a transaction changed the document: something deleted, or some client's clock advanced. */
function transactionChanged(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}
