/** Tables of the accounts module: units, departments, users, server secrets, login throttling, trusted roots. */
import type { Migration } from '../store/migrations';

const accounts001 = `
CREATE TABLE units (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  organ_code TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE departments (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  unit_id TEXT NOT NULL REFERENCES units(id),
  department_id TEXT REFERENCES departments(id),
  roles TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  token_version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_failure_at BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE trusted_roots (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  pem TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
`;

/**
 * Directories in government units are ordered by rank and by how the admin lists them, not by the
 * alphabet: units and people keep the order they were created in (CSV order), adjustable later.
 */
const accounts002 = `
ALTER TABLE units ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;
`;

/**
 * Server-side sessions (issue 15): a token names its session, so signing out ends that one token on
 * every instance; `session_revocations` is the feed every instance follows (and the admin commands,
 * which run in another process, write to) to close the open sockets of revoked tokens;
 * `known_devices` lets the right password from a device that signed in before past a username lock.
 */
const accounts003 = (serial: string): string => `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  refreshed_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE session_revocations (
  seq ${serial},
  user_id TEXT NOT NULL,
  session_id TEXT,
  at BIGINT NOT NULL
);
CREATE TABLE known_devices (
  user_id TEXT NOT NULL REFERENCES users(id),
  device_hash TEXT NOT NULL,
  first_seen_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, device_hash)
);
`;

export const accountMigrations: Migration[] = [
  { id: 'accounts-001-units-users-secrets', sqlite: accounts001, postgres: accounts001 },
  { id: 'accounts-002-sort-order', sqlite: accounts002, postgres: accounts002 },
  { id: 'accounts-003-sessions-devices', sqlite: accounts003('INTEGER PRIMARY KEY AUTOINCREMENT'), postgres: accounts003('BIGSERIAL PRIMARY KEY') },
];
