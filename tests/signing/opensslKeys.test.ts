import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganisationCa, openPkcs12Signer, signPdf, verifyPdf } from '../../src/signing';
import { threePagePdf } from './fixtures';
import { nssDatabase, pdfsig } from './interop';

let dir: string;
const ca = createOrganisationCa({ name: '市发展和改革委员会' });
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-openssl-'));
  writeFileSync(join(dir, 'root.pem'), ca.certificatePem);
  writeFileSync(join(dir, 'root.key'), ca.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A person certificate made entirely by OpenSSL (key, request, issuance, PKCS#12 with AES-256/PBKDF2). */
function opensslPerson(keyArgs: string[], name: string): Buffer {
  const p = (file: string): string => join(dir, `${name}.${file}`);
  execFileSync('openssl', ['genpkey', ...keyArgs, '-out', p('key')], { stdio: 'pipe' });
  execFileSync('openssl', ['req', '-new', '-key', p('key'), '-subj', `/C=CN/O=Test/CN=${name}`, '-out', p('csr')], { stdio: 'pipe' });
  execFileSync('openssl', ['x509', '-req', '-in', p('csr'), '-CA', join(dir, 'root.pem'), '-CAkey', join(dir, 'root.key'), '-CAcreateserial', '-days', '30', '-extfile', join(dir, 'ext.cnf'), '-out', p('crt')], { stdio: 'pipe' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', p('key'), '-in', p('crt'), '-certfile', join(dir, 'root.pem'), '-passout', 'pass:secret', '-out', p('p12')], { stdio: 'pipe' });
  return readFileSync(p('p12'));
}

describe('PKCS#12 files made by OpenSSL', () => {
  it.each([
    ['RSA-3072', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'], 'rsa'],
    ['ECDSA P-256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ecdsa'],
  ])('signs with a %s key from an OpenSSL PKCS#12, and pdfsig accepts it', async (label, keyArgs, algorithm) => {
    const name = label.replace(/[^A-Za-z0-9]/g, '');
    const signer = openPkcs12Signer(opensslPerson(keyArgs, name), 'secret');
    expect(signer.keyAlgorithm).toBe(algorithm);
    expect(signer.certificateChain).toHaveLength(2);
    const pdf = await signPdf(await threePagePdf(), signer, { reason: label });
    const result = await verifyPdf(pdf, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(true);
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    const report = pdfsig(file, nssDatabase(join(dir, `nss-${name}`), ca.certificatePem));
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Certificate is Trusted');
  });
});
