/**
 * CMS SignedData for PAdES baseline (ETSI EN 319 142-1, SubFilter ETSI.CAdES.detached) and for
 * RFC 3161 time-stamp tokens.
 *
 * PAdES B-B requires: detached content, signed attributes contentType + messageDigest +
 * ESS signing-certificate-v2, and NO signing-time attribute (the claimed time lives in the signature
 * dictionary's /M). B-T adds an RFC 3161 token over the signature value as an unsigned attribute.
 */
import { createHash } from 'node:crypto';
import { certificateParts } from '../ca/x509Parts';
import { contextConstructed, integer, nullValue, octetString, oid, OID, sequence, setOf, sha256AlgorithmId, tlv } from '../der';
import type { Signer } from '../signers/signer';

const attribute = (type: string, ...values: Buffer[]): Buffer => sequence(oid(type), setOf(...values));

/** ESS SigningCertificateV2 with the signer certificate's SHA-256 and issuer/serial (RFC 5035). */
export function signingCertificateV2(certificateDer: Buffer): Buffer {
  const parts = certificateParts(certificateDer);
  const certHash = createHash('sha256').update(certificateDer).digest();
  // hashAlgorithm is omitted: SHA-256 is its DEFAULT, and DER forbids encoding a default.
  const issuerSerial = sequence(sequence(contextConstructed(4, parts.issuer)), parts.serial);
  return sequence(sequence(sequence(octetString(certHash), issuerSerial)));
}

/** What the builder needs about what is signed. */
export interface SignedDataInput {
  readonly signer: Signer;
  /** SHA-256 of the signed content (for PAdES: of the byte ranges). */
  readonly contentDigest: Buffer;
  /** eContentType; data (detached) for PAdES, id-ct-TSTInfo for time-stamp tokens. */
  readonly contentType?: string;
  /** The encapsulated content; absent for detached signatures. */
  readonly content?: Buffer;
  /** Called with the signature value; returns unsigned attributes (e.g. a time-stamp token). */
  readonly unsignedAttributes?: (signatureValue: Buffer) => Promise<Buffer[]>;
}

/** Cache of per-certificate DER pieces: building a signature should cost nothing but the key operation. */
const certificateCache = new WeakMap<readonly Buffer[], { essAttribute: Buffer; sid: Buffer; certificates: Buffer }>();

function signerPieces(chain: readonly Buffer[]): { essAttribute: Buffer; sid: Buffer; certificates: Buffer } {
  const cached = certificateCache.get(chain);
  if (cached) return cached;
  const [leaf] = chain;
  if (!leaf) throw new Error('the signer has no certificate');
  const parts = certificateParts(leaf);
  const pieces = {
    essAttribute: attribute(OID.signingCertificateV2, signingCertificateV2(leaf)),
    sid: sequence(parts.issuer, parts.serial),
    certificates: contextConstructed(0, ...chain),
  };
  certificateCache.set(chain, pieces);
  return pieces;
}

/** Builds the DER of a ContentInfo wrapping SignedData with one SignerInfo. */
export async function buildSignedData(input: SignedDataInput): Promise<Buffer> {
  const contentType = input.contentType ?? OID.data;
  const pieces = signerPieces(input.signer.certificateChain);
  const signedAttributes = setOf(
    attribute(OID.contentType, oid(contentType)),
    attribute(OID.messageDigest, octetString(input.contentDigest)),
    pieces.essAttribute,
  );
  // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] they are stored in.
  const signatureValue = await input.signer.sign(signedAttributes);
  const unsigned = input.unsignedAttributes ? await input.unsignedAttributes(signatureValue) : [];
  const signatureAlgorithm = input.signer.keyAlgorithm === 'rsa' ? sequence(oid(OID.rsaEncryption), nullValue()) : sequence(oid(OID.ecdsaWithSha256));
  const signerInfo = sequence(
    integer(1),
    pieces.sid,
    sha256AlgorithmId(),
    tlv(0xa0, signedAttributes.subarray(headerLength(signedAttributes))),
    signatureAlgorithm,
    octetString(signatureValue),
    ...(unsigned.length ? [tlv(0xa1, ...unsigned)] : []),
  );
  const encapsulated = input.content ? sequence(oid(contentType), contextConstructed(0, octetString(input.content))) : sequence(oid(contentType));
  const signedData = sequence(
    // Version 3 when the content is not id-data (RFC 5652 5.1).
    integer(contentType === OID.data ? 1 : 3),
    setOf(sha256AlgorithmId()),
    encapsulated,
    pieces.certificates,
    setOf(signerInfo),
  );
  return sequence(oid(OID.signedData), contextConstructed(0, signedData));
}

/** Length of a DER element's tag + length header. */
export function headerLength(der: Buffer): number {
  const first = der[1] ?? 0;
  return first & 0x80 ? 2 + (first & 0x7f) : 2;
}

/** The id-aa-timeStampToken unsigned attribute carrying a token (RFC 3161 appendix A). */
export const timestampAttribute = (tokenDer: Buffer): Buffer => attribute(OID.timeStampToken, tokenDer);
