/**
 * What every route module receives: `registerXxxRoutes(router, deps)`. Add to it only what several
 * modules share; a module's own services it builds itself from `db`.
 */
import type { Accounts } from './accounts/accounts';
import type { UpgradeRoutes } from './http/upgrades';
import type { Logger } from './log';
import type { MetricsRegistry } from './metrics';
import type { RoomPolicies } from './rooms/policy';
import type { RoomName } from '../shared/rooms';
import type { Database } from './store/database';
import type { MessagingLimits } from './messaging/limits';
import type { ExchangeConfigInput } from './exchange/config';

export interface ServerDeps {
  /** The store (SQLite or PostgreSQL), migrations already applied. */
  db: Database;
  /** People, units, sessions, trusted roots. */
  accounts: Accounts;
  /** Register a room kind's access rule here (`rooms.register('doc', rule)`). */
  rooms: RoomPolicies;
  metrics: MetricsRegistry;
  log: Logger;
  /** The server's data folder (blobs and demo files live under it). */
  dataDir: string;
  /** The clock (tests move it). */
  now: () => number;
  /**
   * A Yjs room's stored updates, oldest first, from the sync service's room store (its SQLite
   * journal included, which the `sync_room_updates` table alone lacks for a fraction of a second).
   */
  loadRoomUpdates: (room: RoomName) => Promise<Uint8Array[]>;
  /** WebSocket endpoints of modules (`/chat`); the Yjs rooms keep `/sync/`. */
  upgrades: UpgradeRoutes;
  /** Redis between instances (PostgreSQL deployments): its URL and the prefix of every channel. */
  redis?: { url: string; prefix: string };
  /** Messaging limits (message rate, …); defaults in messaging/limits.ts. */
  messagingLimits?: Partial<MessagingLimits>;
  /** 公文交换 settings from the server config (deadlines, calendar, CRL URLs); defaults in exchange/config.ts. */
  exchange?: ExchangeConfigInput;
}
