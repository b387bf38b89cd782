/**
 * Accounts: units, departments, people, passwords, sessions. The one place that decides who someone
 * is — routes, the sync service and the admin commands all go through it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { RoleSchema, type Role } from '../../shared/domain/roles';
import type { AccountUser, LoginResponse } from '../../shared/http/auth';
import type { DirectoryUnit, DirectoryUser } from '../../shared/http/directory';
import { appendAudit, readAudit, type AuditEntry, type AuditVerification } from '../audit/auditLog';
import { HttpError, badRequest, conflict, notFound, unauthenticated } from '../http/errors';
import { bool, type Database, type Queryable } from '../store/database';
import { DUMMY_HASH, generateOneTimePassword, hashOneTimePassword, hashPassword, verifyPassword } from './passwords';
import { LoginThrottle, defaultThrottlePolicy, type ThrottlePolicy } from './throttle';
import { TokenSigner, VerifiedTokens, loadTokenSecret } from './tokens';
import { errorText } from '../../shared/errors';

export interface AccountsOptions {
  /**
   * How long a token works unless refreshed (`POST /api/auth/refresh`, which a signed-in client calls
   * while in use): the idle limit of a session, and the most a stolen token is worth. Default 8 h.
   */
  tokenTtlSeconds?: number;
  throttle?: ThrottlePolicy;
  now?: () => number;
}

export interface NewUser {
  username: string;
  name: string;
  unitId: string;
  departmentId?: string | null;
  roles: Role[];
  /** Given: stored as is. Absent: a one-time password is generated and returned. */
  password?: string;
  /**
   * A hash made beforehand with `hashOneTimePassword` (bulk imports hash before their transaction opens, so
   * the store is not locked while scrypt runs); `oneTimePassword` is then what was hashed.
   */
  prehashed?: { hash: string; oneTimePassword: string };
  mustChangePassword?: boolean;
  id?: string;
}

interface UserRow extends Record<string, unknown> {
  id: string;
  username: string;
  name: string;
  unit_id: string;
  unit_name: string;
  department_id: string | null;
  department_name: string | null;
  roles: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  token_version: number;
}

/** What ended sessions: `sessionId` one session (sign-out), absent every session of the person. */
export interface Revocation {
  readonly userId: string;
  readonly sessionId?: string;
}

/** The audit chain of one account's sign-in events (the audit log is per subject). */
export const accountAuditSubject = (userId: string): string => `account:${userId}`;

/** Default idle lifetime of a token: a working day without touching the app ends the session. */
export const DEFAULT_TOKEN_TTL_SECONDS = 8 * 60 * 60;

/** Refused attempts on a locked account are audited at most this often (an attacker may hammer it). */
const LOCKED_AUDIT_EVERY_MS = 60_000;

const USER_SELECT = `SELECT u.id, u.username, u.name, u.unit_id, un.name AS unit_name, u.department_id, d.name AS department_name,
  u.roles, u.password_hash, u.must_change_password, u.disabled, u.token_version
  FROM users u JOIN units un ON un.id = u.unit_id LEFT JOIN departments d ON d.id = u.department_id`;

/** The person and one of their sessions (parameters: session id, then user id), in one round trip per request. */
const SESSION_SELECT = `SELECT u.id, u.username, u.name, u.unit_id, un.name AS unit_name, u.department_id, d.name AS department_name,
  u.roles, u.password_hash, u.must_change_password, u.disabled, u.token_version, s.user_id AS session_user, s.revoked_at AS session_revoked
  FROM users u JOIN units un ON un.id = u.unit_id LEFT JOIN departments d ON d.id = u.department_id
  LEFT JOIN sessions s ON s.id = ? AND s.user_id = u.id`;

/** Usernames: letters, digits, dot, dash, underscore; compared case-insensitively (stored lower-case). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const normaliseUsername = (username: string): string => username.trim().toLowerCase();

/**
 * The roles the schema knows, for a Set lookup: every request turns the account row's roles into a
 * list, and a zod parse per role was a measurable part of authenticating (≈1 % of an action).
 */
const knownRoles: ReadonlySet<string> = new Set<string>(RoleSchema.options);
const isRole = (text: string): text is Role => knownRoles.has(text);

function parseRoles(text: string): Role[] {
  // A role the schema no longer knows (a row written by a newer version) is left out, not trusted.
  return text.split(';').filter(isRole);
}

function toUser(row: UserRow): AccountUser {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    ...(row.department_id ? { departmentId: row.department_id } : {}),
    ...(row.department_name ? { departmentName: row.department_name } : {}),
    roles: parseRoles(row.roles),
    mustChangePassword: bool(row.must_change_password),
  };
}

export class Accounts {
  readonly throttle: LoginThrottle;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private readonly revocationListeners = new Set<(revocation: Revocation) => void>();
  private readonly lockedAuditedAt = new Map<string, number>();
  /** Signature checks remembered across requests; whether a token still counts is read every time (`sessionOf`). */
  private readonly verifiedTokens: VerifiedTokens;

  private constructor(
    private readonly db: Database,
    private readonly signer: TokenSigner,
    options: AccountsOptions,
  ) {
    this.ttlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
    this.throttle = new LoginThrottle(db, options.throttle ?? defaultThrottlePolicy, this.now);
    this.verifiedTokens = new VerifiedTokens(signer);
  }

  /** Loads (or creates) the token secret from the store. */
  static async open(db: Database, options: AccountsOptions = {}): Promise<Accounts> {
    const secret = await loadTokenSecret(db, options.now);
    return new Accounts(db, new TokenSigner(secret), options);
  }

  // ── sessions ────────────────────────────────────────────────────────────

  /** Idle lifetime of a token in seconds (what `POST /api/auth/refresh` renews). */
  get tokenTtlSeconds(): number {
    return this.ttlSeconds;
  }

  /**
   * Tells `listener` about every revocation made through this object (sign-out, password change or
   * reset, disabling); returns the unsubscribe function. Revocations made by other processes reach
   * the server through the `session_revocations` feed instead (see revocations.ts).
   */
  onRevoked(listener: (revocation: Revocation) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /**
   * Checks the password (throttled); a token and the person on success, 401/429 otherwise.
   *
   * A lock on the username (six wrong passwords by anyone) does not stop the right password from a
   * device that signed in to this account before (`deviceId`, a random secret the client keeps):
   * otherwise anyone who knows a username can keep its owner out. The address lock still applies.
   * Failed, refused and let-through attempts on an existing account go to its audit chain.
   */
  async login(usernameInput: string, password: string, ip: string, deviceId?: string): Promise<LoginResponse> {
    const username = normaliseUsername(usernameInput);
    const row = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.username = ?`, [username]);
    const deviceHash = deviceId ? createHash('sha256').update(deviceId, 'utf8').digest('hex') : null;
    const blocks = await this.throttle.blocks(username, ip);
    const ipBlock = blocks.find((block) => block.scope === 'ip');
    const userBlock = blocks.find((block) => block.scope === 'user');
    if (ipBlock) {
      if (row) await this.auditRefusedWhileLocked(row, ip, 'ip', deviceHash !== null);
      throw ipBlock.error;
    }
    const passingLock = !!userBlock && !!row && !!deviceHash && (await this.isKnownDevice(row.id, deviceHash));
    if (userBlock && !passingLock) {
      if (row) await this.auditRefusedWhileLocked(row, ip, 'user', deviceHash !== null);
      throw userBlock.error;
    }
    // Hash even for unknown names so the answer's timing does not reveal which usernames exist.
    const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !matches || bool(row.disabled)) {
      if (userBlock && row) {
        // A known device with a wrong password while locked: the lock's answer, and nothing counted
        // (the owner's own device does not extend the lock someone else caused).
        await this.auditAccount(row, 'login.refused', { ip, reason: 'locked', device: 'known', passwordMatched: matches });
        throw userBlock.error;
      }
      await this.throttle.recordFailure(username, ip);
      if (row) {
        const locked = await this.throttle.isLocked(username);
        await this.auditAccount(row, locked ? 'login.locked' : 'login.failed', { ip, reason: matches ? 'disabled' : 'wrong-password', device: deviceHash ? 'given' : 'none' });
      }
      // A disabled account gets the same answer as a wrong password only when the password is wrong;
      // with the right password, tell the person to see their administrator.
      if (row && matches && bool(row.disabled)) throw unauthenticated(errorText('auth.accountDisabled'));
      throw unauthenticated(errorText('auth.wrongPassword'));
    }
    await this.throttle.recordSuccess(username);
    if (userBlock) await this.auditAccount(row, 'login.known-device', { ip, reason: userBlock.locked ? 'locked' : 'slowed' });
    return this.openSession(row, deviceHash);
  }

  /** The person a token belongs to, or null when it is invalid, expired, signed out or no longer counts. */
  async authenticate(token: string): Promise<AccountUser | null> {
    const found = await this.sessionOf(token);
    return found ? toUser(found.row) : null;
  }

  /** POST /api/auth/logout: ends the token's session on every instance (204 even when already ended). */
  async logout(token: string): Promise<void> {
    const payload = this.signer.verify(token, this.now());
    if (!payload?.sid) return;
    const sessionId = payload.sid;
    const ended = await this.db.transaction(async (tx) => {
      const { changes } = await tx.run('UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL', [this.now(), sessionId, payload.sub]);
      if (changes > 0) await this.recordRevocation(tx, { userId: payload.sub, sessionId });
      return changes > 0;
    });
    if (ended) this.emitRevoked({ userId: payload.sub, sessionId });
  }

  /**
   * POST /api/auth/refresh: a new token for the same session with a fresh lifetime, for a token that
   * still works. Clients call it while in use, so an idle session ends after `tokenTtlSeconds`.
   */
  async refresh(token: string): Promise<LoginResponse> {
    const found = await this.sessionOf(token);
    if (!found) throw unauthenticated(errorText('auth.sessionExpired'));
    await this.db.run('UPDATE sessions SET refreshed_at = ? WHERE id = ?', [this.now(), found.sessionId]);
    return this.issue(found.row, found.sessionId);
  }

  /** Replaces the caller's password; ends all their sessions (every socket too) and returns a fresh token. */
  async changePassword(userId: string, currentPassword: string, newPassword: string, ip: string): Promise<LoginResponse> {
    const row = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.id = ?`, [userId]);
    if (!row) throw unauthenticated(errorText('auth.sessionExpired'));
    await this.throttle.check(row.username, ip);
    if (!(await verifyPassword(currentPassword, row.password_hash))) {
      await this.throttle.recordFailure(row.username, ip);
      throw new HttpError('forbidden', errorText('auth.currentPasswordWrong'));
    }
    if (currentPassword === newPassword) throw badRequest(errorText('auth.newPasswordSame'));
    const hash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE users SET password_hash = ?, must_change_password = 0, token_version = token_version + 1, updated_at = ? WHERE id = ?', [hash, this.now(), userId]);
      await this.endAllSessions(tx, userId);
    });
    this.emitRevoked({ userId });
    const updated = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.id = ?`, [userId]);
    if (!updated) throw unauthenticated(errorText('auth.sessionExpired'));
    return this.openSession(updated, null);
  }

  /** The sign-in audit of one account (failed, refused and let-through attempts), for the administrator. */
  async loginAudit(username: string): Promise<{ entries: AuditEntry[] } & AuditVerification> {
    const user = await this.userByUsername(username);
    if (!user) throw notFound(errorText('auth.noSuchUser', { username: normaliseUsername(username) }));
    return readAudit(this.db, accountAuditSubject(user.id));
  }

  /** Verifies the token and its session against the store: the account row and the session id, or null. */
  private async sessionOf(token: string): Promise<{ row: UserRow; sessionId: string } | null> {
    const payload = this.verifiedTokens.verify(token, this.now());
    if (!payload?.sid) return null;
    const row = await this.db.get<UserRow & { session_user: string | null; session_revoked: number | null }>(
      `${SESSION_SELECT} WHERE u.id = ?`,
      [payload.sid, payload.sub],
    );
    if (!row || bool(row.disabled) || row.token_version !== payload.ver) return null;
    if (row.session_user === null || row.session_revoked !== null) return null;
    return { row, sessionId: payload.sid };
  }

  /** A new server-side session and its first token; remembers the device that signed in. */
  private async openSession(row: UserRow, deviceHash: string | null): Promise<LoginResponse> {
    const now = this.now();
    const sessionId = randomUUID();
    await this.db.transaction(async (tx) => {
      // Sessions whose last token has long expired are only history: forget them.
      await tx.run('DELETE FROM sessions WHERE user_id = ? AND refreshed_at < ?', [row.id, now - 2 * this.ttlSeconds * 1000]);
      await tx.run('INSERT INTO sessions (id, user_id, created_at, refreshed_at) VALUES (?, ?, ?, ?)', [sessionId, row.id, now, now]);
      if (deviceHash) {
        await tx.run(
          'INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, device_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at',
          [row.id, deviceHash, now, now],
        );
      }
    });
    return this.issue(row, sessionId);
  }

  private issue(row: UserRow, sessionId: string): LoginResponse {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.ttlSeconds;
    return { token: this.signer.sign({ sub: row.id, ver: row.token_version, sid: sessionId, iat, exp }), expiresAt: exp * 1000, user: toUser(row) };
  }

  private async isKnownDevice(userId: string, deviceHash: string): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 AS known FROM known_devices WHERE user_id = ? AND device_hash = ?', [userId, deviceHash]));
  }

  /** Marks every open session of the person ended and records the revocation (in the caller's transaction). */
  private async endAllSessions(tx: Queryable, userId: string): Promise<void> {
    await tx.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [this.now(), userId]);
    await this.recordRevocation(tx, { userId });
  }

  /** One row of the feed every instance follows; rows older than a day are of no use to anyone. */
  private async recordRevocation(tx: Queryable, revocation: Revocation): Promise<void> {
    const now = this.now();
    await tx.run('INSERT INTO session_revocations (user_id, session_id, at) VALUES (?, ?, ?)', [revocation.userId, revocation.sessionId ?? null, now]);
    await tx.run('DELETE FROM session_revocations WHERE at < ?', [now - 24 * 60 * 60 * 1000]);
  }

  private emitRevoked(revocation: Revocation): void {
    for (const listener of [...this.revocationListeners]) listener(revocation);
  }

  private async auditRefusedWhileLocked(row: UserRow, ip: string, scope: 'user' | 'ip', withDevice: boolean): Promise<void> {
    const now = this.now();
    const last = this.lockedAuditedAt.get(row.id) ?? -Infinity;
    if (now - last < LOCKED_AUDIT_EVERY_MS) return;
    this.lockedAuditedAt.set(row.id, now);
    if (this.lockedAuditedAt.size > 10_000) this.lockedAuditedAt.clear();
    await this.auditAccount(row, 'login.refused', { ip, reason: scope === 'user' ? 'locked' : 'address-locked', device: withDevice ? 'unknown' : 'none' });
  }

  /**
   * Appends a sign-in event to the account's audit chain. Losing a race on the chain (two attempts at
   * once) is retried; the person's answer (401/429/200) never depends on the audit write.
   */
  private async auditAccount(row: UserRow, action: string, payload: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.db.transaction((tx) => appendAudit(tx, { documentId: accountAuditSubject(row.id), at: this.now(), actorId: row.id, actorName: row.name, action, payload }));
        return;
      } catch {
        // Another attempt on the same account extended the chain first: read the new head and retry.
      }
    }
  }

  // ── people ──────────────────────────────────────────────────────────────

  async userById(id: string): Promise<AccountUser | null> {
    const row = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.id = ?`, [id]);
    return row ? toUser(row) : null;
  }

  async userByUsername(username: string): Promise<(AccountUser & { disabled: boolean }) | null> {
    const row = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.username = ?`, [normaliseUsername(username)]);
    return row ? { ...toUser(row), disabled: bool(row.disabled) } : null;
  }

  /** Creates a person; resolves to their id and, when none was given, the one-time password. */
  async createUser(input: NewUser, tx: Queryable = this.db): Promise<{ id: string; oneTimePassword?: string }> {
    const username = normaliseUsername(input.username);
    if (!USERNAME_PATTERN.test(username)) throw badRequest(errorText('auth.usernameInvalid', { username: input.username }));
    if (await tx.get('SELECT id FROM users WHERE username = ?', [username])) throw conflict(errorText('auth.usernameTaken', { username }));
    const oneTimePassword = input.prehashed?.oneTimePassword ?? (input.password === undefined ? generateOneTimePassword() : undefined);
    const id = input.id ?? randomUUID();
    const now = this.now();
    await tx.run(
      `INSERT INTO users (id, username, name, unit_id, department_id, roles, password_hash, must_change_password, disabled, token_version, created_at, updated_at, sort_order)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM users))`,
      [
        id,
        username,
        input.name.trim(),
        input.unitId,
        input.departmentId ?? null,
        [...new Set(input.roles)].join(';'),
        input.prehashed?.hash ?? (input.password !== undefined ? await hashPassword(input.password) : await hashOneTimePassword(oneTimePassword ?? '')),
        (input.mustChangePassword ?? oneTimePassword !== undefined) ? 1 : 0,
        now,
        now,
      ],
    );
    return oneTimePassword === undefined ? { id } : { id, oneTimePassword };
  }

  /** Admin reset: a one-time password the person must change; every session of theirs ends; a lock is lifted. */
  async resetPassword(username: string): Promise<string> {
    const name = normaliseUsername(username);
    const oneTimePassword = generateOneTimePassword();
    const hash = await hashOneTimePassword(oneTimePassword);
    const userId = await this.db.transaction(async (tx) => {
      const found = await tx.get<{ id: string }>('SELECT id FROM users WHERE username = ?', [name]);
      if (!found) throw notFound(errorText('auth.noSuchUserName', { name }));
      await tx.run('UPDATE users SET password_hash = ?, must_change_password = 1, token_version = token_version + 1, updated_at = ? WHERE id = ?', [hash, this.now(), found.id]);
      await this.endAllSessions(tx, found.id);
      return found.id;
    });
    this.emitRevoked({ userId });
    await this.throttle.clear(name);
    return oneTimePassword;
  }

  /** Disables (or re-enables) an account; disabling ends every session at once. */
  async setDisabled(username: string, disabled: boolean): Promise<void> {
    const name = normaliseUsername(username);
    const userId = await this.db.transaction(async (tx) => {
      const found = await tx.get<{ id: string }>('SELECT id FROM users WHERE username = ?', [name]);
      if (!found) throw notFound(errorText('auth.noSuchUserName', { name }));
      await tx.run(`UPDATE users SET disabled = ?, token_version = token_version + ${disabled ? 1 : 0}, updated_at = ? WHERE id = ?`, [disabled ? 1 : 0, this.now(), found.id]);
      if (disabled) await this.endAllSessions(tx, found.id);
      return found.id;
    });
    if (disabled) this.emitRevoked({ userId });
  }

  /** Sets a person's department and roles (admin import); sessions stay valid, roles apply at the next request. */
  async updatePlacement(username: string, placement: { departmentId: string | null; roles: Role[] }, tx: Queryable = this.db): Promise<void> {
    const { changes } = await tx.run('UPDATE users SET department_id = ?, roles = ?, updated_at = ? WHERE username = ?', [
      placement.departmentId,
      [...new Set(placement.roles)].join(';'),
      this.now(),
      normaliseUsername(username),
    ]);
    if (changes === 0) throw notFound(errorText('auth.noSuchUser', { username: normaliseUsername(username) }));
  }

  async countUsers(): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users');
    return Number(row?.n ?? 0);
  }

  // ── units and departments ───────────────────────────────────────────────

  /** The unit with this name, created with `organCode` when missing. */
  async ensureUnit(name: string, organCode: string | null, tx: Queryable = this.db, id?: string): Promise<{ id: string; created: boolean }> {
    const existing = await tx.get<{ id: string }>('SELECT id FROM units WHERE name = ?', [name.trim()]);
    if (existing) return { id: existing.id, created: false };
    const unitId = id ?? randomUUID();
    await tx.run('INSERT INTO units (id, name, organ_code, created_at, sort_order) VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM units))', [unitId, name.trim(), organCode ?? deriveOrganCode(name), this.now()]);
    return { id: unitId, created: true };
  }

  /** The department of `unitId` with this name, created when missing. */
  async ensureDepartment(unitId: string, name: string, tx: Queryable = this.db, id?: string): Promise<{ id: string; created: boolean }> {
    const existing = await tx.get<{ id: string }>('SELECT id FROM departments WHERE unit_id = ? AND name = ?', [unitId, name.trim()]);
    if (existing) return { id: existing.id, created: false };
    const departmentId = id ?? randomUUID();
    await tx.run('INSERT INTO departments (id, unit_id, name, created_at) VALUES (?, ?, ?, ?)', [departmentId, unitId, name.trim(), this.now()]);
    return { id: departmentId, created: true };
  }

  async listUnits(): Promise<DirectoryUnit[]> {
    const units = await this.db.all<{ id: string; name: string; organ_code: string }>('SELECT id, name, organ_code FROM units ORDER BY sort_order, name');
    const departments = await this.db.all<{ id: string; unit_id: string; name: string }>('SELECT id, unit_id, name FROM departments ORDER BY created_at, name');
    return units.map((unit) => ({
      id: unit.id,
      name: unit.name,
      organCode: unit.organ_code,
      departments: departments.filter((d) => d.unit_id === unit.id).map((d) => ({ id: d.id, name: d.name })),
    }));
  }

  /** Active people, optionally of one unit. */
  async listUsers(unitId?: string): Promise<DirectoryUser[]> {
    const rows = await this.db.all<UserRow>(
      `${USER_SELECT} WHERE u.disabled = 0${unitId ? ' AND u.unit_id = ?' : ''} ORDER BY u.sort_order, u.username`,
      unitId ? [unitId] : [],
    );
    return rows.map((row) => {
      const user = toUser(row);
      return { id: user.id, username: user.username, name: user.name, unitId: user.unitId, ...(user.departmentId ? { departmentId: user.departmentId } : {}), roles: user.roles };
    });
  }

  /** Everyone, disabled people included, with their state (admin listing). */
  async listAccounts(): Promise<(AccountUser & { disabled: boolean })[]> {
    const rows = await this.db.all<UserRow>(`${USER_SELECT} ORDER BY un.sort_order, u.sort_order, u.username`);
    return rows.map((row) => ({ ...toUser(row), disabled: bool(row.disabled) }));
  }

  // ── trust ───────────────────────────────────────────────────────────────

  /** Adds a root certificate (PEM) the server trusts for signatures; same PEM twice is a no-op. */
  async addTrustedRoot(name: string, pem: string): Promise<void> {
    const existing = await this.db.get('SELECT id FROM trusted_roots WHERE pem = ?', [pem]);
    if (existing) return;
    await this.db.run('INSERT INTO trusted_roots (id, name, pem, created_at) VALUES (?, ?, ?, ?)', [randomUUID(), name, pem, this.now()]);
  }

  /** Every trusted root certificate (PEM), for signature verification. */
  async trustedRoots(): Promise<{ name: string; pem: string }[]> {
    return this.db.all<{ name: string; pem: string }>('SELECT name, pem FROM trusted_roots ORDER BY created_at');
  }
}

/**
 * A short organ code for 发文字号 when none is given: 市发展和改革委员会 → 市发改委 is a human
 * choice, so the fallback is simply the first four characters; admins set the real one in the CSV.
 */
export function deriveOrganCode(unitName: string): string {
  return [...unitName.trim()].slice(0, 4).join('');
}
