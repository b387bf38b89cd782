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
