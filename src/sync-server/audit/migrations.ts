/** Tables of the audit module: the hash-chained log of every document event. */
import type { Migration } from '../store/migrations';

/**
 * One chain per document. `audit_heads` keeps each chain's length and last hash apart from the
 * entries, so removing the newest entries is caught as surely as editing or removing older ones.
 */
const audit001 = `
CREATE TABLE audit_entries (
  document_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  payload TEXT NOT NULL,
  payload_digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (document_id, seq)
);
CREATE TABLE audit_heads (
  document_id TEXT PRIMARY KEY,
  length INTEGER NOT NULL,
  head_hash TEXT NOT NULL
);
`;

export const auditMigrations: Migration[] = [{ id: 'audit-001-entries-heads', sqlite: audit001, postgres: audit001 }];
