/**
 * Accounts: units, departments, people, passwords, sessions. The one place that decides who someone
 * is — routes, the sync service and the admin commands all go through it.
 */
import { randomUUID } from 'node:crypto';
import { RoleSchema, type Role } from '../../shared/domain/roles';
import type { AccountUser, LoginResponse } from '../../shared/http/auth';
import type { DirectoryUnit, DirectoryUser } from '../../shared/http/directory';
import { HttpError, badRequest, conflict, notFound, unauthenticated } from '../http/errors';
import { bool, type Database, type Queryable } from '../store/database';
import { DUMMY_HASH, generateOneTimePassword, hashOneTimePassword, hashPassword, verifyPassword } from './passwords';
import { LoginThrottle, defaultThrottlePolicy, type ThrottlePolicy } from './throttle';
import { TokenSigner, loadTokenSecret } from './tokens';

export interface AccountsOptions {
  /** Token lifetime. Default 12 hours (a working day plus overtime). */
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

const USER_SELECT = `SELECT u.id, u.username, u.name, u.unit_id, un.name AS unit_name, u.department_id, d.name AS department_name,
  u.roles, u.password_hash, u.must_change_password, u.disabled, u.token_version
  FROM users u JOIN units un ON un.id = u.unit_id LEFT JOIN departments d ON d.id = u.department_id`;

/** Usernames: letters, digits, dot, dash, underscore; compared case-insensitively (stored lower-case). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const normaliseUsername = (username: string): string => username.trim().toLowerCase();

function parseRoles(text: string): Role[] {
  return text
    .split(';')
    .filter(Boolean)
    .flatMap((role) => {
      const parsed = RoleSchema.safeParse(role);
      return parsed.success ? [parsed.data] : [];
    });
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

  private constructor(
    private readonly db: Database,
    private readonly signer: TokenSigner,
    options: AccountsOptions,
  ) {
    this.ttlSeconds = options.tokenTtlSeconds ?? 12 * 60 * 60;
    this.now = options.now ?? Date.now;
    this.throttle = new LoginThrottle(db, options.throttle ?? defaultThrottlePolicy, this.now);
  }

  /** Loads (or creates) the token secret from the store. */
  static async open(db: Database, options: AccountsOptions = {}): Promise<Accounts> {
    const secret = await loadTokenSecret(db, options.now);
    return new Accounts(db, new TokenSigner(secret), options);
  }

  // ── sessions ────────────────────────────────────────────────────────────

  /** Checks the password (throttled); a token and the person on success, 401/429 otherwise. */
  async login(usernameInput: string, password: string, ip: string): Promise<LoginResponse> {
    const username = normaliseUsername(usernameInput);
    await this.throttle.check(username, ip);
    const row = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.username = ?`, [username]);
    // Hash even for unknown names so the answer's timing does not reveal which usernames exist.
    const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !matches || bool(row.disabled)) {
      await this.throttle.recordFailure(username, ip);
      // A disabled account gets the same answer as a wrong password only when the password is wrong;
      // with the right password, tell the person to see their administrator.
      if (row && matches && bool(row.disabled)) throw unauthenticated('该账号已停用，请联系管理员');
      throw unauthenticated('用户名或密码错误');
    }
    await this.throttle.recordSuccess(username);
    return this.issue(row);
  }

  /** The person a token belongs to, or null when it is invalid, expired or no longer counts. */
  async authenticate(token: string): Promise<AccountUser | null> {
    const payload = this.signer.verify(token, this.now());
    if (!payload) return null;
    const row = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.id = ?`, [payload.sub]);
    if (!row || bool(row.disabled) || row.token_version !== payload.ver) return null;
    return toUser(row);
  }

  /** Replaces the caller's password; ends their other sessions and returns a fresh token. */
  async changePassword(userId: string, currentPassword: string, newPassword: string, ip: string): Promise<LoginResponse> {
    const row = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.id = ?`, [userId]);
    if (!row) throw unauthenticated('登录已失效，请重新登录');
    await this.throttle.check(row.username, ip);
    if (!(await verifyPassword(currentPassword, row.password_hash))) {
      await this.throttle.recordFailure(row.username, ip);
      throw new HttpError('forbidden', '当前密码不正确');
    }
    if (currentPassword === newPassword) throw badRequest('新密码不能与当前密码相同');
    const hash = await hashPassword(newPassword);
    await this.db.run('UPDATE users SET password_hash = ?, must_change_password = 0, token_version = token_version + 1, updated_at = ? WHERE id = ?', [
      hash,
      this.now(),
      userId,
    ]);
    const updated = await this.db.get<UserRow>(`${USER_SELECT} WHERE u.id = ?`, [userId]);
    if (!updated) throw unauthenticated('登录已失效，请重新登录');
    return this.issue(updated);
  }

  private issue(row: UserRow): LoginResponse {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.ttlSeconds;
    return { token: this.signer.sign({ sub: row.id, ver: row.token_version, iat, exp }), expiresAt: exp * 1000, user: toUser(row) };
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
    if (!USERNAME_PATTERN.test(username)) throw badRequest(`用户名无效：${input.username}（只能包含字母、数字、点、横线和下划线）`);
    if (await tx.get('SELECT id FROM users WHERE username = ?', [username])) throw conflict(`用户名已存在：${username}`);
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
    const { changes } = await this.db.run(
      'UPDATE users SET password_hash = ?, must_change_password = 1, token_version = token_version + 1, updated_at = ? WHERE username = ?',
      [hash, this.now(), name],
    );
    if (changes === 0) throw notFound(`没有用户 ${name}`);
    await this.throttle.clear(name);
    return oneTimePassword;
  }

  /** Disables (or re-enables) an account; disabling ends every session at once. */
  async setDisabled(username: string, disabled: boolean): Promise<void> {
    const name = normaliseUsername(username);
    const { changes } = await this.db.run(
      `UPDATE users SET disabled = ?, token_version = token_version + ${disabled ? 1 : 0}, updated_at = ? WHERE username = ?`,
      [disabled ? 1 : 0, this.now(), name],
    );
    if (changes === 0) throw notFound(`没有用户 ${name}`);
  }

  /** Sets a person's department and roles (admin import); sessions stay valid, roles apply at the next request. */
  async updatePlacement(username: string, placement: { departmentId: string | null; roles: Role[] }, tx: Queryable = this.db): Promise<void> {
    const { changes } = await tx.run('UPDATE users SET department_id = ?, roles = ?, updated_at = ? WHERE username = ?', [
      placement.departmentId,
      [...new Set(placement.roles)].join(';'),
      this.now(),
      normaliseUsername(username),
    ]);
    if (changes === 0) throw notFound(`没有用户 ${normaliseUsername(username)}`);
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
