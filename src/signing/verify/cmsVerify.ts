/**
 * Checks a CMS signer: the message digest, the signature over the signed attributes, the PAdES
 * baseline attributes, the certificate chain to trusted roots, validity at a time, revocation by CRL.
 */
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { certificateParts } from '../ca/x509Parts';
import type { ParsedCrl } from '../ca/crl';
import { children, content, readElement, readOid, readTime, OID, child } from '../der';
import type { ParsedSignedData, ParsedSignerInfo } from './cmsParse';
import { parseSignedData } from './cmsParse';

/** The outcome of one check. */
export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

const pass = (detail: string): Check => ({ ok: true, detail });
const fail = (detail: string): Check => ({ ok: false, detail });

/** The signer's certificate among those in the CMS. */
export function findSignerCertificate(data: ParsedSignedData, signer: ParsedSignerInfo): { der: Buffer; x509: X509Certificate } | undefined {
  const candidates = data.certificates.map((der) => ({ der, parts: certificateParts(der) }));
  let match = candidates.find(({ parts }) => {
    if (signer.subjectKeyIdentifier) return Boolean(parts.subjectKeyIdentifier?.equals(signer.subjectKeyIdentifier));
    return parts.serialHex === signer.serialHex && Boolean(signer.issuer && parts.issuer.equals(signer.issuer));
  });
  // Some signers (node-forge) re-encode the issuer Name with other string types, so the bytes differ;
  // a unique serial still identifies the certificate, and the signature check then proves its key.
  if (!match && signer.serialHex) {
    const bySerial = candidates.filter(({ parts }) => parts.serialHex === signer.serialHex);
    if (bySerial.length === 1) match = bySerial[0];
  }
  return match ? { der: match.der, x509: new X509Certificate(match.der) } : undefined;
}

/** Checks the messageDigest attribute against `digest` and the signature over the signed attributes. */
export function checkSignerInfo(signer: ParsedSignerInfo, certificate: X509Certificate, digest: Buffer): { digest: Check; signature: Check } {
  if (signer.digestAlgorithm !== OID.sha256) {
    const unsupported = fail(`digest algorithm ${signer.digestAlgorithm} is not supported (SHA-256 expected)`);
    return { digest: unsupported, signature: unsupported };
  }
  const messageDigest = signer.signedAttributes.get(OID.messageDigest)?.[0];
  const digestCheck = !messageDigest
    ? fail('the CMS has no messageDigest attribute')
    : content(messageDigest).equals(digest)
      ? pass('the SHA-256 of the signed bytes matches the signed messageDigest')
      : fail('the document bytes do not match the signed digest: the document was changed');
  if (!signer.signedAttributesDer) return { digest: digestCheck, signature: fail('the CMS has no signed attributes') };
  let verified: boolean;
  try {
    verified = cryptoVerify('sha256', signer.signedAttributesDer, certificate.publicKey, signer.signature);
  } catch {
    verified = false;
  }
  return { digest: digestCheck, signature: verified ? pass('the signature value verifies with the signer certificate') : fail('the signature value does not verify with the signer certificate') };
}

/** PAdES baseline attributes: ESS signing-certificate-v2 present and matching, no CMS signing-time. */
export function checkPadesAttributes(signer: ParsedSignerInfo, certificateDer: Buffer): Check {
  if (signer.signedAttributes.has(OID.signingTime)) return fail('the CMS carries a signing-time attribute, which PAdES forbids');
  const contentType = signer.signedAttributes.get(OID.contentType)?.[0];
  if (!contentType || readOid(contentType) !== OID.data) return fail('the CMS contentType attribute is missing or not id-data');
  const v2 = signer.signedAttributes.get(OID.signingCertificateV2)?.[0];
  if (!v2) return fail('the CMS lacks the ESS signing-certificate-v2 attribute');
  try {
    const first = child(child(v2, 0), 0);
    const parts = children(first);
    // hashAlgorithm is optional (DEFAULT sha256): the hash is the first OCTET STRING.
    const hashElement = parts.find((part) => part.tag === 0x04);
    const algorithm = parts[0]?.tag === 0x30 ? readOid(child(parts[0], 0)) : OID.sha256;
    if (!hashElement || algorithm !== OID.sha256) return fail('the ESS signing-certificate-v2 uses an unsupported hash');
    if (!content(hashElement).equals(createHash('sha256').update(certificateDer).digest())) return fail('the ESS signing-certificate-v2 names another certificate');
  } catch {
    return fail('the ESS signing-certificate-v2 attribute is malformed');
  }
  return pass('PAdES baseline attributes (contentType, messageDigest, signing-certificate-v2, no signing-time)');
}

/** Builds a chain from `leaf` to one of `trusted`, using `pool` for intermediates. */
export function buildChain(leaf: X509Certificate, pool: readonly X509Certificate[], trusted: readonly X509Certificate[]): { chain: X509Certificate[]; trustedRoot?: X509Certificate } {
  const chain = [leaf];
  for (let depth = 0; depth < 10; depth += 1) {
    const current = chain[chain.length - 1];
    if (!current) break;
    const anchor = trusted.find((root) => root.fingerprint256 === current.fingerprint256);
    if (anchor) return { chain, trustedRoot: anchor };
    const issuedBy = (candidate: X509Certificate): boolean => {
      try {
        return current.checkIssued(candidate) && current.verify(candidate.publicKey);
      } catch {
        return false;
      }
    };
    const root = trusted.find(issuedBy);
    if (root) {
      chain.push(root);
      return { chain, trustedRoot: root };
    }
    const next = pool.find((candidate) => !chain.some((link) => link.fingerprint256 === candidate.fingerprint256) && issuedBy(candidate));
    if (!next) break;
    chain.push(next);
  }
  return { chain };
}

/** Each certificate of the chain valid at `at`. */
export function checkValidity(chain: readonly X509Certificate[], at: Date, what: string): Check {
  for (const certificate of chain) {
    const from = new Date(certificate.validFrom);
    const to = new Date(certificate.validTo);
    if (at < from || at > to) return fail(`certificate ${certificate.subject.replace(/\n/g, ', ')} was not valid at ${what} ${at.toISOString()} (valid ${from.toISOString()} – ${to.toISOString()})`);
  }
  return pass(`every certificate in the chain was valid at ${what} ${at.toISOString()}`);
}

/** Revocation by the CRLs given: revoked if any certificate of the chain is listed by its issuer's CRL. */
export function checkRevocation(chain: readonly X509Certificate[], crls: readonly ParsedCrl[]): Check & { status: 'good' | 'revoked' | 'unknown' } {
  if (crls.length === 0) return { ok: true, status: 'unknown', detail: 'no CRL given: revocation not checked' };
  let covered = false;
  for (let i = 0; i < chain.length - 1; i += 1) {
    const certificate = chain[i];
    const issuer = chain[i + 1];
    if (!certificate || !issuer) continue;
    const parts = certificateParts(Buffer.from(certificate.raw));
    for (const crl of crls) {
      if (!crl.issuer.equals(parts.issuer) || !crl.isSignedBy(issuer.publicKey)) continue;
      covered = true;
      const revokedAt = crl.revoked.get(parts.serialHex);
      if (revokedAt) return { ok: false, status: 'revoked', detail: `certificate ${parts.serialHex} was revoked on ${revokedAt.toISOString()}` };
    }
  }
  return covered ? { ok: true, status: 'good', detail: 'not on the issuer’s CRL' } : { ok: true, status: 'unknown', detail: 'no CRL from this certificate’s issuer was given' };
}

/** A verified RFC 3161 token. */
export interface TimestampResult extends Check {
  readonly time?: Date;
  readonly trusted: boolean;
  readonly authority?: string;
}

/** Verifies a time-stamp token over `signatureValue` (PAdES B-T). */
export function checkTimestampToken(tokenDer: Buffer, signatureValue: Buffer, trusted: readonly X509Certificate[]): TimestampResult {
  try {
    const token = parseSignedData(tokenDer);
    if (token.contentType !== OID.tstInfo || !token.content) return { ok: false, trusted: false, detail: 'the time-stamp token holds no TSTInfo' };
    const info = readElement(token.content);
    const fields = children(info);
    const imprint = fields[2];
    const genTime = fields[4];
    if (!imprint || !genTime) return { ok: false, trusted: false, detail: 'the TSTInfo is incomplete' };
    const [algorithm, hashed] = children(imprint);
    if (!algorithm || !hashed || readOid(child(algorithm, 0)) !== OID.sha256) return { ok: false, trusted: false, detail: 'the time-stamp imprint is not SHA-256' };
    if (!content(hashed).equals(createHash('sha256').update(signatureValue).digest())) return { ok: false, trusted: false, detail: 'the time-stamp token covers a different signature value' };
    const signer = token.signerInfos[0];
    if (!signer) return { ok: false, trusted: false, detail: 'the time-stamp token has no signer' };
    const certificate = findSignerCertificate(token, signer);
    if (!certificate) return { ok: false, trusted: false, detail: 'the time-stamp token does not include its signer certificate' };
    const checked = checkSignerInfo(signer, certificate.x509, createHash('sha256').update(token.content).digest());
    if (!checked.digest.ok || !checked.signature.ok) return { ok: false, trusted: false, detail: `the time-stamp token does not verify: ${checked.digest.ok ? checked.signature.detail : checked.digest.detail}` };
    const time = readTime(genTime);
    const pool = token.certificates.map((der) => new X509Certificate(der));
    const { trustedRoot } = buildChain(certificate.x509, pool, trusted);
    const authority = /(?:^|\n)CN=([^\n]*)/.exec(certificate.x509.subject)?.[1] ?? certificate.x509.subject;
    return {
      ok: true,
      time,
      trusted: Boolean(trustedRoot),
      authority,
      detail: `time-stamped ${time.toISOString()} by ${authority}${trustedRoot ? '' : ' (authority not among the trusted roots: time taken as claimed)'}`,
    };
  } catch (error) {
    return { ok: false, trusted: false, detail: `unreadable time-stamp token (${error instanceof Error ? error.message : String(error)})` };
  }
}
