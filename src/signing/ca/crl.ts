/**
 * Certificate revocation lists (RFC 5280 section 5): writing one for our CA, and reading one
 * (ours or any other CA's) to check a certificate.
 */
import { createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { children, contextConstructed, encoded, integer, octetString, oid, OID, readElement, readIntegerHex, readOid, readTime, sequence, time, nullValue, content, type DerElement } from '../der';
import { certificateDer, certificateParts } from './x509Parts';

/** One revoked certificate. */
export interface RevokedEntry {
  /** Upper-case hex serial. */
  readonly serialHex: string;
  readonly revokedAt: Date;
}

/** Builds and signs a v2 CRL (PEM) with a CRL number and the CA's key identifier. */
export function createCrl(options: {
  caCertificatePem: string;
  caPrivateKeyPem: string;
  revoked: readonly RevokedEntry[];
  crlNumber: number;
  thisUpdate?: Date;
  nextUpdateDays?: number;
}): string {
  const ca = certificateParts(certificateDer(options.caCertificatePem));
  const thisUpdate = options.thisUpdate ?? new Date();
  const nextUpdate = new Date(thisUpdate.getTime() + (options.nextUpdateDays ?? 7) * 86_400_000);
  const algorithm = sequence(oid(OID.sha256WithRsa), nullValue());
  const entries = options.revoked.map((entry) => sequence(integer(Buffer.from(entry.serialHex.length % 2 ? `0${entry.serialHex}` : entry.serialHex, 'hex')), time(entry.revokedAt)));
  const extensions: Buffer[] = [sequence(oid(OID.crlNumber), octetString(integer(options.crlNumber)))];
  if (ca.subjectKeyIdentifier) {
    extensions.unshift(sequence(oid(OID.authorityKeyIdentifier), octetString(sequence(Buffer.concat([Buffer.from([0x80, ca.subjectKeyIdentifier.length]), ca.subjectKeyIdentifier])))));
  }
  const tbs = sequence(
    integer(1),
    algorithm,
    ca.subject,
    time(thisUpdate),
    time(nextUpdate),
    ...(entries.length ? [sequence(...entries)] : []),
    contextConstructed(0, sequence(...extensions)),
  );
  const signature = cryptoSign('sha256', tbs, options.caPrivateKeyPem);
  const der = sequence(tbs, algorithm, Buffer.concat([Buffer.from([0x03]), lengthOf(signature.length + 1), Buffer.from([0]), signature]));
  const base64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN X509 CRL-----\n${base64}-----END X509 CRL-----\n`;
}

function lengthOf(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

/** A parsed CRL. */
export interface ParsedCrl {
  /** DER of the issuer Name, to match against a certificate's issuer. */
  readonly issuer: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: ReadonlyMap<string, Date>;
  /** Checks the CRL's signature with the public key of the CA that should have issued it. */
  isSignedBy(publicKey: KeyObject | string): boolean;
}

/** Reads a CRL from PEM or DER. Throws a one-line error on anything else. */
export function parseCrl(input: Buffer | string): ParsedCrl {
  let der: Buffer;
  const text = typeof input === 'string' ? input : input.subarray(0, 32).toString('latin1').includes('-----BEGIN') ? input.toString('latin1') : null;
  if (text !== null) {
    const match = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
    if (!match?.[1]) throw new Error('not a CRL: no "BEGIN X509 CRL" block');
    der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  } else {
    der = input as Buffer;
  }
  try {
    const list = readElement(der);
    const [tbs, algorithm, signatureBits] = children(list);
    if (!tbs || !algorithm || !signatureBits) throw new Error('missing parts');
    let fields: DerElement[] = children(tbs);
    if (fields[0]?.tag === 0x02) fields = fields.slice(1);
    const [, issuer, thisUpdate, ...rest] = fields;
    if (!issuer || !thisUpdate) throw new Error('missing issuer');
    let nextUpdate: Date | undefined;
    const revoked = new Map<string, Date>();
    for (const field of rest) {
      if (field.tag === 0x17 || field.tag === 0x18) nextUpdate = readTime(field);
      else if (field.tag === 0x30) {
        for (const entry of children(field)) {
          const [serial, date] = children(entry);
          if (serial && date) revoked.set(readIntegerHex(serial), readTime(date));
        }
      }
    }
    const algorithmOid = readOid(children(algorithm)[0] ?? algorithm);
    const signature = content(signatureBits).subarray(1);
    const signed = encoded(tbs);
    return {
      issuer: encoded(issuer),
      thisUpdate: readTime(thisUpdate),
      nextUpdate,
      revoked,
      isSignedBy(publicKey) {
        const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
        const hash = algorithmOid === OID.sha256WithRsa || algorithmOid === OID.ecdsaWithSha256 ? 'sha256' : null;
        return hash !== null && cryptoVerify(hash, signed, key, signature);
      },
    };
  } catch (error) {
    throw new Error(`not a readable CRL (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}
