/**
 * Tables of the messaging module (即时通讯): conversations and their members, messages with one
 * sequence per conversation, edit history, the audit copy of withdrawn messages, read marks and
 * 免打扰, and which conversation a file was sent in (the bytes live in the blob store by digest).
 */
import type { Migration } from '../store/migrations';

const messaging001 = `
CREATE TABLE chat_conversations (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  scope_id TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  last_seq BIGINT NOT NULL DEFAULT 0,
  last_message_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE chat_members (
  conversation_id TEXT NOT NULL REFERENCES chat_conversations(id),
  user_id TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX chat_members_user ON chat_members (user_id);
CREATE TABLE chat_messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES chat_conversations(id),
  seq BIGINT NOT NULL,
  sender_id TEXT NOT NULL,
  txn_id TEXT NOT NULL,
  content TEXT,
  created_at BIGINT NOT NULL,
  edited_at BIGINT,
  recalled_by TEXT,
  recalled_at BIGINT,
  UNIQUE (conversation_id, seq),
  UNIQUE (sender_id, txn_id)
);
CREATE TABLE chat_message_edits (
  message_id TEXT NOT NULL REFERENCES chat_messages(id),
  version INTEGER NOT NULL,
  content TEXT NOT NULL,
  replaced_at BIGINT NOT NULL,
  PRIMARY KEY (message_id, version)
);
CREATE TABLE chat_recall_audit (
  message_id TEXT PRIMARY KEY REFERENCES chat_messages(id),
  conversation_id TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  recalled_by TEXT NOT NULL,
  recalled_at BIGINT NOT NULL,
  content TEXT NOT NULL,
  edits TEXT NOT NULL
);
CREATE TABLE chat_reads (
  conversation_id TEXT NOT NULL REFERENCES chat_conversations(id),
  user_id TEXT NOT NULL,
  read_seq BIGINT NOT NULL DEFAULT 0,
  muted INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE TABLE chat_files (
  conversation_id TEXT NOT NULL REFERENCES chat_conversations(id),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, sha256)
);
`;

export const messagingMigrations: Migration[] = [{ id: 'messaging-001-conversations-messages', sqlite: messaging001, postgres: messaging001 }];
