/**
 * Raw pieces of an X.509 certificate that signatures and CRLs must copy byte for byte
 * (issuer and subject Names, serial, SubjectKeyIdentifier).
 */
import { child, children, encoded, readElement, readIntegerHex, content, readOid, OID, type DerElement } from '../der';

/** The parts of a certificate we need as exact DER. */
export interface CertificateParts {
  readonly der: Buffer;
  readonly serial: Buffer;
  readonly serialHex: string;
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly subjectKeyIdentifier?: Buffer;
  /** KeyUsage bits (bit 0 = digitalSignature, 1 = nonRepudiation, 5 = keyCertSign …); undefined when absent. */
  readonly keyUsage?: ReadonlySet<number>;
}

/** Converts a PEM (first block) or DER certificate to DER. */
export function certificateDer(input: string | Buffer): Buffer {
  const text = typeof input === 'string' ? input : input.subarray(0, 64).toString('latin1').includes('-----BEGIN') ? input.toString('latin1') : null;
  if (text === null) return input as Buffer;
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  if (!match?.[1]) throw new Error('no PEM certificate found');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** All PEM certificates in a text (a bundle of trusted roots, for example), as DER. */
export function certificatesFromPem(text: string): Buffer[] {
  const result: Buffer[] = [];
  for (const match of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    result.push(Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64'));
  }
  return result;
}

function tbsFields(der: Buffer): DerElement[] {
  const certificate = readElement(der);
  const fields = children(child(certificate, 0));
  // The version is an explicit [0]; without it (v1) every field shifts one place left.
  return fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
}

/** Splits a DER certificate into the parts signatures and CRLs reference. */
export function certificateParts(der: Buffer): CertificateParts {
  const fields = tbsFields(der);
  const [serial, , issuer, , subject] = fields;
  if (!serial || !issuer || !subject) throw new Error('malformed certificate');
  let subjectKeyIdentifier: Buffer | undefined;
  let keyUsage: Set<number> | undefined;
  const extensions = fields.find((field) => field.tag === 0xa3);
  if (extensions) {
    for (const extension of children(child(extensions, 0))) {
      const parts = children(extension);
      const type = parts[0] ? readOid(parts[0]) : '';
      const value = parts.at(-1);
      if (!value) continue;
      if (type === OID.subjectKeyIdentifier) subjectKeyIdentifier = content(readElement(content(value)));
      if (type === OID.keyUsage) {
        // BIT STRING: first octet = unused bits, then bits from the most significant down.
        const bits = content(readElement(content(value)));
        keyUsage = new Set();
        for (let byte = 1; byte < bits.length; byte += 1) for (let bit = 0; bit < 8; bit += 1) if (((bits[byte] ?? 0) >> (7 - bit)) & 1) keyUsage.add((byte - 1) * 8 + bit);
      }
    }
  }
  return {
    der,
    serial: encoded(serial),
    serialHex: readIntegerHex(serial),
    issuer: encoded(issuer),
    subject: encoded(subject),
    subjectKeyIdentifier,
    keyUsage,
  };
}
