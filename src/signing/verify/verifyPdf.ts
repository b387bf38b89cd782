/**
 * Verifies every signature of a PDF: byte range, digest, CMS signature, PAdES attributes,
 * chain to trusted roots, validity at signing time, revocation by CRL, optional RFC 3161 time-stamp,
 * and that nothing but further signatures was appended after it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';
import { parseCrl, type ParsedCrl } from '../ca/crl';
import { certificateDer, certificateParts, certificatesFromPem } from '../ca/x509Parts';
import { OID } from '../der';
import { loadPdf } from '../pdf/signPdf';
import { parsePdfDate } from '../pdf/pdfText';
import { assertPdfHeader } from '../pdf/pdfTail';
import { parseSignedData } from './cmsParse';
import { buildChain, checkPadesAttributes, checkRevocation, checkSignerInfo, checkTimestampToken, checkValidity, findSignerCertificate, type Check } from './cmsVerify';
import { disallowedChanges } from './revisionDiff';

/** What to trust and check against. */
export interface VerifyOptions {
  /** Trusted root certificates: PEM text (one or many), or DER buffers. */
  readonly trustedRoots: string | ReadonlyArray<string | Buffer>;
  /** CRLs (PEM or DER). */
  readonly crls?: ReadonlyArray<string | Buffer>;
}

/** The checks of one signature, each with a human-readable detail. */
export interface SignatureChecks {
  readonly byteRange: Check;
  readonly digest: Check;
  readonly signature: Check;
  readonly pades: Check;
  readonly chain: Check;
  readonly validity: Check;
  readonly revocation: Check & { status: 'good' | 'revoked' | 'unknown' };
  readonly modifications: Check;
  readonly timestamp?: Check;
}

/** One signature's verification. */
export interface SignatureVerification {
  readonly index: number;
  readonly fieldName: string;
  readonly ok: boolean;
  readonly signerName?: string;
  readonly signerSubject?: string;
  readonly signerSerialHex?: string;
  readonly issuerSubject?: string;
  /** The claimed time from /M. */
  readonly claimedSigningTime?: string;
  /** The RFC 3161 time, when the signature is time-stamped. */
  readonly timestampTime?: string;
  readonly reason?: string;
  readonly location?: string;
  readonly certification: boolean;
  readonly byteRange: number[];
  /** Length of the revision this signature covers; equals the file size for the last one. */
  readonly revisionLength: number;
  readonly coversWholeDocument: boolean;
  /** SHA-256 (hex) of the CMS signature value: a stable identifier for a stamping log (用印记录). */
  readonly signatureDigest?: string;
  readonly checks: SignatureChecks;
}

/** The verification of a whole document. */
export interface PdfVerification {
  /** True only if there is at least one signature and every check of every signature holds. */
  readonly ok: boolean;
  readonly signatureCount: number;
  readonly signatures: SignatureVerification[];
}

interface FoundSignature {
  readonly fieldName: string;
  readonly dictionary: PDFDict;
}

function text(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

function signatureFields(doc: PDFDocument): FoundSignature[] {
  const found: FoundSignature[] = [];
  const form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = form?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const visit = (field: PDFDict, prefix: string, depth: number): void => {
    if (depth > 20) return;
    const partial = text(field.lookup(PDFName.of('T')));
    const name = [prefix, partial].filter(Boolean).join('.');
    const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i += 1) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict) visit(kid, name, depth + 1);
    }
    if (field.lookup(PDFName.of('FT')) !== PDFName.of('Sig')) return;
    const value = field.lookup(PDFName.of('V'));
    if (value instanceof PDFDict && value.has(PDFName.of('ByteRange'))) found.push({ fieldName: name, dictionary: value });
  };
  for (let i = 0; fields && i < fields.size(); i += 1) {
    const field = fields.lookup(i);
    if (field instanceof PDFDict) visit(field, '', 0);
  }
  return found;
}

const fail = (detail: string): Check => ({ ok: false, detail });
const skipped = (detail: string): Check => ({ ok: false, detail });

/** Verifies every signature of `pdf`. Throws (one line) only when the input is not a readable PDF. */
export async function verifyPdf(pdf: Uint8Array, options: VerifyOptions): Promise<PdfVerification> {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  assertPdfHeader(bytes);
  const doc = await loadPdf(bytes);
  const roots = (typeof options.trustedRoots === 'string' ? [options.trustedRoots] : options.trustedRoots).flatMap((root) =>
    typeof root === 'string' ? certificatesFromPem(root) : [certificateDer(root)],
  );
  if (roots.length === 0) throw new Error('no trusted root certificate given');
  const trusted = roots.map((der) => new X509Certificate(der));
  const crls: ParsedCrl[] = (options.crls ?? []).map((crl) => parseCrl(crl));
  const revisions = new Map<number, PDFDocument>();
  const signatures: SignatureVerification[] = [];

  for (const [index, found] of signatureFields(doc).entries()) {
    const dictionary = found.dictionary;
    const rangeArray = dictionary.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
    const byteRange = (rangeArray?.asArray() ?? []).map((entry) => (entry instanceof PDFNumber ? entry.asNumber() : NaN));
    const [start = NaN, gapStart = NaN, gapEnd = NaN, tailLength = NaN] = byteRange;
    const revisionLength = gapEnd + tailLength;
    const contentsValue = dictionary.lookup(PDFName.of('Contents'));
    const claimed = parsePdfDate(text(dictionary.lookup(PDFName.of('M'))) ?? '');
    const references = dictionary.lookupMaybe(PDFName.of('Reference'), PDFArray);
    let docMdpPermission: number | undefined;
    for (const entry of references?.asArray() ?? []) {
      const reference = entry instanceof PDFDict ? entry : doc.context.lookup(entry);
      if (reference instanceof PDFDict && reference.lookup(PDFName.of('TransformMethod')) === PDFName.of('DocMDP')) {
        const permission = reference.lookupMaybe(PDFName.of('TransformParams'), PDFDict)?.lookupMaybe(PDFName.of('P'), PDFNumber);
        docMdpPermission = permission?.asNumber() ?? 2;
      }
    }
    const certification = docMdpPermission !== undefined;
    const base = {
      index: index + 1,
      fieldName: found.fieldName,
      claimedSigningTime: claimed?.toISOString(),
      reason: text(dictionary.lookup(PDFName.of('Reason'))),
      location: text(dictionary.lookup(PDFName.of('Location'))),
      certification,
      byteRange,
      revisionLength,
      coversWholeDocument: revisionLength === bytes.length,
    };
    const notChecked = skipped('not checked: an earlier check failed');

    // 1. The byte range covers the whole revision except exactly the /Contents hex string.
    let byteRangeCheck: Check;
    const rangeWellFormed = byteRange.length === 4 && byteRange.every((value) => Number.isInteger(value) && value >= 0) && start === 0 && gapStart < gapEnd && revisionLength <= bytes.length;
    let cmsBytes: Buffer | undefined;
    if (!rangeWellFormed) byteRangeCheck = fail(`malformed /ByteRange [${byteRange.join(' ')}]`);
    else if (bytes[gapStart] !== 0x3c || bytes[gapEnd - 1] !== 0x3e) byteRangeCheck = fail('the gap in the byte range is not the signature’s hex string');
    else {
      const hex = bytes.toString('latin1', gapStart + 1, gapEnd - 1);
      const contents = contentsValue instanceof PDFHexString ? Buffer.from(contentsValue.asBytes()) : undefined;
      if (!/^[0-9A-Fa-f]*$/.test(hex) || hex.length % 2 || !contents || !Buffer.from(hex, 'hex').equals(contents)) {
        byteRangeCheck = fail('the bytes left out of the byte range are not this signature’s /Contents');
      } else if (!/%%EOF\s*$/.test(bytes.toString('latin1', Math.max(0, revisionLength - 16), revisionLength))) {
        byteRangeCheck = fail('the byte range does not end at the end of a revision (%%EOF)');
      } else {
        byteRangeCheck = { ok: true, detail: `covers bytes 0–${revisionLength} except the signature value${revisionLength === bytes.length ? ' (the whole file)' : ''}` };
        cmsBytes = contents;
      }
    }
    if (!cmsBytes) {
      signatures.push({ ...base, ok: false, checks: { byteRange: byteRangeCheck, digest: notChecked, signature: notChecked, pades: notChecked, chain: notChecked, validity: notChecked, revocation: { ...notChecked, status: 'unknown' }, modifications: notChecked } });
      continue;
    }

    // 2. CMS: digest, signature value, PAdES attributes.
    const digest = createHash('sha256').update(bytes.subarray(0, gapStart)).update(bytes.subarray(gapEnd, revisionLength)).digest();
    let parsed;
    try {
      parsed = parseSignedData(cmsBytes);
    } catch (error) {
      const broken = fail(`the signature value is not a readable CMS (${error instanceof Error ? error.message : String(error)})`);
      signatures.push({ ...base, ok: false, checks: { byteRange: byteRangeCheck, digest: broken, signature: broken, pades: broken, chain: broken, validity: broken, revocation: { ...broken, status: 'unknown' }, modifications: notChecked } });
      continue;
    }
    const signerInfo = parsed.signerInfos[0];
    const signerCertificate = signerInfo && findSignerCertificate(parsed, signerInfo);
    if (!signerInfo || !signerCertificate) {
      const missing = fail('the CMS does not contain the signer’s certificate');
      signatures.push({ ...base, ok: false, checks: { byteRange: byteRangeCheck, digest: missing, signature: missing, pades: missing, chain: missing, validity: missing, revocation: { ...missing, status: 'unknown' }, modifications: notChecked } });
      continue;
    }
    const cryptoChecks = checkSignerInfo(signerInfo, signerCertificate.x509, digest);
    const pades = checkPadesAttributes(signerInfo, signerCertificate.der);

    // 3. Time-stamp (B-T), chain, validity at signing time, revocation.
    const tokenElement = signerInfo.unsignedAttributes.get(OID.timeStampToken)?.[0];
    const timestamp = tokenElement ? checkTimestampToken(Buffer.from(tokenElement.source.subarray(tokenElement.start, tokenElement.end)), signerInfo.signature, trusted) : undefined;
    const pool = parsed.certificates.map((der) => new X509Certificate(der));
    const { chain, trustedRoot } = buildChain(signerCertificate.x509, pool, trusted);
    const usage = certificateParts(signerCertificate.der).keyUsage;
    const chainCheck: Check = !trustedRoot
      ? fail('the signer certificate does not chain to a trusted root')
      : usage && !usage.has(0) && !usage.has(1)
        ? fail('the signer certificate is not for signing (its key usage has neither digitalSignature nor nonRepudiation)')
        : chain.slice(1).some((issuer) => !issuer.ca)
          ? fail('a certificate in the chain that issued another is not a CA certificate')
          : { ok: true, detail: `chains to the trusted root ${trustedRoot.subject.replace(/\n/g, ', ')}` };
    const signingTime = timestamp?.ok && timestamp.time ? timestamp.time : (claimed ?? new Date());
    const validity = checkValidity(chain, signingTime, timestamp?.ok ? 'the time-stamp' : claimed ? 'the claimed signing time' : 'now');
    const revocation = checkRevocation(chain, crls);

    // 4. Nothing but signatures after this revision.
    let modifications: Check;
    if (revisionLength === bytes.length) modifications = { ok: true, detail: 'nothing was appended after this signature' };
    else {
      try {
        let revision = revisions.get(revisionLength);
        if (!revision) {
          revision = await loadPdf(bytes.subarray(0, revisionLength));
          revisions.set(revisionLength, revision);
        }
        const problems = disallowedChanges(revision, doc);
        // A certification with P=1 allows no change at all, not even another signature.
        if (docMdpPermission === 1) problems.unshift('the document was certified with no changes allowed (DocMDP P=1), yet more was appended');
        modifications = problems.length === 0 ? { ok: true, detail: 'only further signatures were appended after this signature' } : fail(`changed after signing: ${problems.slice(0, 5).join('; ')}`);
      } catch (error) {
        modifications = fail(`the signed revision cannot be read (${error instanceof Error ? error.message : String(error)})`);
      }
    }

    const checks: SignatureChecks = { byteRange: byteRangeCheck, digest: cryptoChecks.digest, signature: cryptoChecks.signature, pades, chain: chainCheck, validity, revocation, modifications, ...(timestamp ? { timestamp } : {}) };
    const subject = signerCertificate.x509.subject;
    signatures.push({
      ...base,
      ok: Object.values(checks).every((check: Check) => check.ok),
      signerName: /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? text(dictionary.lookup(PDFName.of('Name'))),
      signerSubject: subject.replace(/\n/g, ', '),
      signerSerialHex: signerCertificate.x509.serialNumber.toUpperCase(),
      issuerSubject: signerCertificate.x509.issuer.replace(/\n/g, ', '),
      timestampTime: timestamp?.ok ? timestamp.time?.toISOString() : undefined,
      signatureDigest: createHash('sha256').update(signerInfo.signature).digest('hex'),
      checks,
    });
  }
  return { ok: signatures.length > 0 && signatures.every((signature) => signature.ok), signatureCount: signatures.length, signatures };
}
