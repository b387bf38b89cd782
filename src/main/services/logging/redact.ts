/**
 * Removes secrets from text before it is written to a log or leaves the machine in a diagnostics
 * archive: bearer tokens, passwords, PEM private keys, PKCS#12 blobs, JWT-shaped strings and any
 * `key=value` / `"key": "value"` pair whose key names a secret. Applied twice (when logging and when
 * exporting) because an old log may predate a pattern.
 */

export const REDACTED = '[已隐藏]';

/** Field names whose values are secrets wherever they appear (JSON, query strings, headers). A .p12 file
 * path is not a secret; its content (base64 `MII…`) is caught by the blob rule below. */
const SECRET_KEYS = ['password', 'passwd', 'pwd', 'passphrase', 'pin', 'token', 'accesstoken', 'refreshtoken', 'secret', 'apikey', 'api_key', 'authorization', 'cookie', 'privatekey', 'private_key', 'otp'];
const keyAlternation = SECRET_KEYS.map((key) => key.replace(/_/g, '[_-]?')).join('|');

const PATTERNS: ReadonlyArray<readonly [RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
  // PEM private keys (any kind), including encrypted ones; certificates are public and stay.
  [/-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g, `-----${REDACTED} PRIVATE KEY-----`],
  // HTTP authorisation schemes.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, (_match, scheme: string) => `${scheme} ${REDACTED}`],
  // JSON: "password": "…", "token":"…" (also with escaped quotes inside the value).
  [new RegExp(`("(?:[A-Za-z0-9_-]*(?:${keyAlternation}))"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), (_match, head: string) => `${head}"${REDACTED}"`],
  // key=value and key: value in query strings, command lines, headers and plain text.
  [new RegExp(`\\b((?:[A-Za-z0-9_-]*(?:${keyAlternation})))(\\s*[=:]\\s*)(?!\\s*")[^\\s&;,"'}]+`, 'gi'), (_match, key: string, sep: string) => `${key}${sep}${REDACTED}`],
  // --password VALUE on a logged command line.
  [new RegExp(`(--(?:${keyAlternation}))(\\s+)(?!-)\\S+`, 'gi'), (_match, flag: string, space: string) => `${flag}${space}${REDACTED}`],
  // JWT-shaped strings: three base64url parts, the first starting like a JSON header.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g, REDACTED],
  // PKCS#12 / DER blobs in base64 (MII… is an ASN.1 SEQUENCE with a long length) of key-like size.
  [/\bMII[A-Za-z0-9+/]{60,}={0,2}/g, REDACTED],
];

/** Returns `text` with every secret it recognises replaced by {@link REDACTED}. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

/** Deep copy of a JSON-like value with the values of secret-named keys replaced; strings are redacted too. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = new RegExp(`(?:${keyAlternation})$`, 'i').test(key) ? REDACTED : redactValue(inner, depth + 1);
    }
    return out;
  }
  return value;
}
