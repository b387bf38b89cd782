/**
 * Yjs rooms over the standard y-websocket protocol, for SERVER to mount at `/sync/<room>`.
 * See docs/sync.md.
 */
export { createSyncService, jsonLogger } from './service';
export type { SyncService, SyncServiceOptions } from './service';
export { SqliteRoomUpdateStore } from './sqliteStore';
export type { SqliteRoomUpdateStoreOptions } from './sqliteStore';
export { PostgresRoomUpdateStore } from './postgresStore';
export type { PostgresRoomUpdateStoreOptions } from './postgresStore';
export { RedisRoomPubSub } from './redisPubSub';
export type { RedisRoomPubSubOptions } from './redisPubSub';
export { applyAll, compactUpdates } from './compaction';
export type { PresenceIdentity, RoomAccess, RoomPubSub, RoomUpdateEntry, RoomUpdateStore, SyncLimits, SyncLogger, SyncUser } from './types';
