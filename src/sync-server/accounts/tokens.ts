/**
 * Session tokens: `v1.<payload>.<signature>`, the payload a base64url JSON `{sub, ver, iat, exp}` and
 * the signature HMAC-SHA256 over it with a secret kept in the store — so every server instance on the
 * same store accepts every other's tokens. Instances load it once at start.
 *
 * A token proves only who, which session and until when. Whether it still counts (account disabled,
 * password changed or reset: `ver` behind the account's token version; signed out: its session `sid`
 * revoked) is checked against the store on use, so every instance agrees at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../store/database';

const TokenPayloadSchema = z.object({
  sub: z.string().min(1),
  ver: z.number().int(),
  /** The server-side session (absent in tokens issued before sessions existed: those no longer count). */
  sid: z.string().min(1).max(64).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type TokenPayload = z.infer<typeof TokenPayloadSchema>;

const SECRET_NAME = 'token-hmac-v1';

/** Loads the signing secret, creating it on first start (safe when several instances race). */
export async function loadTokenSecret(db: Database, now: () => number = Date.now): Promise<Buffer> {
  await db.run(
    db.dialect === 'sqlite'
      ? 'INSERT OR IGNORE INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)'
      : 'INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
    [SECRET_NAME, randomBytes(32).toString('base64url'), now()],
  );
  const row = await db.get<{ value: string }>('SELECT value FROM server_secrets WHERE name = ?', [SECRET_NAME]);
  if (!row) throw new Error('token secret missing from the store');
  return Buffer.from(row.value, 'base64url');
}

export class TokenSigner {
  constructor(private readonly secret: Buffer) {}

  private mac(data: string): Buffer {
    return createHmac('sha256', this.secret).update(data).digest();
  }

  sign(payload: TokenPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `v1.${body}.${this.mac(`v1.${body}`).toString('base64url')}`;
  }

  /** The payload of a well-formed, untampered, unexpired token; null otherwise. */
  verify(token: string, nowMs: number): TokenPayload | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1') return null;
    const [, body, signature] = parts as [string, string, string];
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(`v1.${body}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const parsed = TokenPayloadSchema.safeParse(json);
    if (!parsed.success) return null;
    if (parsed.data.exp * 1000 <= nowMs) return null;
    return parsed.data;
  }
}

/** How many verified tokens {@link VerifiedTokens} remembers: a few per person signed in to a large unit. */
export const VERIFIED_TOKENS_LIMIT = 2_000;

/**
 * Tokens whose signature was checked, and what they said: every request presents its token, and
 * checking the HMAC and parsing the payload again each time was a measurable part of a request's
 * time. Only the signature check and the parse are remembered. Whether the token still counts (the
 * account, its token version, the session) is read from the store on every request by the caller, so
 * disabling an account, a password change and signing out take effect at once; and expiry is checked
 * on every use against the clock. Only tokens that verified are remembered (a stranger's made-up ones
 * never enter), at most `limit` of them, the least recently used leaving first.
 */
export class VerifiedTokens {
  /** Insertion order is recency order: a hit is moved to the end, the first key is the oldest. */
  private readonly entries = new Map<string, Readonly<TokenPayload>>();

  constructor(
    private readonly signer: TokenSigner,
    readonly limit: number = VERIFIED_TOKENS_LIMIT,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`VerifiedTokens limit must be a positive integer (was ${limit})`);
  }

  /** How many tokens are remembered now (never more than `limit`). */
  get size(): number {
    return this.entries.size;
  }

  /** As {@link TokenSigner.verify}: the payload of a well-formed, untampered, unexpired token; null otherwise. */
  verify(token: string, nowMs: number): Readonly<TokenPayload> | null {
    const known = this.entries.get(token);
    if (known) {
      this.entries.delete(token);
      if (known.exp * 1000 <= nowMs) return null;
      this.entries.set(token, known);
      return known;
    }
    const payload = this.signer.verify(token, nowMs);
    if (!payload) return null;
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    // Frozen: every request holding this token shares the one object.
    const frozen = Object.freeze(payload);
    this.entries.set(token, frozen);
    return frozen;
  }
}
