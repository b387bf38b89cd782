/**
 * Room updates in PostgreSQL, for several instances behind one address. A group commit is one
 * multi-row INSERT (one round trip, atomic); compaction takes a per-room advisory lock so two
 * instances never merge the same room at once.
 */
import pg from 'pg';

import type { RoomName } from '../../shared/rooms';
import type { RoomUpdateEntry, RoomUpdateStore } from './types';

/** Options of {@link PostgresRoomUpdateStore}. */
export interface PostgresRoomUpdateStoreOptions {
  /** Schema holding the table (default: the connection's search_path). */
  schema?: string;
}

/** {@link RoomUpdateStore} on PostgreSQL. Takes a pg Pool or a connection URL. */
export class PostgresRoomUpdateStore implements RoomUpdateStore {
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly table: string;
  private ready: Promise<void> | null = null;

  constructor(pool: pg.Pool | string, options: PostgresRoomUpdateStoreOptions = {}) {
    this.ownsPool = typeof pool === 'string';
    this.pool = typeof pool === 'string' ? new pg.Pool({ connectionString: pool, max: 4 }) : pool;
    this.table = options.schema ? `${quoteIdent(options.schema)}.sync_room_updates` : 'sync_room_updates';
  }

  /** Creates the table and index if missing; every other method calls it first. */
  migrate(): Promise<void> {
    this.ready ??= this.pool
      .query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (seq BIGSERIAL PRIMARY KEY, room TEXT NOT NULL, data BYTEA NOT NULL);
         CREATE INDEX IF NOT EXISTS sync_room_updates_room ON ${this.table} (room, seq);`,
      )
      .then(() => undefined)
      .catch((error: unknown) => {
        this.ready = null;
        throw error;
      });
    return this.ready;
  }

  async load(room: RoomName): Promise<Uint8Array[]> {
    await this.migrate();
    const result = await this.pool.query<{ data: Buffer }>(`SELECT data FROM ${this.table} WHERE room = $1 ORDER BY seq`, [room]);
    return result.rows.map((row) => new Uint8Array(row.data));
  }

  async appendBatch(entries: readonly RoomUpdateEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.migrate();
    await this.pool.query(`INSERT INTO ${this.table} (room, data) SELECT * FROM unnest($1::text[], $2::bytea[])`, [
      entries.map((entry) => entry.room),
      entries.map((entry) => Buffer.from(entry.update.buffer, entry.update.byteOffset, entry.update.byteLength)),
    ]);
  }

  async count(room: RoomName): Promise<number> {
    await this.migrate();
    const result = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table} WHERE room = $1`, [room]);
    return Number(result.rows[0]?.n ?? 0);
  }

  async compact(room: RoomName, merge: (updates: Uint8Array[]) => Uint8Array): Promise<number> {
    await this.migrate();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sync_room_updates:${room}`]);
      const rows = (await client.query<{ seq: string; data: Buffer }>(`SELECT seq, data FROM ${this.table} WHERE room = $1 ORDER BY seq`, [room])).rows;
      if (rows.length < 2) {
        await client.query('COMMIT');
        return rows.length;
      }
      const last = rows[rows.length - 1]!.seq;
      const merged = merge(rows.map((row) => new Uint8Array(row.data)));
      await client.query(`DELETE FROM ${this.table} WHERE room = $1 AND seq <= $2`, [room, last]);
      await client.query(`INSERT INTO ${this.table} (seq, room, data) VALUES ($1, $2, $3)`, [last, room, Buffer.from(merged)]);
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Ends the pool if this store created it. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
