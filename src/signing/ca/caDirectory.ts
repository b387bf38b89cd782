/**
 * An organisation's CA kept in a folder, as `xietong ca init|issue|revoke|crl` use it:
 *
 * - `root.pem` — the CA certificate (what verifiers and the server trust);
 * - `root.key.pem` — its private key, PKCS#8 PEM, file mode 0600 (keep the folder offline);
 * - `index.json` — every certificate issued (serial, name, unit, validity) and every revocation,
 *   plus the CRL number, so a CRL can be regenerated at any time.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createOrganisationCa, issuePersonCertificate, type CertificateAuthority, type IssuedPersonCertificate } from './certificates';
import { createCrl } from './crl';

const issuedSchema = z.object({
  serialHex: z.string().regex(/^[0-9A-F]+$/),
  commonName: z.string(),
  unit: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  issuedAt: z.string(),
  revokedAt: z.string().optional(),
  revocationReason: z.string().optional(),
});

const indexSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  crlNumber: z.number().int().nonnegative(),
  issued: z.array(issuedSchema),
});

/** One certificate the CA issued, as recorded in its index. */
export type IssuedRecord = z.infer<typeof issuedSchema>;
/** The CA folder's index file. */
export type CaIndex = z.infer<typeof indexSchema>;

const CERT_FILE = 'root.pem';
const KEY_FILE = 'root.key.pem';
const INDEX_FILE = 'index.json';

/** Paths of a CA folder's files. */
export function caPaths(dir: string): { certificate: string; privateKey: string; index: string } {
  return { certificate: join(dir, CERT_FILE), privateKey: join(dir, KEY_FILE), index: join(dir, INDEX_FILE) };
}

/** Writes through a temporary file and a rename, so a crash never leaves half an index. */
function writeAtomic(path: string, data: string, mode?: number): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data, mode === undefined ? undefined : { mode });
  renameSync(temporary, path);
}

/** Creates a new CA in `dir` (created if missing). Refuses to overwrite an existing CA. */
export function initCaDirectory(dir: string, options: { name: string; validityYears?: number }): CertificateAuthority {
  const paths = caPaths(dir);
  if (existsSync(paths.certificate) || existsSync(paths.privateKey)) throw new Error(`a CA already exists in ${dir}`);
  mkdirSync(dir, { recursive: true });
  const ca = createOrganisationCa(options);
  writeAtomic(paths.privateKey, ca.privateKeyPem, 0o600);
  chmodSync(paths.privateKey, 0o600);
  writeAtomic(paths.certificate, ca.certificatePem);
  const index: CaIndex = { version: 1, name: options.name, crlNumber: 0, issued: [] };
  writeAtomic(paths.index, `${JSON.stringify(index, null, 2)}\n`);
  return ca;
}

/** Loads the CA certificate and key from `dir`. */
export function loadCaDirectory(dir: string): CertificateAuthority {
  const paths = caPaths(dir);
  if (!existsSync(paths.certificate) || !existsSync(paths.privateKey)) throw new Error(`no CA in ${dir} (run: xietong ca init --dir ${dir} --name NAME)`);
  return { certificatePem: readFileSync(paths.certificate, 'utf8'), privateKeyPem: readFileSync(paths.privateKey, 'utf8') };
}

/** Reads and validates the CA's index. */
export function readCaIndex(dir: string): CaIndex {
  const path = caPaths(dir).index;
  if (!existsSync(path)) throw new Error(`no CA index in ${dir}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  const parsed = indexSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a CA index: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function writeCaIndex(dir: string, index: CaIndex): void {
  writeAtomic(caPaths(dir).index, `${JSON.stringify(index, null, 2)}\n`);
}

/** Issues a person's certificate from the CA in `dir` and records it in the index. */
export function issueFromCaDirectory(dir: string, options: { commonName: string; unit: string; password: string; validityYears?: number }): IssuedPersonCertificate {
  const ca = loadCaDirectory(dir);
  const index = readCaIndex(dir);
  const issued = issuePersonCertificate({ ca, ...options });
  index.issued.push({
    serialHex: issued.serialHex,
    commonName: options.commonName,
    unit: options.unit,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    issuedAt: new Date().toISOString(),
  });
  writeCaIndex(dir, index);
  return issued;
}

/** Normalises a serial as people type it (`0a:1b…`, lower case, leading zeros) to index form. */
export function normaliseSerial(serial: string): string {
  const hex = serial.replace(/[:\s]/g, '').toUpperCase().replace(/^0+(?=.)/, '');
  if (!/^[0-9A-F]+$/.test(hex)) throw new Error(`"${serial}" is not a hexadecimal serial number`);
  return hex;
}

/** Marks a certificate revoked. Unknown serials are an error; revoking twice keeps the first date. */
export function revokeInCaDirectory(dir: string, serial: string, reason?: string): IssuedRecord {
  const index = readCaIndex(dir);
  const serialHex = normaliseSerial(serial);
  const record = index.issued.find((entry) => entry.serialHex.replace(/^0+(?=.)/, '') === serialHex);
  if (!record) throw new Error(`no certificate with serial ${serialHex} was issued by this CA`);
  if (!record.revokedAt) {
    record.revokedAt = new Date().toISOString();
    if (reason) record.revocationReason = reason;
    writeCaIndex(dir, index);
  }
  return record;
}

/** Produces a fresh CRL (PEM) listing every revocation, with the next CRL number. */
export function crlFromCaDirectory(dir: string, options: { nextUpdateDays?: number } = {}): string {
  const ca = loadCaDirectory(dir);
  const index = readCaIndex(dir);
  index.crlNumber += 1;
  const crl = createCrl({
    caCertificatePem: ca.certificatePem,
    caPrivateKeyPem: ca.privateKeyPem,
    crlNumber: index.crlNumber,
    nextUpdateDays: options.nextUpdateDays,
    revoked: index.issued.filter((entry) => entry.revokedAt).map((entry) => ({ serialHex: entry.serialHex, revokedAt: new Date(entry.revokedAt ?? 0) })),
  });
  writeCaIndex(dir, index);
  return crl;
}
