/**
 * Password hashing with scrypt (node:crypto): `scrypt$N$r$p$salt$hash`, parameters stored with the
 * hash so they can be raised later without breaking old hashes. Comparison is constant-time.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password a person chose, for storage. */
export async function hashPassword(password: string): Promise<string> {
  return hashWith(password, N);
}

/**
 * Hashes a generated one-time password. It carries ~70 random bits, so guessing it from its hash is
 * hopeless even with a cheap hash; the slow parameters protect what people choose. The cheap cost
 * makes importing thousands of people take seconds, not minutes. The person replaces it at first
 * login, and that password gets the full cost.
 */
export async function hashOneTimePassword(password: string): Promise<string> {
  return hashWith(password, ONE_TIME_N);
}

const ONE_TIME_N = 1024;

async function hashWith(password: string, n: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: n, r: R, p: P });
  return ['scrypt', n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`. A malformed stored value never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash ?? '', 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  // Parameters come from the store; refuse anything outside what we ever write.
  if (![ONE_TIME_N, N].includes(Number(n)) || Number(r) !== R || Number(p) !== P) return false;
  const key = await derive(password, Buffer.from(salt ?? '', 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows: verified against for unknown usernames so timing does not tell. */
export const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + Buffer.alloc(KEY_LENGTH).toString('base64url');

// No 0/O/1/l/I: one-time passwords are read aloud and typed by hand.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password (12 characters from an unambiguous alphabet, ~70 bits). */
export function generateOneTimePassword(length = 12): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
