/**
 * The client's local replica: one SQLite file (WAL) holding what the person has seen and done —
 * documents as the server returned them, Yjs room updates, blob references, the directory, message
 * history and the outbox — plus blobs as files beside it. Synchronous by design: it runs inside the
 * replica worker (./worker.ts), the one writer, and main reaches it through ./replica.ts.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as Y from 'yjs';
import {
  ReplicaDocumentSchema,
  StoredMessageSchema,
  type BoxCursor,
  type BoxPage,
  type DocumentHit,
  type DocumentSummary,
  type MessageHit,
  type OutboxCommand,
  type OutboxEntry,
  type OutboxStatus,
  type StoredMessage,
} from '../../../shared/api/offline.contract';
import { messagePreviewText, type ChatMessage } from '../../../shared/api/messaging.contract';
import { ConversationSchema, MessageContentSchema, MessageSchema, type Conversation, type Message } from '../../../shared/http/messaging';
import { BlobFiles } from './blobStore';
import { migrate, registerTextFunctions } from './migrations';
import { bigramTokens, planQuery, snippetOf, type TermPlan } from './textIndex';
import { decodeReason, errorText } from '../../../shared/errors';
import { ApiFailure } from '../../../shared/api/result';

export interface ReplicaStoreOptions {
  /** The SQLite file. */
  readonly file: string;
  /** Folder for content-addressed blob files. */
  readonly blobDir: string;
  /** A room with more update rows than this is merged into one row (default 500). */
  readonly compactThreshold?: number;
}

export interface DocumentEntry {
  /** The document as the server returned it; must carry at least ReplicaDocumentSchema's fields. */
  readonly document: unknown;
  /** When given, the boxes the document is in now (replaces what was recorded). */
  readonly boxes?: readonly string[];
}

export interface DirectoryUnit {
  readonly id: string;
  readonly name: string;
  readonly [key: string]: unknown;
}
export interface DirectoryUser {
  readonly id: string;
  readonly unitId: string;
  readonly name: string;
  readonly [key: string]: unknown;
}

interface DocumentRow {
  rowid: number;
  id: string;
  kind: string;
  title: string;
  doc_number: string | null;
  state: string;
  updated_at: string;
}
interface OutboxRow {
  seq: number;
  client_id: string;
  command: string;
  status: OutboxStatus;
  reason: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
}
interface MessageRow {
  rowid: number;
  id: string;
  conversation: string;
  sender: string;
  text: string;
  sent_at: string;
  status: StoredMessage['status'];
}

const summaryOf = (row: DocumentRow): DocumentSummary => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  docNumber: row.doc_number,
  state: row.state,
  updatedAt: row.updated_at,
});

/** A refused message's reason with its key, so the chat words it in the person's language. */
function chatReasonOf(stored: string): Pick<ChatMessage, 'reason' | 'reasonKey' | 'reasonParams'> {
  const text = decodeReason(stored);
  return { reason: text.message, ...(text.key ? { reasonKey: text.key } : {}), ...(text.params ? { reasonParams: text.params } : {}) };
}

/** The stored reason as the entry's zh-CN reason plus, when it has one, its key and params. */
function reasonOf(stored: string | null): Pick<OutboxEntry, 'reason' | 'reasonKey' | 'reasonParams'> {
  if (stored === null) return { reason: null };
  const text = decodeReason(stored);
  return { reason: text.message, ...(text.key ? { reasonKey: text.key } : {}), ...(text.params ? { reasonParams: text.params } : {}) };
}

const entryOf = (row: OutboxRow): OutboxEntry => ({
  seq: row.seq,
  clientId: row.client_id,
  command: JSON.parse(row.command) as OutboxCommand,
  status: row.status,
  ...reasonOf(row.reason),
  attempts: row.attempts,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A thread's message as the replica holds it. */
export type LocalChatMessage = ChatMessage;

interface ConversationRow {
  id: string;
  json: string;
  activity: number;
  synced_seq: number;
  local_read_seq: number;
}
interface ChatRow extends MessageRow {
  seq: number | null;
  txn_id: string | null;
  content: string | null;
  edited_at: number | null;
  recalled: string | null;
  outbox_reason: string | null;
}

/** A conversation as the replica holds it: the server's view (null before the list was fetched) and this replica's marks. */
export interface LocalConversation {
  readonly id: string;
  readonly conversation: Conversation | null;
  /** Every message up to this sequence is in the replica. */
  readonly syncedSeq: number;
  /** The person read up to here on this device (may be ahead of the server's mark while offline). */
  readonly localReadSeq: number;
}

const conversationOf = (row: ConversationRow): LocalConversation => {
  const parsed = ConversationSchema.nullable().safeParse(JSON.parse(row.json));
  return { id: row.id, conversation: parsed.success ? parsed.data : null, syncedSeq: row.synced_seq, localReadSeq: row.local_read_seq };
};

const chatMessageOf = (row: ChatRow): LocalChatMessage => {
  const content = row.content === null ? null : MessageContentSchema.safeParse(JSON.parse(row.content));
  const recalled = row.recalled === null ? null : (JSON.parse(row.recalled) as { by: string; at: number });
  return {
    id: row.id,
    conversationId: row.conversation,
    seq: row.seq,
    senderId: row.sender,
    txnId: row.txn_id ?? row.id,
    // A row written before version 5 has only its text.
    content: content ? (content.success ? content.data : null) : recalled ? null : { type: 'text', text: row.text, mentions: [] },
    createdAt: Date.parse(row.sent_at),
    status: row.status,
    ...(row.status === 'rejected' && row.outbox_reason ? chatReasonOf(row.outbox_reason) : {}),
    ...(row.edited_at !== null ? { editedAt: row.edited_at } : {}),
    ...(recalled ? { recalled } : {}),
  };
};

const messageOf = (row: MessageRow): StoredMessage => ({
  id: row.id,
  conversation: row.conversation,
  sender: row.sender,
  text: row.text,
  sentAt: row.sent_at,
  status: row.status,
});

/**
 * Merges many Yjs updates into one. `Y.mergeUpdates` re-sorts all its inputs for every struct it
 * writes, so one call over 100,000 updates takes minutes; merging in groups of 64, then the groups'
 * results, gives the identical update in about a second.
 */
export function mergeRoomUpdates(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 0) throw new Error('nothing to merge');
  let level = [...updates];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 64) next.push(level.length - i === 1 ? level[i]! : Y.mergeUpdates(level.slice(i, i + 64)));
    level = next;
  }
  return level[0]!;
}

/** Opens (creating and migrating as needed) a replica database file with the settings the replica relies on. */
export function openReplicaDatabase(file: string): BetterSqlite3.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: a write the UI was told about survives a power cut, not only a killed process.
  db.pragma('synchronous = FULL');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  registerTextFunctions(db);
  migrate(db);
  return db;
}

/** SQLite's default: the log is copied into the database file once it holds this many pages. */
const WAL_AUTOCHECKPOINT_PAGES = 1000;

export class ReplicaStore {
  readonly db: BetterSqlite3.Database;
  private readonly blobs: BlobFiles;
  private readonly compactThreshold: number;
  /** Update rows per room since its last compaction, counted lazily. */
  private readonly roomRows = new Map<string, number>();
  /** Messages are queued for the full-text indexes (see indexPendingMessages). */
  private messagesToIndex: boolean;

  constructor(options: ReplicaStoreOptions) {
    this.db = openReplicaDatabase(options.file);
    this.messagesToIndex = this.db.prepare('SELECT 1 FROM message_index_queue LIMIT 1').get() !== undefined;
    this.blobs = new BlobFiles(options.blobDir);
    this.compactThreshold = options.compactThreshold ?? 500;
  }

  close(): void {
    this.db.close();
  }

  // ── documents ────────────────────────────────────────────────────────────────────────────────

  /** Stores documents as the server returned them; returns how many were stored. Rejects the whole batch on a malformed one. */
  upsertDocuments(entries: readonly DocumentEntry[]): number {
    const parsed = entries.map((entry) => {
      const result = ReplicaDocumentSchema.safeParse(entry.document);
      if (!result.success) throw new ApiFailure('internal', errorText('replica.documentInvalid', { issue: result.error.issues[0]?.message ?? '' }));
      return { document: result.data, boxes: entry.boxes };
    });
    const upsert = this.db.prepare<[string, string, string, string | null, string, string, string], { rowid: number }>(
      `INSERT INTO documents (id, kind, title, doc_number, state, updated_at, json) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = excluded.title, doc_number = excluded.doc_number,
         state = excluded.state, updated_at = excluded.updated_at, json = excluded.json
       RETURNING rowid`,
    );
    const clearBoxes = this.db.prepare('DELETE FROM document_boxes WHERE document_id = ?');
    const addBox = this.db.prepare('INSERT OR REPLACE INTO document_boxes (box, document_id, updated_at) VALUES (?, ?, ?)');
    const touchBoxes = this.db.prepare('UPDATE document_boxes SET updated_at = ? WHERE document_id = ?');
    this.db.transaction(() => {
      for (const { document, boxes } of parsed) {
        const docNumber = document.docNumber ?? null;
        const row = upsert.get(document.id, document.kind, document.title, docNumber, document.state, document.updatedAt, JSON.stringify(document));
        if (!row) throw new ApiFailure('internal', errorText('replica.writeDocumentFailed'));
        if (boxes) {
          clearBoxes.run(document.id);
          for (const box of boxes) addBox.run(box, document.id, document.updatedAt);
        } else {
          touchBoxes.run(document.updatedAt, document.id);
        }
        this.reindexDocument(row.rowid, document.title, docNumber, this.bodyOf(document.id));
      }
    })();
    return parsed.length;
  }

  /** The document as last received from the server, or null. */
  getDocument(id: string): Record<string, unknown> | null {
    const row = this.db.prepare<[string], { json: string }>('SELECT json FROM documents WHERE id = ?').get(id);
    return row ? (JSON.parse(row.json) as Record<string, unknown>) : null;
  }

  /** One page of a box, newest first, continuing after `after` (keyset pagination: stable under inserts). */
  listBox(box: string, limit: number, after?: BoxCursor): BoxPage {
    const columns = 'd.rowid, d.id, d.kind, d.title, d.doc_number, d.state, d.updated_at';
    const rows = after
      ? this.db
          .prepare<[string, string, string, string, number], DocumentRow>(
            `SELECT ${columns} FROM document_boxes b JOIN documents d ON d.id = b.document_id
             WHERE b.box = ? AND (b.updated_at < ? OR (b.updated_at = ? AND b.document_id < ?))
             ORDER BY b.updated_at DESC, b.document_id DESC LIMIT ?`,
          )
          .all(box, after.updatedAt, after.updatedAt, after.id, limit + 1)
      : this.db
          .prepare<[string, number], DocumentRow>(
            `SELECT ${columns} FROM document_boxes b JOIN documents d ON d.id = b.document_id
             WHERE b.box = ? ORDER BY b.updated_at DESC, b.document_id DESC LIMIT ?`,
          )
          .all(box, limit + 1);
    const items = rows.slice(0, limit).map(summaryOf);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? { updatedAt: last.updatedAt, id: last.id } : null };
  }

  /** Records the plain text of a document's body (extracted from its Yjs room) for search. */
  setDocumentBody(documentId: string, text: string): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO document_bodies (document_id, body) VALUES (?, ?) ON CONFLICT(document_id) DO UPDATE SET body = excluded.body')
        .run(documentId, text);
      const row = this.db.prepare<[string], DocumentRow>('SELECT rowid, title, doc_number FROM documents WHERE id = ?').get(documentId);
      if (row) this.reindexDocument(row.rowid, row.title, row.doc_number, text);
    })();
  }

  removeDocument(id: string): void {
    this.db.transaction(() => {
      const row = this.db.prepare<[string], { rowid: number }>('SELECT rowid FROM documents WHERE id = ?').get(id);
      if (!row) return;
      this.db.prepare('DELETE FROM document_fts WHERE rowid = ?').run(row.rowid);
      this.db.prepare('DELETE FROM document_fts2 WHERE rowid = ?').run(row.rowid);
      this.db.prepare('DELETE FROM document_bodies WHERE document_id = ?').run(id);
      this.db.prepare('DELETE FROM documents WHERE id = ?').run(id);
    })();
  }

  private bodyOf(documentId: string): string {
    return this.db.prepare<[string], { body: string }>('SELECT body FROM document_bodies WHERE document_id = ?').get(documentId)?.body ?? '';
  }

  private reindexDocument(rowid: number, title: string, docNumber: string | null, body: string): void {
    this.db.prepare('INSERT OR REPLACE INTO document_fts (rowid, title, doc_number, body) VALUES (?, ?, ?, ?)').run(rowid, title, docNumber ?? '', body);
    this.db.prepare('INSERT OR REPLACE INTO document_fts2 (rowid, grams) VALUES (?, ?)').run(rowid, bigramTokens(`${title} ${docNumber ?? ''} ${body}`));
  }

  // ── Yjs rooms ────────────────────────────────────────────────────────────────────────────────

  /**
   * Appends one Yjs update to a room; durable when this returns. `rows` is the room's row count.
   * A `local` update (made on this device) also marks the room as holding edits the server may
   * not have, until `markRoomSynced` says otherwise.
   */
  appendRoomUpdate(room: string, data: Uint8Array, local = false): { seq: number; rows: number } {
    const before = this.countRoomRows(room);
    const seq = this.db.transaction(() => {
      const info = this.db.prepare('INSERT INTO room_updates (room, data, created_at) VALUES (?, ?, ?)').run(room, data, Date.now());
      const inserted = Number(info.lastInsertRowid);
      if (local) {
        this.db
          .prepare('INSERT INTO room_unsynced (room, last_local_seq) VALUES (?, ?) ON CONFLICT(room) DO UPDATE SET last_local_seq = excluded.last_local_seq')
          .run(room, inserted);
      }
      return inserted;
    })();
    const rows = before + 1;
    this.roomRows.set(room, rows);
    return { seq, rows };
  }

  /** The server has every local update of `room` up to `seq` (it synced with us after they were sent). */
  markRoomSynced(room: string, seq: number): void {
    this.db.prepare('DELETE FROM room_unsynced WHERE room = ? AND last_local_seq <= ?').run(room, seq);
  }

  /** Rooms holding local edits the server may not have yet. */
  unsyncedRooms(): string[] {
    return this.db
      .prepare<[], { room: string }>('SELECT room FROM room_unsynced ORDER BY room')
      .all()
      .map((row) => row.room);
  }

  /** The room's whole state as one update (null for a room never stored). */
  loadRoom(room: string): Uint8Array | null {
    const rows = this.db.prepare<[string], { data: Buffer }>('SELECT data FROM room_updates WHERE room = ? ORDER BY seq').all(room);
    if (rows.length === 0) return null;
    if (rows.length === 1) return new Uint8Array(rows[0]!.data);
    return mergeRoomUpdates(rows.map((row) => new Uint8Array(row.data)));
  }

  roomRowCount(room: string): number {
    return this.countRoomRows(room);
  }

  /** Rooms whose row count passed the compaction threshold. */
  roomsToCompact(): string[] {
    return [...this.roomRows].filter(([, rows]) => rows > this.compactThreshold).map(([room]) => room);
  }

  /**
   * Replaces a room's rows with one merged update, in one transaction: a crash before commit keeps
   * every original row, after commit the merged row; never neither.
   */
  compactRoom(room: string): { before: number; after: number } {
    return this.db.transaction(() => {
      const rows = this.db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq').all(room);
      if (rows.length <= 1) {
        this.roomRows.set(room, rows.length);
        return { before: rows.length, after: rows.length };
      }
      const merged = mergeRoomUpdates(rows.map((row) => new Uint8Array(row.data)));
      const lastSeq = rows.at(-1)!.seq;
      this.db.prepare('DELETE FROM room_updates WHERE room = ? AND seq <= ?').run(room, lastSeq);
      this.db.prepare('INSERT INTO room_updates (room, data, created_at) VALUES (?, ?, ?)').run(room, merged, Date.now());
      this.roomRows.set(room, 1);
      return { before: rows.length, after: 1 };
    })();
  }

  /** Drops the cached row counts (after a rolled-back batch); they are recounted on next use. */
  forgetRoomCounts(): void {
    this.roomRows.clear();
  }

  private countRoomRows(room: string): number {
    const known = this.roomRows.get(room);
    if (known !== undefined) return known;
    const row = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM room_updates WHERE room = ?').get(room);
    const n = row?.n ?? 0;
    this.roomRows.set(room, n);
    return n;
  }

  // ── blobs ────────────────────────────────────────────────────────────────────────────────────

  /** Stores bytes durably under their SHA-256 and records them; returns the hash. */
  putBlob(data: Uint8Array, mime: string): string {
    const sha256 = this.blobs.write(data);
    this.db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)').run(sha256, data.byteLength, mime, Date.now());
    return sha256;
  }

  getBlob(sha256: string): { data: Uint8Array; mime: string } | null {
    const row = this.db.prepare<[string], { mime: string }>('SELECT mime FROM blobs WHERE sha256 = ?').get(sha256);
    if (!row) return null;
    const data = this.blobs.read(sha256);
    return data ? { data, mime: row.mime } : null;
  }

  // ── directory ────────────────────────────────────────────────────────────────────────────────

  /** Replaces the cached directory with the server's current one, atomically. */
  replaceDirectory(units: readonly DirectoryUnit[], users: readonly DirectoryUser[]): void {
    const addUnit = this.db.prepare('INSERT INTO units (id, name, json) VALUES (?, ?, ?)');
    const addUser = this.db.prepare('INSERT INTO users (id, unit_id, name, json) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM users; DELETE FROM units;');
      for (const unit of units) addUnit.run(unit.id, unit.name, JSON.stringify(unit));
      for (const user of users) addUser.run(user.id, user.unitId, user.name, JSON.stringify(user));
    })();
  }

  listUnits(): DirectoryUnit[] {
    return this.db
      .prepare<[], { json: string }>('SELECT json FROM units ORDER BY name')
      .all()
      .map((row) => JSON.parse(row.json) as DirectoryUnit);
  }

  listUsers(unitId?: string): DirectoryUser[] {
    const rows = unitId
      ? this.db.prepare<[string], { json: string }>('SELECT json FROM users WHERE unit_id = ? ORDER BY name').all(unitId)
      : this.db.prepare<[], { json: string }>('SELECT json FROM users ORDER BY name').all();
    return rows.map((row) => JSON.parse(row.json) as DirectoryUser);
  }

  // ── messages ─────────────────────────────────────────────────────────────────────────────────

  /** Stores messages (from the server or composed here); a known id is updated in place. */
  putMessages(messages: readonly StoredMessage[]): void {
    const checked = messages.map((message) => StoredMessageSchema.parse(message));
    const upsert = this.db.prepare<[string, string, string, string, string, string], { rowid: number }>(
      `INSERT INTO messages (id, conversation, sender, text, sent_at, status) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET text = excluded.text, sent_at = excluded.sent_at, status = excluded.status
       RETURNING rowid`,
    );
    this.db.transaction(() => {
      for (const m of checked) {
        const row = upsert.get(m.id, m.conversation, m.sender, m.text, m.sentAt, m.status);
        if (!row) throw new ApiFailure('internal', errorText('replica.writeMessageFailed'));
        this.db.prepare('INSERT OR REPLACE INTO message_fts (rowid, text) VALUES (?, ?)').run(row.rowid, m.text);
        this.db.prepare('INSERT OR REPLACE INTO message_fts2 (rowid, grams) VALUES (?, ?)').run(row.rowid, bigramTokens(m.text));
      }
    })();
  }

  /** A conversation's messages, oldest first, the last `limit` before `before` (an ISO time) if given. */
  listMessages(conversation: string, limit: number, before?: string): StoredMessage[] {
    const rows = this.db
      .prepare<[string, string, number], MessageRow>(
        `SELECT * FROM (SELECT rowid, * FROM messages WHERE conversation = ? AND sent_at < ? ORDER BY sent_at DESC, rowid DESC LIMIT ?)
         ORDER BY sent_at, rowid`,
      )
      .all(conversation, before ?? '\uffff', limit);
    return rows.map(messageOf);
  }

  // ── messaging (即时通讯) ────────────────────────────────────────────────────────────────────

  /** Replaces the conversation list with the server's (keeping each one's sync and read marks). */
  putChatConversations(items: readonly Conversation[]): void {
    const checked = items.map((item) => ConversationSchema.parse(item));
    this.db.transaction(() => {
      const keep = new Set(checked.map((c) => c.id));
      for (const row of this.db.prepare<[], { id: string }>('SELECT id FROM chat_conversations').all()) {
        if (!keep.has(row.id)) this.db.prepare('DELETE FROM chat_conversations WHERE id = ?').run(row.id);
      }
      const upsert = this.db.prepare<[string, string, number]>(
        'INSERT INTO chat_conversations (id, json, activity) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, activity = excluded.activity',
      );
      for (const c of checked) upsert.run(c.id, JSON.stringify(c), c.lastMessage?.createdAt ?? c.createdAt);
    })();
  }

  /** One conversation as last stored (or null), with this replica's marks. */
  getChatConversation(id: string): LocalConversation | null {
    const row = this.db.prepare<[string], ConversationRow>('SELECT * FROM chat_conversations WHERE id = ?').get(id);
    return row ? conversationOf(row) : null;
  }

  /** Every conversation, latest activity first, with this replica's marks. */
  listChatConversations(): LocalConversation[] {
    return this.db.prepare<[], ConversationRow>('SELECT * FROM chat_conversations ORDER BY activity DESC, id').all().map(conversationOf);
  }

  /** Records that the person read up to `seq` here (sent to the server when it can be). */
  setChatReadSeq(conversation: string, seq: number): void {
    this.db.prepare('UPDATE chat_conversations SET local_read_seq = MAX(local_read_seq, ?) WHERE id = ?').run(seq, conversation);
  }

  /**
   * Stores messages as the server has them. A message this device wrote (pending, keyed by its txn
   * id) becomes that stored message, so it is never shown twice; a known sequence is updated in
   * place (an edit, a 撤回). Returns the conversations' new "held up to" marks.
   */
  putChatMessages(messages: readonly Message[]): Record<string, number> {
    const checked = messages.map((m) => MessageSchema.parse(m));
    // Indexed lookups rather than one OR (which SQLite may answer with a scan per message).
    const byId = this.db.prepare<[string], { rowid: number; sender: string }>('SELECT rowid, sender FROM messages WHERE id = ?');
    const bySeq = this.db.prepare<[string, number], { rowid: number }>('SELECT rowid FROM messages WHERE conversation = ? AND seq = ?');
    /** This device's pending row of the message (its id is the txn id until the server stores it). */
    const ownPending = (m: Message): { rowid: number } | undefined => {
      const own = byId.get(m.txnId);
      return own && own.sender === m.senderId ? own : undefined;
    };
    const find = (m: Message): { rowid: number } | undefined => byId.get(m.id) ?? bySeq.get(m.conversationId, m.seq);
    const update = this.db.prepare(
      `UPDATE messages SET id = ?, conversation = ?, sender = ?, text = ?, sent_at = ?, status = 'sent', seq = ?, txn_id = ?, content = ?, edited_at = ?, recalled = ? WHERE rowid = ?`,
    );
    // A new message (the common case of a catch-up) is inserted at once; one that conflicts on its
    // id or sequence is already here and is updated in place instead.
    const insert = this.db.prepare<unknown[], { rowid: number }>(
      `INSERT INTO messages (id, conversation, sender, text, sent_at, status, seq, txn_id, content, edited_at, recalled) VALUES (?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING RETURNING rowid`,
    );
    // Indexed for search later (indexPendingMessages), queued in this transaction so none is lost.
    const queueForIndex = this.db.prepare('INSERT OR IGNORE INTO message_index_queue (rowid) VALUES (?)');
    // Everything written here is the server's and is fetched again after a loss (the "held up to"
    // mark commits with it), so these commits skip the fsync that FULL costs each one: a power cut
    // can undo the last pages, never corrupt them, and the next catch-up asks for them again.
    this.db.pragma('synchronous = NORMAL');
    // Nor does a checkpoint run inside these commits: copying the log into the database file ends
    // in an fsync, which on a busy disk took longer than writing the page itself. The next commit of
    // other work (the search index queue, once the catch-up is over) checkpoints what piled up.
    this.db.pragma('wal_autocheckpoint = 0');
    try {
      return this.db.transaction(() => {
        const touched = new Set<string>();
        for (const m of checked) {
          const text = messagePreviewText(m.content);
          const values = [m.id, m.conversationId, m.senderId, text, new Date(m.createdAt).toISOString()] as const;
          const extra = [m.seq, m.txnId, m.content ? JSON.stringify(m.content) : null, m.editedAt ?? null, m.recalled ? JSON.stringify(m.recalled) : null] as const;
          const own = ownPending(m);
          const inserted = own ? undefined : insert.get(...values, ...extra);
          const existing = own ? (find(m) ?? own) : (inserted ?? find(m));
          if (!existing) throw new ApiFailure('internal', errorText('replica.writeMessageFailed'));
          if (!inserted) update.run(...values, ...extra, existing.rowid);
          const rowid = existing.rowid;
          queueForIndex.run(rowid);
          touched.add(m.conversationId);
        }
        const marks: Record<string, number> = {};
        for (const conversation of touched) marks[conversation] = this.advanceSyncedSeq(conversation);
        this.messagesToIndex = true;
        return marks;
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
      this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    }
  }

  /** True while messages wait for the search index (the worker indexes them when idle). */
  hasMessagesToIndex(): boolean {
    return this.messagesToIndex;
  }

  /**
   * Adds up to `max` queued messages to both full-text indexes with their current text (an edit or
   * a 撤回 since queueing is indexed as it is now), in one transaction. Returns how many remain.
   */
  indexPendingMessages(max: number): number {
    const take = this.db.prepare<[number], { rowid: number; text: string | null }>(
      'SELECT q.rowid, m.text FROM message_index_queue q LEFT JOIN messages m ON m.rowid = q.rowid ORDER BY q.rowid LIMIT ?',
    );
    const trigram = this.db.prepare('INSERT OR REPLACE INTO message_fts (rowid, text) VALUES (?, ?)');
    const bigram = this.db.prepare('INSERT OR REPLACE INTO message_fts2 (rowid, grams) VALUES (?, ?)');
    const unindex = [this.db.prepare('DELETE FROM message_fts WHERE rowid = ?'), this.db.prepare('DELETE FROM message_fts2 WHERE rowid = ?')];
    const done = this.db.prepare('DELETE FROM message_index_queue WHERE rowid = ?');
    const remaining = this.db.transaction(() => {
      for (const row of take.all(max)) {
        if (row.text === null) {
          for (const statement of unindex) statement.run(row.rowid);
        } else {
          trigram.run(row.rowid, row.text);
          bigram.run(row.rowid, bigramTokens(row.text));
        }
        done.run(row.rowid);
      }
      return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM message_index_queue').get()?.n ?? 0;
    })();
    this.messagesToIndex = remaining > 0;
    return remaining;
  }

  /**
   * A page of a thread, oldest first: stored messages before `beforeSeq` (the newest when absent),
   * and — on the newest page — this device's messages not yet stored by the server, after them.
   */
  chatHistory(conversation: string, limit: number, beforeSeq?: number): { items: LocalChatMessage[]; firstSeq: number | null } {
    const stored = this.db
      .prepare<[string, number, number], ChatRow>(
        `SELECT m.*, o.reason AS outbox_reason FROM messages m LEFT JOIN outbox o ON o.client_id = m.id
         WHERE m.conversation = ? AND m.seq IS NOT NULL AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
      )
      .all(conversation, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit)
      .reverse();
    const unsent =
      beforeSeq === undefined
        ? this.db
            .prepare<[string], ChatRow>(
              `SELECT m.*, o.reason AS outbox_reason FROM messages m LEFT JOIN outbox o ON o.client_id = m.id
               WHERE m.conversation = ? AND m.seq IS NULL ORDER BY m.sent_at, m.rowid`,
            )
            .all(conversation)
        : [];
    return { items: [...stored, ...unsent].map(chatMessageOf), firstSeq: stored[0]?.seq ?? null };
  }

  /** The sequence up to which this replica holds every message of `conversation`. */
  private advanceSyncedSeq(conversation: string): number {
    const current = this.db.prepare<[string], { synced_seq: number }>('SELECT synced_seq FROM chat_conversations WHERE id = ?').get(conversation);
    if (!current) {
      this.db.prepare("INSERT INTO chat_conversations (id, json, activity) VALUES (?, 'null', 0)").run(conversation);
    }
    let synced = current?.synced_seq ?? 0;
    const next = this.db.prepare<[string, number], { seq: number }>('SELECT seq FROM messages WHERE conversation = ? AND seq > ? ORDER BY seq LIMIT 1000');
    // Bounded: each round reads at most 1,000 rows and stops at the first gap.
    for (let round = 0; round < 1000; round++) {
      const rows = next.all(conversation, synced);
      let advanced = 0;
      for (const row of rows) {
        if (row.seq !== synced + 1) break;
        synced = row.seq;
        advanced++;
      }
      if (advanced < 1000 || advanced < rows.length) break;
    }
    this.db.prepare('UPDATE chat_conversations SET synced_seq = ? WHERE id = ?').run(synced, conversation);
    return synced;
  }

  // ── outbox ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Records a command to send; durable when this returns. The same clientId twice returns the
   * first entry (a retried enqueue is not a second command). A message is also added to its
   * conversation's history as pending, in the same transaction.
   */
  enqueueCommand(clientId: string, command: OutboxCommand, sender: string, now: number): OutboxEntry {
    return this.db.transaction(() => {
      const existing = this.outboxRow(clientId);
      if (existing) return entryOf(existing);
      this.db
        .prepare("INSERT INTO outbox (client_id, command, status, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?)")
        .run(clientId, JSON.stringify(command), now, now);
      if (command.type === 'message.send') {
        this.putMessages([{ id: clientId, conversation: command.conversation, sender, text: command.text, sentAt: new Date(now).toISOString(), status: 'pending' }]);
        this.db.prepare('UPDATE messages SET txn_id = ?, content = ? WHERE id = ?').run(clientId, JSON.stringify(command.content ?? { type: 'text', text: command.text, mentions: [] }), clientId);
      }
      return entryOf(this.outboxRow(clientId)!);
    })();
  }

  /** The oldest command not yet sent or rejected: commands go out strictly in order. */
  nextPendingCommand(): OutboxEntry | null {
    const row = this.db.prepare<[], OutboxRow>("SELECT * FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT 1").get();
    return row ? entryOf(row) : null;
  }

  /** Notes a failed attempt (network, server unavailable); the command stays pending. */
  recordAttempt(clientId: string, error: string, now: number): OutboxEntry {
    this.db.prepare("UPDATE outbox SET attempts = attempts + 1, reason = ?, updated_at = ? WHERE client_id = ? AND status = 'pending'").run(error, now, clientId);
    return this.requireEntry(clientId);
  }

  /** The server applied the command (or had already applied it: same clientId). */
  markCommandSent(clientId: string, response: unknown, now: number): OutboxEntry {
    const entry = this.settle(clientId, 'sent', null, JSON.stringify(response ?? null), now);
    // A message's answer is the message as the server stored it: kept in the same call, so the thread
    // never shows it 已发送 without its place (seq) — until the catch-up it sat after newer messages.
    if (entry.command.type === 'message.send') {
      const stored = MessageSchema.safeParse(response);
      if (stored.success && stored.data.txnId === clientId && stored.data.conversationId === entry.command.conversation) this.putChatMessages([stored.data]);
    }
    return entry;
  }

  /** The server refused the command; `reason` is its explanation, shown to the person. */
  markCommandRejected(clientId: string, reason: string, now: number): OutboxEntry {
    return this.settle(clientId, 'rejected', reason, null, now);
  }

  listOutbox(status?: OutboxStatus, limit = 500): OutboxEntry[] {
    const rows = status
      ? this.db.prepare<[string, number], OutboxRow>('SELECT * FROM outbox WHERE status = ? ORDER BY seq DESC LIMIT ?').all(status, limit)
      : this.db.prepare<[number], OutboxRow>('SELECT * FROM outbox ORDER BY seq DESC LIMIT ?').all(limit);
    return rows.map(entryOf);
  }

  private settle(clientId: string, status: OutboxStatus, reason: string | null, response: string | null, now: number): OutboxEntry {
    return this.db.transaction(() => {
      this.db
        .prepare('UPDATE outbox SET status = ?, reason = ?, response = ?, attempts = attempts + 1, updated_at = ? WHERE client_id = ?')
        .run(status, reason, response, now, clientId);
      const entry = this.requireEntry(clientId);
      if (entry.command.type === 'message.send') this.db.prepare('UPDATE messages SET status = ? WHERE id = ?').run(status, clientId);
      return entry;
    })();
  }

  private outboxRow(clientId: string): OutboxRow | undefined {
    return this.db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE client_id = ?').get(clientId);
  }

  private requireEntry(clientId: string): OutboxEntry {
    const row = this.outboxRow(clientId);
    if (!row) throw new ApiFailure('not_found', errorText('replica.outboxEntryMissing', { clientId }));
    return entryOf(row);
  }

  /** One outbox entry by its client id (批量签批 asks what became of each document's command). */
  outboxEntry(clientId: string): OutboxEntry | null {
    const row = this.outboxRow(clientId);
    return row ? entryOf(row) : null;
  }

  // ── batch sign-off ───────────────────────────────────────────────────────────────────────────

  /** Saves a batch as it stands (the whole JSON; durable when this returns). */
  saveBatchSignoff(id: string, userId: string, json: string, createdAt: number, now: number): void {
    this.db
      .prepare('INSERT INTO batch_signoffs (id, user_id, json, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at')
      .run(id, userId, json, createdAt, now);
  }

  /** A batch's JSON: the one named, else the person's latest. */
  loadBatchSignoff(userId: string, id?: string): string | null {
    const row = id
      ? this.db.prepare<[string, string], { json: string }>('SELECT json FROM batch_signoffs WHERE id = ? AND user_id = ?').get(id, userId)
      : this.db.prepare<[string], { json: string }>('SELECT json FROM batch_signoffs WHERE user_id = ? ORDER BY created_at DESC LIMIT 1').get(userId);
    return row?.json ?? null;
  }

  /** The person's saved handwritten signature (an InkDrawing's JSON), or null. */
  loadSavedSignature(userId: string): string | null {
    return this.db.prepare<[string], { ink: string }>('SELECT ink FROM saved_signatures WHERE user_id = ?').get(userId)?.ink ?? null;
  }

  /** Keeps the person's handwritten signature, or forgets it (null). */
  saveSavedSignature(userId: string, ink: string | null, now: number): void {
    if (ink === null) this.db.prepare('DELETE FROM saved_signatures WHERE user_id = ?').run(userId);
    else this.db.prepare('INSERT INTO saved_signatures (user_id, ink, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET ink = excluded.ink, updated_at = excluded.updated_at').run(userId, ink, now);
  }

  // ── search ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Documents matching every term of `query`, most recently updated first. The plan walks the
   * updated_at index and probes the matching set, so a common word (通知 in half the documents)
   * stops after one page instead of sorting every match; bodies are read for that page only.
   */
  searchDocuments(query: string, limit: number): DocumentHit[] {
    const plans = planQuery(query);
    if (plans.length === 0) return [];
    const { where, params } = this.conditions(plans, 'd', 'document_fts', 'document_fts2', ['d.title', 'd.doc_number']);
    const rows = this.db
      .prepare<unknown[], DocumentRow>(
        `SELECT d.rowid, d.id, d.kind, d.title, d.doc_number, d.state, d.updated_at
         FROM documents d INDEXED BY documents_updated WHERE ${where} ORDER BY d.updated_at DESC LIMIT ?`,
      )
      .all(...params, limit);
    const body = this.db.prepare<[string], { body: string }>('SELECT body FROM document_bodies WHERE document_id = ?');
    return rows.map((row) => ({ ...summaryOf(row), snippet: snippetOf(body.get(row.id)?.body || row.title, query) }));
  }

  /** Messages matching every term of `query`, newest first (same plan as documents). */
  searchMessages(query: string, limit: number): MessageHit[] {
    const plans = planQuery(query);
    if (plans.length === 0) return [];
    // Bounded: each round indexes 2,000 queued messages, and nothing is queued meanwhile (one thread).
    for (let round = 0; round < 10_000 && this.messagesToIndex; round++) this.indexPendingMessages(2000);
    const { where, params } = this.conditions(plans, 'm', 'message_fts', 'message_fts2', ['m.text']);
    const rows = this.db
      .prepare<unknown[], MessageRow>(`SELECT m.rowid, m.* FROM messages m INDEXED BY messages_sent WHERE ${where} ORDER BY m.sent_at DESC LIMIT ?`)
      .all(...params, limit);
    return rows.map((row) => ({ ...messageOf(row), snippet: snippetOf(row.text, query) }));
  }

  private conditions(plans: readonly TermPlan[], alias: string, trigramTable: string, bigramTable: string, likeColumns: readonly string[]) {
    const clauses: string[] = [];
    const params: unknown[] = [];
    for (const plan of plans) {
      if (plan.index === 'trigram') {
        clauses.push(`${alias}.rowid IN (SELECT rowid FROM ${trigramTable} WHERE ${trigramTable} MATCH ?)`);
        params.push(plan.match);
      } else if (plan.index === 'bigram') {
        clauses.push(`${alias}.rowid IN (SELECT rowid FROM ${bigramTable} WHERE ${bigramTable} MATCH ?)`);
        params.push(plan.match);
      } else {
        clauses.push(`(${likeColumns.map((column) => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
        for (let i = 0; i < likeColumns.length; i += 1) params.push(plan.pattern);
      }
    }
    return { where: clauses.join(' AND '), params };
  }

  /** Row counts, for diagnostics and the benchmark. */
  stats(): { documents: number; roomUpdates: number; messages: number; outboxPending: number } {
    const count = (sql: string): number => this.db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
    return {
      documents: count('SELECT count(*) AS n FROM documents'),
      roomUpdates: count('SELECT count(*) AS n FROM room_updates'),
      messages: count('SELECT count(*) AS n FROM messages'),
      outboxPending: count("SELECT count(*) AS n FROM outbox WHERE status = 'pending'"),
    };
  }
}
