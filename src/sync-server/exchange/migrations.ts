/** Tables of the exchange module: one row per (dispatched document, receiving unit). */
import type { Migration } from '../store/migrations';

const exchange001 = `
CREATE TABLE exchange_items (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  from_unit_id TEXT NOT NULL,
  to_unit_id TEXT NOT NULL,
  title TEXT NOT NULL,
  doc_number TEXT,
  pdf_sha256 TEXT NOT NULL,
  urgency TEXT NOT NULL,
  secrecy_level TEXT NOT NULL,
  status TEXT NOT NULL,
  sent_by TEXT NOT NULL,
  sent_by_name TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  handled_by TEXT,
  handled_by_name TEXT,
  handled_at BIGINT,
  reason TEXT,
  incoming_document_id TEXT
);
CREATE INDEX exchange_document ON exchange_items (document_id);
CREATE INDEX exchange_to ON exchange_items (to_unit_id, sent_at);
CREATE INDEX exchange_from ON exchange_items (from_unit_id, sent_at);
`;

/** Exchange items join the documents' change feed (documents-002). */
const exchange002 = `
ALTER TABLE exchange_items ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX exchange_change_seq ON exchange_items (change_seq);
`;

/**
 * Outbox client ids of applied exchange actions (签收 / 退回 / 撤回): the same command sent again
 * after a crash or a lost response finds its id here and is answered with the item as it is,
 * instead of 409. Written in the same transaction as the action, so an id is recorded if and only
 * if its action was applied.
 */
const exchange003 = `
CREATE TABLE exchange_action_ids (
  exchange_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (exchange_id, client_id, user_id)
);
`;

/**
 * Issue 20: the CRLs the server checks seals against (one per issuing CA; `xietong admin crl` and
 * the config's URLs load them), and 催收 on each item (how often, when last).
 */
const exchange004 = `
CREATE TABLE exchange_crls (
  issuer TEXT PRIMARY KEY,
  pem TEXT NOT NULL,
  this_update BIGINT NOT NULL,
  next_update BIGINT,
  revoked_count INTEGER NOT NULL,
  source TEXT NOT NULL,
  loaded_at BIGINT NOT NULL
);
ALTER TABLE exchange_items ADD COLUMN reminder_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exchange_items ADD COLUMN reminded_at BIGINT;
CREATE INDEX exchange_pending ON exchange_items (status, sent_at);
`;

export const exchangeMigrations: Migration[] = [
  { id: 'exchange-001-items', sqlite: exchange001, postgres: exchange001 },
  { id: 'exchange-002-change-feed', sqlite: exchange002, postgres: exchange002 },
  { id: 'exchange-003-action-ids', sqlite: exchange003, postgres: exchange003 },
  { id: 'exchange-004-verification-crls-reminders', sqlite: exchange004, postgres: exchange004 },
];
