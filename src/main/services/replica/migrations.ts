/**
 * The replica's schema, as an ordered list of migrations. `PRAGMA user_version` records how many
 * have run; each migration runs in its own transaction, so a crash mid-upgrade leaves the file at the
 * previous version and the next start simply retries. Never edit a shipped migration: add one.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { bigramTokens } from './textIndex';
import { ApiFailure } from '../../../shared/api/result';
import { errorText } from '../../../shared/errors';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: BetterSqlite3.Database) => void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'documents, boxes, room updates, blobs, directory, messages, outbox',
    up: (db) =>
      db.exec(`
        CREATE TABLE documents (
          rowid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          title TEXT NOT NULL,
          doc_number TEXT,
          state TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          json TEXT NOT NULL
        );
        CREATE INDEX documents_updated ON documents(updated_at DESC);
        CREATE TABLE document_boxes (
          box TEXT NOT NULL,
          document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (box, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX document_boxes_page ON document_boxes(box, updated_at DESC, document_id);
        CREATE INDEX document_boxes_document ON document_boxes(document_id);

        CREATE TABLE room_updates (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          room TEXT NOT NULL,
          data BLOB NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX room_updates_room ON room_updates(room, seq);

        CREATE TABLE blobs (
          sha256 TEXT PRIMARY KEY,
          size INTEGER NOT NULL,
          mime TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE units (id TEXT PRIMARY KEY, name TEXT NOT NULL, json TEXT NOT NULL);
        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          unit_id TEXT NOT NULL,
          name TEXT NOT NULL,
          json TEXT NOT NULL
        );
        CREATE INDEX users_unit ON users(unit_id);

        CREATE TABLE messages (
          rowid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          conversation TEXT NOT NULL,
          sender TEXT NOT NULL,
          text TEXT NOT NULL,
          sent_at TEXT NOT NULL,
          status TEXT NOT NULL
        );
        CREATE INDEX messages_conversation ON messages(conversation, sent_at);

        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          client_id TEXT NOT NULL UNIQUE,
          command TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'rejected')),
          reason TEXT,
          response TEXT,
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_pending ON outbox(status, seq);
      `),
  },
  {
    version: 2,
    description: 'full-text search: trigram and bigram indexes over documents and messages',
    up: (db) => {
      // Two indexes per corpus: trigram answers queries of 3+ characters as substrings in any
      // script; trigram cannot match a 2-character word, and 2-character words (通知, 会议) are
      // what people type most, so a second index holds every overlapping character pair as a token.
      db.exec(`
        CREATE TABLE document_bodies (document_id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
        CREATE VIRTUAL TABLE document_fts USING fts5(title, doc_number, body, tokenize='trigram', content='', contentless_delete=1);
        CREATE VIRTUAL TABLE document_fts2 USING fts5(grams, content='', contentless_delete=1);
        CREATE VIRTUAL TABLE message_fts USING fts5(text, tokenize='trigram', content='', contentless_delete=1);
        CREATE VIRTUAL TABLE message_fts2 USING fts5(grams, content='', contentless_delete=1);
      `);
      // Documents and messages stored before this version become searchable too.
      db.exec(`
        INSERT INTO document_fts(rowid, title, doc_number, body)
          SELECT rowid, title, coalesce(doc_number, ''), '' FROM documents;
        INSERT INTO document_fts2(rowid, grams)
          SELECT rowid, xt_bigrams(title || ' ' || coalesce(doc_number, '')) FROM documents;
        INSERT INTO message_fts(rowid, text) SELECT rowid, text FROM messages;
        INSERT INTO message_fts2(rowid, grams) SELECT rowid, xt_bigrams(text) FROM messages;
      `);
    },
  },
  {
    version: 3,
    description: 'messages by time, so message search can stop after one page',
    up: (db) => db.exec('CREATE INDEX messages_sent ON messages(sent_at DESC)'),
  },
  {
    version: 4,
    description: 'rooms with local edits the server may not have yet',
    // A room edited offline and closed before the network returned must still reach the server
    // (and before any workflow step on its document): the client reopens such rooms by itself.
    up: (db) => db.exec('CREATE TABLE room_unsynced (room TEXT PRIMARY KEY, last_local_seq INTEGER NOT NULL) WITHOUT ROWID'),
  },
  {
    version: 5,
    description: 'messaging: conversations, each message’s server sequence and content, read marks',
    // A message from the server has the conversation's sequence; one written here has none until the
    // server stores it (then the same row takes the server's id and sequence, matched by txn id).
    // `synced_seq` is the highest sequence up to which this replica holds every message: catching up
    // asks the server for what follows it.
    up: (db) =>
      db.exec(`
        ALTER TABLE messages ADD COLUMN seq INTEGER;
        ALTER TABLE messages ADD COLUMN txn_id TEXT;
        ALTER TABLE messages ADD COLUMN content TEXT;
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;
        ALTER TABLE messages ADD COLUMN recalled TEXT;
        CREATE UNIQUE INDEX messages_conversation_seq ON messages(conversation, seq) WHERE seq IS NOT NULL;
        CREATE TABLE chat_conversations (
          id TEXT PRIMARY KEY,
          json TEXT NOT NULL,
          activity INTEGER NOT NULL,
          synced_seq INTEGER NOT NULL DEFAULT 0,
          local_read_seq INTEGER NOT NULL DEFAULT 0
        );
      `),
  },
  {
    version: 6,
    description: 'messaging: messages waiting for the search index',
    // Catching up a day of chat writes thousands of messages at once; tokenizing them for the two
    // full-text indexes took over half the write. The rows to index are queued in the write's own
    // transaction (so a crash loses none) and indexed when the replica is idle or before a search.
    up: (db) => db.exec('CREATE TABLE message_index_queue (rowid INTEGER PRIMARY KEY)'),
  },
  {
    version: 7,
    description: 'batch sign-off (批量签批): each batch and where its documents stand, to resume after a close',
    // One row per batch, its documents' states as JSON: rewritten at every step (a few KB), read
    // whole on resume. IF NOT EXISTS: harmless should this migration be renumbered on merge.
    up: (db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS batch_signoffs (
          id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL,
          json TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS batch_signoffs_user ON batch_signoffs(user_id, created_at DESC);
      `),
  },
  {
    version: 8,
    description: 'batch sign-off: the person’s saved handwritten signature (vector strokes), reused by every batch',
    // Kept here rather than in the window's storage: it survives a cleared browser profile and stays
    // with the person's own replica (one per person), so people sharing a desk never reuse another's.
    up: (db) => db.exec('CREATE TABLE IF NOT EXISTS saved_signatures (user_id TEXT PRIMARY KEY, ink TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID'),
  },
];

export const latestVersion = migrations.at(-1)?.version ?? 0;

/** Brings `db` to `target` (default: latest), one transaction per migration. Returns the final version. */
export function migrate(db: BetterSqlite3.Database, target: number = latestVersion): number {
  registerTextFunctions(db);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latestVersion) {
    // A newer app wrote this file; an older one must not guess at its shape.
    throw new ApiFailure('internal', errorText('replica.newerVersion', { current, latest: latestVersion }));
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/** SQL functions the schema's statements use; registered on every connection before migrating. */
export function registerTextFunctions(db: BetterSqlite3.Database): void {
  db.function('xt_bigrams', { deterministic: true }, (text: unknown) => bigramTokens(typeof text === 'string' ? text : ''));
}
