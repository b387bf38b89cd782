/**
 * A small DER encoder and reader for the CMS, timestamp and CRL structures we build and check.
 *
 * Why our own: signatures are computed over exact bytes (signed attributes, TBS structures), so the
 * reader keeps each element's offsets into the original buffer instead of re-encoding, and the writer
 * works on Buffers directly, which keeps a signature well under a millisecond of ASN.1 work.
 * node-forge is still used where a full parser earns its keep (PKCS#12, X.509 construction).
 */

/** Encodes a definite DER length. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with the given tag byte around already encoded content. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

/** A SET OF in DER order (elements sorted by their encodings, X.690 11.6). */
export const setOf = (...items: Buffer[]): Buffer => tlv(0x31, ...[...items].sort((a, b) => Buffer.compare(a, b)));

export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
export const octetString = (value: Buffer): Buffer => tlv(0x04, value);
export const booleanValue = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);
export const utf8String = (value: string): Buffer => tlv(0x0c, Buffer.from(value, 'utf8'));
/** Context-specific constructed tag [n] (EXPLICIT wrapping, or IMPLICIT for a constructed type). */
export const contextConstructed = (n: number, ...content: Buffer[]): Buffer => tlv(0xa0 + n, ...content);

/** An INTEGER from a non-negative number or big-endian unsigned bytes. */
export function integer(value: number | bigint | Buffer): Buffer {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start += 1;
    bytes = value.subarray(start);
  } else {
    let hex = BigInt(value).toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    bytes = Buffer.from(hex, 'hex');
  }
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

const oidCache = new Map<string, Buffer>();
/** An OBJECT IDENTIFIER from dotted notation. */
export function oid(dotted: string): Buffer {
  const cached = oidCache.get(dotted);
  if (cached) return cached;
  const arcs = dotted.split('.').map((part) => BigInt(part));
  const [first = 0n, second = 0n, ...rest] = arcs;
  const body: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [];
    let value = arc;
    do {
      chunk.unshift(Number(value & 0x7fn));
      value >>= 7n;
    } while (value > 0n);
    for (let i = 0; i < chunk.length - 1; i += 1) chunk[i] = (chunk[i] ?? 0) | 0x80;
    body.push(...chunk);
  }
  const encoded = tlv(0x06, Buffer.from(body));
  oidCache.set(dotted, encoded);
  return encoded;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5). */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? utcTime(date) : generalizedTime(date);
}

export function utcTime(date: Date): Buffer {
  const text = `${pad(date.getUTCFullYear() % 100)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, 'latin1'));
}

export function generalizedTime(date: Date): Buffer {
  const text = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return tlv(0x18, Buffer.from(text, 'latin1'));
}

/** A parsed DER element that remembers where it sits in the source buffer. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the element. */
  readonly end: number;
  readonly source: Buffer;
}

/** Thrown for anything that is not well-formed DER. */
export class DerError extends Error {
  override name = 'DerError';
}

/** Reads the element starting at `offset` (definite lengths only, as DER requires). */
export function readElement(source: Buffer, offset = 0, limit = source.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated ASN.1 element');
  const tag = source[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte ASN.1 tags are not supported');
  let cursor = offset + 1;
  const first = source[cursor] ?? 0;
  cursor += 1;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported ASN.1 length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (source[cursor + i] ?? 0);
    cursor += count;
  }
  const end = cursor + length;
  if (end > limit) throw new DerError('ASN.1 element runs past its container');
  return { tag, start: offset, contentStart: cursor, end, source };
}

/** The child elements of a constructed element. */
export function children(element: DerElement): DerElement[] {
  const result: DerElement[] = [];
  let cursor = element.contentStart;
  while (cursor < element.end) {
    const child = readElement(element.source, cursor, element.end);
    result.push(child);
    cursor = child.end;
  }
  return result;
}

/** The whole encoding (tag, length, content) of an element. */
export const encoded = (element: DerElement): Buffer => element.source.subarray(element.start, element.end);
/** The content octets of an element. */
export const content = (element: DerElement): Buffer => element.source.subarray(element.contentStart, element.end);

/** Dotted notation of an OBJECT IDENTIFIER element. */
export function readOid(element: DerElement): string {
  if (element.tag !== 0x06) throw new DerError('expected an OBJECT IDENTIFIER');
  const bytes = content(element);
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [head = 0n, ...rest] = arcs;
  const first = head < 80n ? head / 40n : 2n;
  return [first, head - first * 40n, ...rest].join('.');
}

/** Reads a UTCTime or GeneralizedTime element. */
export function readTime(element: DerElement): Date {
  const text = content(element).toString('latin1');
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.(\d+))?Z$/.exec(text);
  if (!match) throw new DerError(`unsupported time "${text}"`);
  let year = Number(match[1]);
  if (element.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const millis = match[7] ? Number(`0.${match[7]}`) * 1000 : 0;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0), millis));
}

/** Hex of an INTEGER's value without leading zero bytes, upper case (as X509Certificate prints serials). */
export function readIntegerHex(element: DerElement): string {
  if (element.tag !== 0x02) throw new DerError('expected an INTEGER');
  let bytes = content(element);
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  return bytes.toString('hex').toUpperCase();
}

/** The n-th child, or a clear error when the structure is shorter than expected. */
export function child(element: DerElement, index: number): DerElement {
  const found = children(element)[index];
  if (!found) throw new DerError('ASN.1 structure is missing an element');
  return found;
}

/** Well-known object identifiers. */
export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  crlNumber: '2.5.29.20',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
} as const;

/** AlgorithmIdentifier for SHA-256 (parameters absent, RFC 5754). */
export const sha256AlgorithmId = (): Buffer => sequence(oid(OID.sha256));
