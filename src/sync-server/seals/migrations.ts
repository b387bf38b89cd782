/** Tables of the seal registry: seals, their images, who holds each, and the 用印记录. */
import type { Migration } from '../store/migrations';

const tables = (blob: string, serial: string): string => `
CREATE TABLE seal_images (
  sha256 TEXT PRIMARY KEY,
  content ${blob} NOT NULL,
  content_type TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE seals (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  bottom_text TEXT,
  image_sha256 TEXT REFERENCES seal_images (sha256),
  certificate_pem TEXT NOT NULL,
  serial_hex TEXT NOT NULL,
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  status TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);
CREATE INDEX seals_serial ON seals (serial_hex);
CREATE TABLE seal_holders (
  seal_id TEXT NOT NULL REFERENCES seals (id),
  user_id TEXT NOT NULL,
  granted_by TEXT NOT NULL,
  granted_by_name TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (seal_id, user_id)
);
CREATE TABLE seal_uses (
  id ${serial},
  seal_id TEXT NOT NULL REFERENCES seals (id),
  document_id TEXT NOT NULL,
  document_title TEXT NOT NULL,
  doc_number TEXT,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  at BIGINT NOT NULL,
  signed_at BIGINT,
  signer_serial_hex TEXT NOT NULL,
  signature_digest TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX seal_uses_seal ON seal_uses (seal_id, id);
`;

/**
 * The 用印记录 is evidence: the store itself refuses to change or remove an entry, so a bug or a
 * careless script cannot rewrite who sealed what (each use is also in the document's audit chain).
 */
const sqliteAppendOnly = `
CREATE TRIGGER seal_uses_no_update BEFORE UPDATE ON seal_uses BEGIN SELECT RAISE(ABORT, 'seal_uses is append-only'); END;
CREATE TRIGGER seal_uses_no_delete BEFORE DELETE ON seal_uses BEGIN SELECT RAISE(ABORT, 'seal_uses is append-only'); END;
`;

const postgresAppendOnly = `
CREATE FUNCTION seal_uses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'seal_uses is append-only';
END;
$$;
CREATE TRIGGER seal_uses_no_change BEFORE UPDATE OR DELETE ON seal_uses FOR EACH ROW EXECUTE FUNCTION seal_uses_append_only();
`;

export const sealMigrations: Migration[] = [
  {
    id: 'seals-001-registry-holders-uses',
    sqlite: tables('BLOB', 'INTEGER PRIMARY KEY AUTOINCREMENT') + sqliteAppendOnly,
    postgres: tables('BYTEA', 'BIGSERIAL PRIMARY KEY') + postgresAppendOnly,
  },
];
