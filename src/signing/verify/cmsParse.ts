/**
 * Reading CMS SignedData (RFC 5652) as it appears in PAdES /Contents and in RFC 3161 tokens,
 * keeping the exact bytes of what was signed.
 */
import { children, content, encoded, readElement, readIntegerHex, readOid, OID, type DerElement } from '../der';

/** One signer's data. */
export interface ParsedSignerInfo {
  readonly issuer?: Buffer;
  readonly serialHex?: string;
  readonly subjectKeyIdentifier?: Buffer;
  readonly digestAlgorithm: string;
  /** The signed attributes re-tagged as SET OF, i.e. exactly the bytes the signature covers. */
  readonly signedAttributesDer?: Buffer;
  readonly signedAttributes: ReadonlyMap<string, DerElement[]>;
  readonly signatureAlgorithm: string;
  readonly signature: Buffer;
  readonly unsignedAttributes: ReadonlyMap<string, DerElement[]>;
}

/** A parsed SignedData. */
export interface ParsedSignedData {
  readonly contentType: string;
  readonly content?: Buffer;
  readonly certificates: Buffer[];
  readonly signerInfos: ParsedSignerInfo[];
  /** The DER length actually used (the rest of a /Contents placeholder is zero padding). */
  readonly length: number;
}

function attributes(element: DerElement | undefined): Map<string, DerElement[]> {
  const result = new Map<string, DerElement[]>();
  if (!element) return result;
  for (const attribute of children(element)) {
    const [type, values] = children(attribute);
    if (type && values) result.set(readOid(type), children(values));
  }
  return result;
}

/** Parses a ContentInfo holding SignedData. Throws on anything else. */
export function parseSignedData(der: Buffer): ParsedSignedData {
  const contentInfo = readElement(der);
  const [type, wrapped] = children(contentInfo);
  if (!type || readOid(type) !== OID.signedData || !wrapped) throw new Error('not a CMS SignedData');
  const signedData = children(wrapped)[0];
  if (!signedData) throw new Error('empty CMS SignedData');
  const fields = children(signedData);
  const encapsulated = fields[2];
  if (!encapsulated) throw new Error('CMS SignedData without content info');
  const [contentTypeElement, explicitContent] = children(encapsulated);
  if (!contentTypeElement) throw new Error('CMS SignedData without content type');
  let eContent: Buffer | undefined;
  if (explicitContent) {
    const octets = children(explicitContent)[0];
    if (octets) eContent = content(octets);
  }
  const certificates: Buffer[] = [];
  const certificateSet = fields.find((field, index) => index > 2 && field.tag === 0xa0);
  if (certificateSet) for (const certificate of children(certificateSet)) if (certificate.tag === 0x30) certificates.push(encoded(certificate));
  const signerInfoSet = fields[fields.length - 1];
  if (!signerInfoSet || signerInfoSet.tag !== 0x31) throw new Error('CMS SignedData without signer infos');
  const signerInfos = children(signerInfoSet).map((signerInfo): ParsedSignerInfo => {
    const parts = children(signerInfo);
    const sid = parts[1];
    const digestAlgorithm = parts[2];
    let index = 3;
    const signedAttributesElement = parts[index]?.tag === 0xa0 ? parts[index] : undefined;
    if (signedAttributesElement) index += 1;
    const signatureAlgorithm = parts[index];
    const signature = parts[index + 1];
    const unsigned = parts[index + 2]?.tag === 0xa1 ? parts[index + 2] : undefined;
    if (!sid || !digestAlgorithm || !signatureAlgorithm || !signature) throw new Error('incomplete CMS SignerInfo');
    let issuer: Buffer | undefined;
    let serialHex: string | undefined;
    let subjectKeyIdentifier: Buffer | undefined;
    if (sid.tag === 0x30) {
      const [issuerName, serial] = children(sid);
      if (issuerName && serial) {
        issuer = encoded(issuerName);
        serialHex = readIntegerHex(serial);
      }
    } else if (sid.tag === 0x80) {
      subjectKeyIdentifier = content(sid);
    }
    let signedAttributesDer: Buffer | undefined;
    if (signedAttributesElement) {
      signedAttributesDer = Buffer.from(encoded(signedAttributesElement));
      signedAttributesDer[0] = 0x31; // the signature covers them as an explicit SET OF (RFC 5652 5.4)
    }
    const firstOf = (element: DerElement): string => readOid(children(element)[0] ?? element);
    return {
      issuer,
      serialHex,
      subjectKeyIdentifier,
      digestAlgorithm: firstOf(digestAlgorithm),
      signedAttributesDer,
      signedAttributes: attributes(signedAttributesElement),
      signatureAlgorithm: firstOf(signatureAlgorithm),
      signature: content(signature),
      unsignedAttributes: attributes(unsigned),
    };
  });
  return { contentType: readOid(contentTypeElement), content: eContent, certificates, signerInfos, length: contentInfo.end };
}
