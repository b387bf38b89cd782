import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import {
  createOrganisationCa,
  issuePersonCertificate,
  initCaDirectory,
  issueFromCaDirectory,
  revokeInCaDirectory,
  crlFromCaDirectory,
  readCaIndex,
  parseCrl,
  loadCaDirectory,
} from '../../src/signing';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-ca-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('organisation CA', () => {
  it('issues a PKCS#12 person certificate that OpenSSL opens and chains to the root', () => {
    const ca = createOrganisationCa({ name: '市政府办公室', validityYears: 5 });
    const person = issuePersonCertificate({ ca, commonName: '王建国', unit: '市政府办公室', password: 'demo1234' });
    writeFileSync(join(dir, 'root.pem'), ca.certificatePem);
    writeFileSync(join(dir, 'wang.p12'), person.p12);
    const extracted = execFileSync('openssl', ['pkcs12', '-in', join(dir, 'wang.p12'), '-passin', 'pass:demo1234', '-clcerts', '-nokeys'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'wang.pem'), extracted);
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), join(dir, 'wang.pem')], { encoding: 'utf8' })).toContain('OK');
    const cert = new X509Certificate(person.certificatePem);
    expect(cert.subject).toContain('CN=王建国');
    expect(cert.serialNumber.toUpperCase()).toBe(person.serialHex);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']));
    const text = execFileSync('openssl', ['x509', '-in', join(dir, 'wang.pem'), '-noout', '-ext', 'keyUsage,basicConstraints'], { encoding: 'utf8' });
    expect(text).toContain('Digital Signature, Non Repudiation');
    expect(text).toContain('CA:FALSE');
  });

  it('refuses a wrong PKCS#12 password in OpenSSL', () => {
    const ca = createOrganisationCa({ name: '测试单位' });
    const person = issuePersonCertificate({ ca, commonName: '李文', unit: '办公室', password: 'right' });
    const file = join(dir, 'li.p12');
    writeFileSync(file, person.p12);
    expect(() => execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:wrong', '-nokeys'], { stdio: 'pipe' })).toThrow();
  });
});

describe('CA folder', () => {
  it('initialises, issues, revokes and publishes a CRL that OpenSSL accepts', () => {
    const caDir = join(dir, 'ca');
    initCaDirectory(caDir, { name: '市发展和改革委员会' });
    expect(() => initCaDirectory(caDir, { name: 'again' })).toThrow(/already exists/);
    expect(statSync(join(caDir, 'root.key.pem')).mode & 0o077).toBe(0);
    const kept = issueFromCaDirectory(caDir, { commonName: '陈静', unit: '办公室', password: 'pw' });
    const revoked = issueFromCaDirectory(caDir, { commonName: '孙磊', unit: '综合处', password: 'pw' });
    revokeInCaDirectory(caDir, revoked.serialHex.toLowerCase());
    expect(() => revokeInCaDirectory(caDir, 'ABCDEF')).toThrow(/no certificate/);
    const crlPem = crlFromCaDirectory(caDir);
    const crlFile = join(caDir, 'crl.pem');
    writeFileSync(crlFile, crlPem);
    const crlText = execFileSync('openssl', ['crl', '-in', crlFile, '-noout', '-text', '-CAfile', join(caDir, 'root.pem')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(crlText).toContain(revoked.serialHex);
    expect(crlText).not.toContain(kept.serialHex);
    expect(crlText).toMatch(/X509v3 CRL Number:\s*\n\s*1/);
    // OpenSSL itself rejects the revoked certificate with this CRL and accepts the other one.
    const leaf = (issued: { certificatePem: string }, name: string): string => {
      const path = join(caDir, name);
      writeFileSync(path, issued.certificatePem);
      return path;
    };
    const verify = (path: string): string => {
      try {
        return execFileSync('openssl', ['verify', '-crl_check', '-CAfile', join(caDir, 'root.pem'), '-CRLfile', crlFile, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? '') + String((error as { stderr?: string }).stderr ?? '');
      }
    };
    expect(verify(leaf(kept, 'kept.pem'))).toContain(': OK');
    expect(verify(leaf(revoked, 'revoked.pem'))).toContain('certificate revoked');
    const parsed = parseCrl(crlPem);
    expect([...parsed.revoked.keys()]).toEqual([revoked.serialHex]);
    expect(parsed.isSignedBy(new X509Certificate(loadCaDirectory(caDir).certificatePem).publicKey)).toBe(true);
    expect(readCaIndex(caDir).crlNumber).toBe(1);
  });

  it('gives a clear error for a folder without a CA', () => {
    expect(() => issueFromCaDirectory(join(dir, 'nothing'), { commonName: 'x', unit: 'y', password: 'z' })).toThrow(/no CA in/);
    expect(() => parseCrl('hello')).toThrow(/not a CRL/);
  });
});
