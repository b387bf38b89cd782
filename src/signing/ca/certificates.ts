/**
 * X.509 for an organisation's own CA: the root, person signing certificates (delivered as PKCS#12)
 * and time-stamping certificates.
 *
 * Keys are generated and certificates signed with node:crypto; node-forge only lays out the
 * certificate structure and the PKCS#12 container, so nothing slow runs in pure JavaScript except
 * the PKCS#12 password-based encryption.
 */
import { generateKeyPairSync, randomBytes, sign as cryptoSign, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** A CA's certificate and private key, PEM. */
export interface CertificateAuthority {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** A person's signing certificate: PKCS#12 (key + certificate + CA certificate) and the certificate alone. */
export interface IssuedPersonCertificate {
  readonly p12: Buffer;
  readonly certificatePem: string;
  /** Upper-case hex, as `openssl x509 -serial` and Node's X509Certificate print it. */
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** id-kp-documentSigning (RFC 9336) and Microsoft's document-signing purpose, next to emailProtection
 * which NSS (pdfsig) and Adobe expect on a signer certificate. */
const DOCUMENT_SIGNING_OIDS = ['1.3.6.1.5.5.7.3.36', '1.3.6.1.4.1.311.10.3.12'] as const;

/** A positive 128-bit serial with no leading zero byte (so its DER is minimal and forge keeps it). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes.toString('hex').toUpperCase();
}

/** Subject attributes; Chinese names go as UTF8String (forge does the UTF-8 encoding). */
function nameAttributes(parts: { commonName: string; organisation?: string; unit?: string }): forge.pki.CertificateField[] {
  const utf8 = (shortName: string, value: string): forge.pki.CertificateField =>
    ({ shortName, value, valueTagClass: forge.asn1.Type.UTF8 }) as unknown as forge.pki.CertificateField;
  const fields: forge.pki.CertificateField[] = [{ shortName: 'C', value: 'CN' }];
  if (parts.organisation) fields.push(utf8('O', parts.organisation));
  if (parts.unit) fields.push(utf8('OU', parts.unit));
  fields.push(utf8('CN', parts.commonName));
  return fields;
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

/** Signs a forge certificate's TBS with node:crypto and returns it as PEM. */
function signCertificate(cert: forge.pki.Certificate, issuerKeyPem: string): string {
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11';
  (cert as unknown as { siginfo: { algorithmOid: string } }).siginfo.algorithmOid = cert.signatureOid;
  // getTBSCertificate exists in forge but is missing from its type definitions.
  const { getTBSCertificate } = forge.pki as unknown as { getTBSCertificate: (c: forge.pki.Certificate) => forge.asn1.Asn1 };
  const tbs = forge.asn1.toDer(getTBSCertificate(cert)).getBytes();
  cert.signature = cryptoSign('sha256', Buffer.from(tbs, 'binary'), issuerKeyPem).toString('binary');
  return forge.pki.certificateToPem(cert);
}

function rsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function validityDays(value: number | undefined, fallback: number, what: string): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result <= 0) throw new Error(`${what} must be a positive number`);
  return result;
}

/**
 * Creates an organisation's root CA: RSA-2048, self-signed, CA:TRUE, keyCertSign + cRLSign.
 * The certificate is back-dated by one hour so clocks a little behind still accept it.
 */
export function createOrganisationCa(options: { name: string; validityYears?: number }): CertificateAuthority {
  const name = options.name.trim();
  if (!name) throw new Error('the CA needs a name');
  const years = validityDays(options.validityYears, 20, 'validityYears');
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerialHex();
  const now = new Date(Date.now() - 3600_000);
  cert.validity.notBefore = now;
  cert.validity.notAfter = addYears(now, years);
  const subject = nameAttributes({ commonName: `${name} 电子印章根证书`, organisation: name });
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  return { certificatePem: signCertificate(cert, keys.privateKeyPem), privateKeyPem: keys.privateKeyPem };
}

interface LeafRequest {
  ca: CertificateAuthority;
  commonName: string;
  unit?: string;
  serialHex?: string;
  validityYears?: number;
  extensions: object[];
}

function issueLeaf(request: LeafRequest): { cert: forge.pki.Certificate; pem: string; privateKeyPem: string; caCert: forge.pki.Certificate } {
  const commonName = request.commonName.trim();
  if (!commonName) throw new Error('the certificate needs a common name');
  const caCert = forge.pki.certificateFromPem(request.ca.certificatePem);
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  const serial = (request.serialHex ?? randomSerialHex()).toUpperCase();
  if (!/^[0-7][0-9A-F]{1,39}$/.test(serial) || serial.startsWith('00')) throw new Error(`serial "${serial}" must be positive hex without leading zeros`);
  cert.serialNumber = serial.length % 2 ? `0${serial}` : serial;
  const now = new Date(Date.now() - 3600_000);
  cert.validity.notBefore = now;
  let notAfter = addYears(now, validityDays(request.validityYears, 3, 'validityYears'));
  // A certificate must not outlive its issuer (RFC 5280 path validation would reject it at that date).
  if (notAfter > caCert.validity.notAfter) notAfter = caCert.validity.notAfter;
  cert.validity.notAfter = notAfter;
  // forge keeps parsed UTF8String values as raw UTF-8 bytes but encodes on write: decode them once.
  const issuer = caCert.subject.attributes.map((attribute) =>
    (attribute as { valueTagClass?: number }).valueTagClass === forge.asn1.Type.UTF8 && typeof attribute.value === 'string'
      ? { ...attribute, value: forge.util.decodeUtf8(attribute.value) }
      : attribute,
  );
  const organisation = issuer.find((attribute) => attribute.shortName === 'O')?.value;
  cert.setSubject(nameAttributes({ commonName, organisation: typeof organisation === 'string' ? organisation : undefined, unit: request.unit?.trim() || undefined }));
  cert.setIssuer(issuer);
  cert.setExtensions([
    ...request.extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  return { cert, pem: signCertificate(cert, request.ca.privateKeyPem), privateKeyPem: keys.privateKeyPem, caCert };
}

/**
 * Issues a person's signing certificate (digitalSignature + nonRepudiation; emailProtection and
 * document-signing purposes) and packs key, certificate and CA certificate into a PKCS#12
 * protected by `password` (3DES, SHA-1 MAC: readable by OpenSSL 3, NSS, Windows and macOS).
 */
export function issuePersonCertificate(options: {
  ca: CertificateAuthority;
  commonName: string;
  unit: string;
  password: string;
  serial?: string;
  validityYears?: number;
}): IssuedPersonCertificate {
  if (!options.password) throw new Error('the PKCS#12 needs a password');
  const extKeyUsage: Record<string, unknown> = { name: 'extKeyUsage', emailProtection: true };
  for (const purpose of DOCUMENT_SIGNING_OIDS) extKeyUsage[purpose] = true;
  const leaf = issueLeaf({
    ca: options.ca,
    commonName: options.commonName,
    unit: options.unit,
    serialHex: options.serial,
    validityYears: options.validityYears,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      extKeyUsage,
    ],
  });
  const key = forge.pki.privateKeyFromPem(leaf.privateKeyPem);
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, [leaf.cert, leaf.caCert], options.password, {
    algorithm: '3des',
    friendlyName: options.commonName,
    generateLocalKeyId: true,
  });
  const p12 = Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary');
  const x509 = new X509Certificate(leaf.pem);
  return {
    p12,
    certificatePem: leaf.pem,
    serialHex: x509.serialNumber.toUpperCase(),
    notBefore: leaf.cert.validity.notBefore,
    notAfter: leaf.cert.validity.notAfter,
  };
}

/**
 * Issues a time-stamping certificate (extKeyUsage timeStamping, critical, as RFC 3161 requires)
 * for a TSA run by the organisation. Returns the key in PEM: a TSA is a server-side service.
 */
export function issueTimestampingCertificate(options: { ca: CertificateAuthority; commonName: string }): CertificateAuthority & { serialHex: string } {
  const leaf = issueLeaf({
    ca: options.ca,
    commonName: options.commonName,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      { name: 'extKeyUsage', timeStamping: true, critical: true },
    ],
  });
  return { certificatePem: leaf.pem, privateKeyPem: leaf.privateKeyPem, serialHex: new X509Certificate(leaf.pem).serialNumber.toUpperCase() };
}
