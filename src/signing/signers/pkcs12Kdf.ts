/**
 * The PKCS#12 key derivation (RFC 7292, Appendix B.2) with node:crypto's hashes.
 *
 * Why: node-forge opens PKCS#12 files here and derives the MAC key (and, for older containers, the
 * encryption keys) with this function, hashing 2,048 times in JavaScript: about 35 ms of every
 * `xietong batch-sign` and every seal, a tenth of a 100-document batch. This gives the same bytes
 * natively; `useNativePkcs12Kdf` puts it in forge's place (tests check both agree).
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';

/** Block length in bytes of the hashes PKCS#12 files use. */
const BLOCK_LENGTH: Readonly<Record<string, number>> = { md5: 64, sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128 };

/** Repeats `source` to exactly `length` bytes (empty when either is empty). */
function repeatTo(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) out[i] = source[i % source.length] ?? 0;
  return out;
}

/**
 * Derives `length` bytes for `id` (1 key, 2 IV, 3 MAC key) from the password (as BMPString with its
 * terminating zero; `null` for none), the salt and the iteration count.
 */
export function pkcs12Kdf(password: string | null, salt: Buffer, id: number, iterations: number, length: number, algorithm = 'sha1'): Buffer {
  if (!(iterations >= 1)) throw new Error('PKCS#12 key derivation iteration count must be >= 1.');
  const v = BLOCK_LENGTH[algorithm];
  if (!v) throw new Error(`PKCS#12 key derivation with ${algorithm} is not supported`);
  const u = createHash(algorithm).digest().length;
  const pass = Buffer.alloc(password === null ? 0 : password.length * 2 + 2);
  if (password !== null) for (let i = 0; i < password.length; i += 1) pass.writeUInt16BE(password.charCodeAt(i), i * 2);
  const diversifier = Buffer.alloc(v, id);
  const input = Buffer.concat([repeatTo(salt, v * Math.ceil(salt.length / v)), repeatTo(pass, v * Math.ceil(pass.length / v))]);
  const blocks: Buffer[] = [];
  for (let i = 0; i < Math.ceil(length / u); i += 1) {
    let hashed = Buffer.concat([diversifier, input]);
    for (let round = 0; round < iterations; round += 1) hashed = createHash(algorithm).update(hashed).digest();
    const b = repeatTo(hashed, v);
    // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I.
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let l = v - 1; l >= 0; l -= 1) {
        const sum = (input[j + l] ?? 0) + (b[l] ?? 0) + carry;
        input[j + l] = sum & 0xff;
        carry = sum >> 8;
      }
    }
    blocks.push(hashed);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

type ForgeKdf = (password: string | null | undefined, salt: forge.util.ByteStringBuffer | string, id: number, iter: number, n: number, md?: { algorithm?: string } | null) => forge.util.ByteStringBuffer;

let installed = false;

/** Makes node-forge derive PKCS#12 keys with `pkcs12Kdf` (same result, native hashing). Idempotent. */
export function useNativePkcs12Kdf(): void {
  if (installed) return;
  const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: ForgeKdf } }).pbe;
  const native: ForgeKdf = (password, salt, id, iter, n, md) => {
    const saltBytes = Buffer.from(typeof salt === 'string' ? salt : salt.bytes(), 'binary');
    const derived = pkcs12Kdf(password ?? null, saltBytes, id, iter, n, md?.algorithm ?? 'sha1');
    return forge.util.createBuffer(derived.toString('binary'));
  };
  pbe.generatePkcs12Key = native;
  // forge's PKCS#12 module took its own reference to the function when it loaded (`p12.generateKey`)
  // and derives the MAC key — the 2,048 rounds every open pays — through that one.
  (forge.pkcs12 as unknown as { generateKey: ForgeKdf }).generateKey = native;
  installed = true;
}
