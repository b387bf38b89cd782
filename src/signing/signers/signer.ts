/**
 * The one interface every signing back-end implements: a PKCS#12 file (key in memory for the
 * session), a PKCS#11 token (key never leaves it), or anything else that can produce a SHA-256
 * signature over bytes.
 */

/** The key's algorithm, which decides the CMS signatureAlgorithm. */
export type SignerKeyAlgorithm = 'rsa' | 'ecdsa';

export interface Signer {
  /** DER certificates: the signer's first, then its issuers (the root may be omitted). */
  readonly certificateChain: readonly Buffer[];
  readonly keyAlgorithm: SignerKeyAlgorithm;
  /**
   * Signs `data` with SHA-256 (RSA PKCS#1 v1.5 or ECDSA with a DER-encoded signature value).
   * The data is the DER of the CMS signed attributes, never the document itself.
   */
  sign(data: Buffer): Promise<Buffer>;
  /** Drops the key (PKCS#12) or logs out of the token (PKCS#11). Signing afterwards fails. */
  close(): void;
}

/** Thrown when a signer is used after close() or cannot produce a signature. */
export class SignerError extends Error {
  override name = 'SignerError';
}
