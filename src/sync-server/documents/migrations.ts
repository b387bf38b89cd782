/** Tables of the documents module: documents, their to-do and done indexes, 发文字号 sequences, PDFs, delegations. */
import type { Migration } from '../store/migrations';

const documents001 = (blob: string) => `
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  doc_number TEXT,
  urgency TEXT NOT NULL,
  secrecy_level TEXT NOT NULL,
  due_date TEXT,
  fields TEXT NOT NULL,
  workflow TEXT NOT NULL,
  source_exchange_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX documents_unit_kind ON documents (unit_id, kind, updated_at);
CREATE INDEX documents_creator ON documents (created_by, state, updated_at);
CREATE TABLE document_todo (
  document_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_todo_user ON document_todo (user_id);
CREATE TABLE document_acted (
  document_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  acted_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_acted_user ON document_acted (user_id);
CREATE TABLE document_action_ids (
  document_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, client_id)
);
CREATE TABLE doc_number_sequences (
  unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  next_serial INTEGER NOT NULL,
  PRIMARY KEY (unit_id, year)
);
CREATE TABLE document_blobs (
  sha256 TEXT PRIMARY KEY,
  bytes ${blob} NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE document_pdfs (
  document_id TEXT PRIMARY KEY,
  base_sha256 TEXT NOT NULL,
  current_sha256 TEXT NOT NULL,
  seal_placement TEXT,
  signed INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
CREATE TABLE delegations (
  id TEXT PRIMARY KEY,
  from_user TEXT NOT NULL,
  to_user TEXT NOT NULL,
  until BIGINT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX delegations_to ON delegations (to_user, until);
`;

/**
 * The change feed: one counter bumped inside every transaction that changes a document or an
 * exchange item. Its row stays locked until that transaction commits, so sequence order is commit
 * order and a reader that saw sequence N has seen every change up to N. The counter's one row is
 * created by the first change (a migration that inserted it would collide with a restore, which
 * replays migrations and then copies every row).
 */
const documents002 = `
CREATE TABLE document_change_counter (
  id INTEGER PRIMARY KEY,
  n BIGINT NOT NULL
);
ALTER TABLE documents ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX documents_change_seq ON documents (change_seq);
`;

/**
 * 催办 by the system (documents/overdueReminders.ts): one row per document and day it was reminded,
 * so the once-per-day rule holds across restarts and instances.
 */
const documents003 = `
CREATE TABLE document_overdue_reminders (
  document_id TEXT NOT NULL,
  day TEXT NOT NULL,
  reminded_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, day)
);
`;

/**
 * The body as it stood when the document left the steps where its text may change (签发 for 发文,
 * 拟办 for 收文): 编号 and 用印 render from it, never from the live room (documents/bodySnapshot.ts).
 */
const documents004 = `
CREATE TABLE document_body_snapshots (
  document_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  body TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  taken_by TEXT NOT NULL,
  taken_at BIGINT NOT NULL
);
`;

/**
 * 语音签批: a recording is a blob (document_blobs, by SHA-256) bound to the document it was spoken
 * on, so only that document's readers may fetch it and an action may cite only a recording uploaded
 * for that document.
 */
const documents005 = `
CREATE TABLE document_voice_notes (
  document_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, sha256)
);
`;

/**
 * The approved body's structure (headings, bold, lists, tables, page breaks, 附件说明) as JSON
 * beside its plain text; NULL for snapshots taken before, which render from the text as before.
 */
const documents006BodyStructure = `
ALTER TABLE document_body_snapshots ADD COLUMN structure TEXT;
`;

export const documentMigrations: Migration[] = [
  { id: 'documents-001-documents', sqlite: documents001('BLOB'), postgres: documents001('BYTEA') },
  { id: 'documents-002-change-feed', sqlite: documents002, postgres: documents002 },
  { id: 'documents-003-overdue-reminders', sqlite: documents003, postgres: documents003 },
  { id: 'documents-004-body-snapshots', sqlite: documents004, postgres: documents004 },
  { id: 'documents-005-voice-notes', sqlite: documents005, postgres: documents005 },
  { id: 'documents-006-body-structure', sqlite: documents006BodyStructure, postgres: documents006BodyStructure },
];
