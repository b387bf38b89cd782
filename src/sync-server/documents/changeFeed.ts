/**
 * "Something changed for you": the long-poll that keeps 待办, 发文, 收文 and 交换 lists live.
 *
 * Every change to a document or an exchange item takes the next number of one counter inside its
 * transaction (documents-002). A client asks for what changed after the cursor it holds; the answer
 * lists the ids to refetch and a new cursor. Waiting is bounded: the request returns when this
 * instance commits a change or, for changes made by other instances, at the next one-second check,
 * and at the latest after `wait` seconds.
 */
import { EventEmitter } from 'node:events';
import type { AccountUser } from '../../shared/http/auth';
import type { Database } from '../store/database';
import type { Actor } from '../../shared/domain/documents';

export interface ChangeBatch {
  readonly cursor: number;
  readonly documents: string[];
  readonly exchange: string[];
}

const feeds = new WeakMap<Database, ChangeFeed>();

/** The one feed of a store (the documents and exchange modules share it). */
export function changeFeedFor(db: Database): ChangeFeed {
  let feed = feeds.get(db);
  if (!feed) {
    feed = new ChangeFeed(db);
    feeds.set(db, feed);
  }
  return feed;
}

export class ChangeFeed {
  private readonly events = new EventEmitter();

  constructor(private readonly db: Database) {
    // Every waiting request listens; there is no leak to warn about.
    this.events.setMaxListeners(0);
  }

  private closed = false;

  /**
   * The server is stopping: every waiting request answers "nothing new" at once and later ones do
   * not wait, so none of them reads the store after it has closed.
   */
  close(): void {
    this.closed = true;
    this.events.emit('change');
  }

  /** Call after a transaction that changed documents or exchange items has committed. */
  notify(): void {
    this.events.emit('change');
  }

  private async current(): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT n FROM document_change_counter WHERE id = 1');
    return Number(row?.n ?? 0);
  }

  /** What changed after `since` that concerns `user` (acting also for `actor.delegators`). */
  async read(user: AccountUser, actor: Actor, since: number): Promise<ChangeBatch> {
    // Read the counter first: everything numbered up to it has committed (see the migration).
    const head = await this.current();
    const ids = [actor.id, ...(actor.delegators ?? []).map((d) => d.id)];
    const docs = await this.db.all<{ id: string; change_seq: number }>(
      `SELECT id, change_seq FROM documents d WHERE d.change_seq > ? AND (
         (d.unit_id = ? AND (d.state <> 'draft' OR d.created_by = ? OR d.id IN (SELECT document_id FROM document_co_drafters WHERE user_id = ?)))
         OR d.id IN (SELECT document_id FROM document_todo WHERE user_id IN (${ids.map(() => '?').join(', ')}))
         OR d.id IN (SELECT document_id FROM document_acted WHERE user_id = ?)
       ) ORDER BY change_seq LIMIT 500`,
      [since, user.unitId, user.id, user.id, ...ids, user.id],
    );
    const items = await this.db.all<{ id: string; change_seq: number }>(
      'SELECT id, change_seq FROM exchange_items WHERE change_seq > ? AND (to_unit_id = ? OR from_unit_id = ?) ORDER BY change_seq LIMIT 500',
      [since, user.unitId, user.unitId],
    );
    const seen = [...docs, ...items].map((r) => Number(r.change_seq));
    // With 500 rows or more, continue from the last one returned rather than skipping ahead.
    const truncated = docs.length === 500 || items.length === 500;
    const cursor = truncated ? Math.min(...[docs, items].filter((l) => l.length === 500).map((l) => Number(l[l.length - 1]!.change_seq))) : Math.max(head, since, ...seen);
    return {
      cursor,
      documents: [...new Set(docs.filter((r) => !truncated || Number(r.change_seq) <= cursor).map((r) => r.id))],
      exchange: [...new Set(items.filter((r) => !truncated || Number(r.change_seq) <= cursor).map((r) => r.id))],
    };
  }

  /**
   * Like `read`, but when nothing concerns the caller yet, waits up to `waitMs` for something that
   * does. Without `since` it only answers the current cursor (start here after loading the lists).
   */
  async wait(user: AccountUser, actor: Actor, since: number | undefined, waitMs: number): Promise<ChangeBatch> {
    if (since === undefined) return { cursor: await this.current(), documents: [], exchange: [] };
    const deadline = Date.now() + Math.max(0, waitMs);
    for (let round = 0; round < 60; round++) {
      if (this.closed) return { cursor: since, documents: [], exchange: [] };
      const batch = await this.read(user, actor, since);
      if (batch.documents.length > 0 || batch.exchange.length > 0) return batch;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return batch;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1000));
        const events = this.events;
        function done() {
          clearTimeout(timer);
          events.off('change', done);
          resolve();
        }
        events.on('change', done);
      });
    }
    return this.read(user, actor, since);
  }
}
