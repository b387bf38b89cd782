/**
 * Login throttling, kept in the store so every instance sees the same counts. Two keys per attempt:
 * the username (guessing one person's password) and the client address (trying many usernames).
 *
 * Per key: after `slowAfter` failures each further attempt must wait 1 s, 2 s, 4 s … (capped at
 * `maxDelaySeconds`); after `lockAfter` failures the key is locked for `lockSeconds`, even for the
 * right password — unless it comes from a device that signed in to that account before (see
 * `Accounts.login`). Failures older than `windowSeconds` are forgotten; a successful login clears the
 * username's count (not the address's, so one valid account cannot reset an address's guessing).
 */
import type { Database, Queryable } from '../store/database';
import { HttpError } from '../http/errors';
import { errorText, type ErrorText } from '../../shared/errors';

export interface ThrottleRule {
  slowAfter: number;
  lockAfter: number;
  lockSeconds: number;
  windowSeconds: number;
  maxDelaySeconds: number;
}

export interface ThrottlePolicy {
  user: ThrottleRule;
  ip: ThrottleRule;
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  user: { slowAfter: 3, lockAfter: 6, lockSeconds: 15 * 60, windowSeconds: 15 * 60, maxDelaySeconds: 8 },
  // Many desks share one NAT address in a government building: only lock on clearly abusive counts.
  ip: { slowAfter: 1_000_000, lockAfter: 50, lockSeconds: 15 * 60, windowSeconds: 15 * 60, maxDelaySeconds: 8 },
};

interface FailureRow extends Record<string, unknown> {
  failures: number;
  first_failure_at: number;
  last_failure_at: number;
  locked_until: number;
}

function current(row: FailureRow | undefined, rule: ThrottleRule, now: number): FailureRow | undefined {
  if (!row) return undefined;
  if (row.locked_until > 0) return row.locked_until > now ? row : undefined;
  if (now - row.first_failure_at > rule.windowSeconds * 1000) return undefined;
  return row;
}

/** The wait as the catalogue words it: whole minutes from a minute on, else seconds (same zh text as ever). */
const lockedText = (scope: 'user' | 'ip', seconds: number): ErrorText =>
  seconds >= 60
    ? errorText(scope === 'user' ? 'auth.accountLockedMinutes' : 'auth.addressLockedMinutes', { minutes: Math.ceil(seconds / 60) })
    : errorText(scope === 'user' ? 'auth.accountLockedSeconds' : 'auth.addressLockedSeconds', { seconds });
const slowText = (seconds: number): ErrorText =>
  seconds >= 60 ? errorText('auth.tooManyAttemptsMinutes', { minutes: Math.ceil(seconds / 60) }) : errorText('auth.tooManyAttemptsSeconds', { seconds });

export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly policy: ThrottlePolicy = defaultThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 when either key may not try now. */
  async check(username: string, ip: string): Promise<void> {
    const [first] = await this.blocks(username, ip);
    if (first) throw first.error;
  }

  /**
   * What stops an attempt now, per key (`user` first): a lock or a wait, each with its 429. Login lets
   * the right password from a known device past a `user` block (anyone who knows a username can
   * cause one); an `ip` block stops everyone.
   */
  async blocks(username: string, ip: string): Promise<{ scope: 'user' | 'ip'; locked: boolean; error: HttpError }[]> {
    const now = this.now();
    const found: { scope: 'user' | 'ip'; locked: boolean; error: HttpError }[] = [];
    for (const [key, rule] of this.keys(username, ip)) {
      const scope = key.startsWith('user:') ? 'user' : 'ip';
      const row = current(await this.db.get<FailureRow>('SELECT failures, first_failure_at, last_failure_at, locked_until FROM login_failures WHERE key = ?', [key]), rule, now);
      if (!row) continue;
      if (row.locked_until > now) {
        const wait = Math.ceil((row.locked_until - now) / 1000);
        found.push({ scope, locked: true, error: new HttpError('too_many_requests', lockedText(scope, wait), { retryAfterSeconds: wait }) });
        continue;
      }
      if (row.failures >= rule.slowAfter) {
        const delayMs = Math.min(2 ** (row.failures - rule.slowAfter), rule.maxDelaySeconds) * 1000;
        const allowedAt = row.last_failure_at + delayMs;
        if (allowedAt > now) {
          const wait = Math.ceil((allowedAt - now) / 1000);
          found.push({ scope, locked: false, error: new HttpError('too_many_requests', slowText(wait), { retryAfterSeconds: wait }) });
        }
      }
    }
    return found;
  }

  /** True when the username's failures have reached the lock (after `recordFailure`). */
  async isLocked(username: string): Promise<boolean> {
    const row = await this.db.get<FailureRow>('SELECT failures, first_failure_at, last_failure_at, locked_until FROM login_failures WHERE key = ?', [`user:${username.toLowerCase()}`]);
    return !!row && row.locked_until > this.now();
  }

  /** Counts a failed attempt against both keys. */
  async recordFailure(username: string, ip: string): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      for (const [key, rule] of this.keys(username, ip)) await this.bump(tx, key, rule, now);
      // Forget what no longer counts, so a spray of made-up usernames cannot grow the table for ever.
      const window = Math.max(this.policy.user.windowSeconds, this.policy.ip.windowSeconds) * 1000;
      await tx.run('DELETE FROM login_failures WHERE last_failure_at < ? AND locked_until < ?', [now - window, now]);
    });
  }

  /** Clears the username's count after a successful login. */
  async recordSuccess(username: string): Promise<void> {
    await this.db.run('DELETE FROM login_failures WHERE key = ?', [`user:${username.toLowerCase()}`]);
  }

  /** Lifts a lock (admin password reset). */
  async clear(username: string): Promise<void> {
    await this.recordSuccess(username);
  }

  private keys(username: string, ip: string): [string, ThrottleRule][] {
    return [
      [`user:${username.toLowerCase()}`, this.policy.user],
      [`ip:${ip}`, this.policy.ip],
    ];
  }

  private async bump(tx: Queryable, key: string, rule: ThrottleRule, now: number): Promise<void> {
    const row = current(await tx.get<FailureRow>('SELECT failures, first_failure_at, last_failure_at, locked_until FROM login_failures WHERE key = ?', [key]), rule, now);
    const failures = (row?.failures ?? 0) + 1;
    const first = row?.first_failure_at ?? now;
    const lockedUntil = failures >= rule.lockAfter ? now + rule.lockSeconds * 1000 : 0;
    await tx.run('DELETE FROM login_failures WHERE key = ?', [key]);
    await tx.run('INSERT INTO login_failures (key, failures, first_failure_at, last_failure_at, locked_until) VALUES (?, ?, ?, ?, ?)', [
      key,
      failures,
      first,
      now,
      lockedUntil,
    ]);
  }
}
