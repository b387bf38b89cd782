/**
 * Tracked revisions (修订痕迹): the body's versions, who authored which Yjs client of a body, and the
 * holder's 接受 / 拒绝 of each change (documents/revisions*.ts).
 */
import type { Migration } from '../store/migrations';

const revisions001 = (blob: string) => `
CREATE TABLE document_body_versions (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  step TEXT NOT NULL,
  action TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  state ${blob} NOT NULL,
  snapshot ${blob} NOT NULL,
  UNIQUE (document_id, seq)
);
CREATE TABLE document_body_authors (
  room TEXT NOT NULL,
  client_id BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  PRIMARY KEY (room, client_id)
);
CREATE TABLE document_revision_decisions (
  document_id TEXT NOT NULL,
  change_id TEXT NOT NULL,
  decision TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, change_id)
);
`;

export const revisionMigrations: Migration[] = [{ id: 'revisions-001-body-versions', sqlite: revisions001('BLOB'), postgres: revisions001('BYTEA') }];
