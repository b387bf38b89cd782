/**
 * The remembered signature checks of session tokens (accounts/tokens.ts `VerifiedTokens`): bounded,
 * least recently used first out, expiry checked on every use, and never a token that did not verify.
 * That a remembered token stops working at once when its account is disabled or its session ends is
 * tested over HTTP in sessions.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenSigner, VerifiedTokens, VERIFIED_TOKENS_LIMIT, type TokenPayload } from '../../src/sync-server/accounts/tokens';

const now = Date.parse('2026-11-23T08:00:00Z');

/** A signer that counts its checks, so a test can tell a remembered answer from a fresh one. */
function countingSigner(): { signer: TokenSigner; checks: () => number } {
  const signer = new TokenSigner(randomBytes(32));
  let checks = 0;
  const verify = signer.verify.bind(signer);
  signer.verify = (token: string, nowMs: number): TokenPayload | null => {
    checks++;
    return verify(token, nowMs);
  };
  return { signer, checks: () => checks };
}

const payload = (n: number, exp = now / 1000 + 3600): TokenPayload => ({ sub: `user-${n}`, ver: 0, sid: `session-${n}`, iat: now / 1000, exp });

describe('VerifiedTokens', () => {
  it('checks a token once, then answers from memory', () => {
    const { signer, checks } = countingSigner();
    const tokens = new VerifiedTokens(signer);
    const token = signer.sign(payload(1));
    expect(tokens.verify(token, now)).toMatchObject({ sub: 'user-1', sid: 'session-1' });
    expect(tokens.verify(token, now + 1000)).toMatchObject({ sub: 'user-1', sid: 'session-1' });
    expect(checks()).toBe(1);
    expect(tokens.limit).toBe(VERIFIED_TOKENS_LIMIT);
  });

  it('holds at most its limit, the least recently used leaving first', () => {
    const { signer, checks } = countingSigner();
    const tokens = new VerifiedTokens(signer, 3);
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((n) => signer.sign(payload(n))) as [string, string, string, string, string];
    for (const token of [a, b, c]) tokens.verify(token, now);
    tokens.verify(a, now); // a is now the most recently used: b is the oldest
    tokens.verify(d, now); // b leaves
    expect(tokens.size).toBe(3);
    expect(checks()).toBe(4);
    tokens.verify(a, now);
    tokens.verify(c, now);
    expect(checks()).toBe(4); // a and c were still remembered
    tokens.verify(b, now); // checked again (and d, now the oldest, leaves)
    expect(checks()).toBe(5);
    for (let n = 6; n < 200; n++) tokens.verify(signer.sign(payload(n)), now);
    tokens.verify(e, now);
    expect(tokens.size).toBe(3);
  });

  it('refuses a remembered token once it expires, and forgets it', () => {
    const { signer, checks } = countingSigner();
    const tokens = new VerifiedTokens(signer);
    const token = signer.sign(payload(1, now / 1000 + 60));
    expect(tokens.verify(token, now)).not.toBeNull();
    expect(tokens.verify(token, now + 60_000)).toBeNull();
    expect(tokens.size).toBe(0);
    expect(checks()).toBe(1);
  });

  it('never remembers a token that does not verify', () => {
    const { signer } = countingSigner();
    const tokens = new VerifiedTokens(signer);
    const good = signer.sign(payload(1));
    const forged = `${good.slice(0, -4)}AAAA`;
    const otherKey = new TokenSigner(randomBytes(32)).sign(payload(1));
    for (const token of [forged, otherKey, 'v1.e30.x', 'nonsense', '']) expect(tokens.verify(token, now)).toBeNull();
    expect(tokens.size).toBe(0);
  });

  it('refuses a limit that is not a positive integer', () => {
    const { signer } = countingSigner();
    expect(() => new VerifiedTokens(signer, 0)).toThrow();
    expect(() => new VerifiedTokens(signer, 1.5)).toThrow();
  });
});
