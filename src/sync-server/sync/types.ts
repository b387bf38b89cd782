/**
 * The seams of the sync service: where room updates are stored, how instances tell each other
 * about updates, who the connected person is, and where logs go. SERVER composes the service
 * from its own handles; tests and the benchmark plug the adapters in this folder.
 */
import type { RoomName } from '../../shared/rooms';

/** The person behind a connection, as `authenticate` resolved them from the token. */
export interface SyncUser {
  id: string;
}

/** Who a person is in a room's presence, as the server stamps it (`SyncServiceOptions.presenceOf`). */
export interface PresenceIdentity {
  id: string;
  name: string;
  /** A CSS colour for the person's cursor. */
  color: string;
}

/** What a person may do in a room: decided at connect time, and again whenever the room's access changes. */
export type RoomAccess = 'write' | 'read' | 'none';

/** One update waiting to be stored. */
export interface RoomUpdateEntry {
  room: RoomName;
  update: Uint8Array;
}

/**
 * Persistence of Yjs updates as append-only rows per room (the AFFiNE layout): appends are cheap,
 * and `compact` merges a room's rows into one inside a transaction.
 */
export interface RoomUpdateStore {
  /** Every stored update of the room, oldest first (empty when the room is new). */
  load(room: RoomName): Promise<Uint8Array[]>;
  /** Stores updates of one or several rooms atomically: all of them or none. */
  appendBatch(entries: readonly RoomUpdateEntry[]): Promise<void>;
  /**
   * The same, finished when it returns (throws on failure), for stores whose commit is a local
   * write: the writer then relays in the same turn as the receive, without a round trip through
   * the event loop.
   */
  appendBatchSync?(entries: readonly RoomUpdateEntry[]): void;
  /**
   * True while `appendBatchSync` costs about a memory copy (a memory-mapped journal): the writer
   * then commits every update as it is read and relays it at once, instead of gathering the
   * updates of one event-loop turn into one commit.
   */
  readonly immediateCommits?: boolean;
  /** How many rows the room has (the compaction trigger). */
  count(room: RoomName): Promise<number>;
  /**
   * Replaces the room's rows by `merge(rows)` in one transaction; rows appended concurrently are
   * kept. Returns how many rows were merged.
   */
  compact(room: RoomName, merge: (updates: Uint8Array[]) => Uint8Array): Promise<number>;
}

/** Fan-out of room traffic between server instances (Redis pub/sub in production). */
export interface RoomPubSub {
  /** Starts receiving the room's messages; resolves once the subscription is active. */
  subscribe(room: RoomName, onMessage: (message: Uint8Array) => void): Promise<void>;
  /** Stops receiving the room's messages. */
  unsubscribe(room: RoomName): Promise<void>;
  /** Sends a message to every instance subscribed to the room (this one included). */
  publish(room: RoomName, message: Uint8Array): Promise<void>;
}

/** Structured logger (pino-compatible shape); the default writes JSON lines to stderr. */
export interface SyncLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Per-connection and per-room limits. */
export interface SyncLimits {
  /** Largest accepted WebSocket message; larger ones close the connection with 1009. Default 8 MiB. */
  maxMessageBytes?: number;
  /** Sustained messages per second one connection may send. Default 200. */
  messagesPerSecond?: number;
  /** Messages a connection may send in a burst above the sustained rate. Default 1000. */
  burst?: number;
  /** How long a room with no connection stays in memory. Default 30 s. */
  idleUnloadMs?: number;
  /** Rows after which a room is compacted in the background. Default 1000. */
  compactAfterUpdates?: number;
  /**
   * Least time between two group commits. An update on a quiet server is committed at once; under
   * load, updates wait up to this long and share one transaction. Default 0: commit in the next
   * turn of the event loop (updates read from sockets in the same turn still share a commit).
   */
  commitIntervalMs?: number;
  /** Bytes queued for a slow client before it is disconnected. Default 64 MiB. */
  maxBufferedBytes?: number;
}
