import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPkcs11Signer, signPdf, verifyPdf, signBatch } from '../../src/signing';
import { threePagePdf, testIdentity } from './fixtures';
import { nssDatabase, pdfsig, qpdfCheck } from './interop';
import { needs, requireTools } from '../support/systemTools';

const MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((path) => existsSync(path)) ?? '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '246810';
const LABEL = `xietong-${process.pid}`;
const identity = testIdentity('赵敏', '市政府办公室');
let dir: string;
let previousConf: string | undefined;

beforeAll(() => {
  requireTools('softhsm2-util', 'pkcs11-tool', 'openssl');
  dir = mkdtempSync(join(tmpdir(), 'xietong-hsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  // SoftHSM reads its configuration from the environment, in this process (graphene) and in the tools.
  previousConf = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', LABEL, '--pin', PIN, '--so-pin', '13579111'], { env, stdio: 'pipe' });
  const p12 = join(dir, 'person.p12');
  writeFileSync(p12, identity.p12);
  const keyPem = execFileSync('openssl', ['pkcs12', '-in', p12, '-nocerts', '-nodes', '-passin', `pass:${identity.password}`], { env });
  writeFileSync(join(dir, 'key.pem'), keyPem);
  execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', join(dir, 'key.pem'), '-outform', 'DER', '-out', join(dir, 'key.der')]);
  writeFileSync(join(dir, 'cert.pem'), identity.certificatePem);
  execFileSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-outform', 'DER', '-out', join(dir, 'cert.der')]);
  const tool = (args: string[]): void => {
    execFileSync('pkcs11-tool', ['--module', MODULE, '--token-label', LABEL, '--login', '--pin', PIN, ...args], { env, stdio: 'pipe' });
  };
  // The key goes in sensitive and non-extractable: from here on only the token can use it.
  tool(['--write-object', join(dir, 'key.der'), '--type', 'privkey', '--id', '01', '--label', 'zhao', '--usage-sign', '--sensitive', '--private']);
  tool(['--write-object', join(dir, 'cert.der'), '--type', 'cert', '--id', '01', '--label', 'zhao']);
  rmSync(join(dir, 'key.pem'));
  rmSync(join(dir, 'key.der'));
});

afterAll(() => {
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`PKCS#11 token signer (SoftHSM2) ${needs('softhsm2-util', 'pkcs11-tool')}`, () => {
  it('signs on the token; the signature verifies with us and pdfsig', async () => {
    const signer = await openPkcs11Signer({ modulePath: MODULE, pin: PIN, tokenLabel: LABEL, chain: identity.ca.certificatePem });
    try {
      expect(signer.keyAlgorithm).toBe('rsa');
      expect(signer.certificateChain).toHaveLength(2);
      const pdf = await signPdf(await threePagePdf({ objectStreams: true }), signer, { reason: '用印', appearance: { page: 3, x: 110, y: 40, graphic: { type: 'officialSeal', unitName: '市政府办公室' } } });
      const result = await verifyPdf(pdf, { trustedRoots: identity.ca.certificatePem });
      expect(result.ok).toBe(true);
      expect(result.signatures[0]!.signerSerialHex).toBe(identity.serialHex);
      const file = join(dir, 'token-signed.pdf');
      writeFileSync(file, pdf);
      expect(qpdfCheck(file).output).not.toMatch(/WARNING/i);
      const report = pdfsig(file, nssDatabase(join(dir, 'nss'), identity.ca.certificatePem));
      expect(report).toContain('Signature is Valid');
      expect(report).toContain('Certificate is Trusted');
    } finally {
      signer.close();
    }
  });

  it('signs a batch with one PIN entry and refuses to sign after the batch closed the session', async () => {
    const signer = await openPkcs11Signer({ modulePath: MODULE, pin: PIN, tokenLabel: LABEL });
    const input = await threePagePdf();
    const results = await signBatch([{ id: 'a', pdf: input }, { id: 'b', pdf: input }], signer);
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    await expect(signPdf(input, signer)).rejects.toThrow(/closed/);
  });

  it('refuses a wrong PIN and an absent token with clear errors', async () => {
    await expect(openPkcs11Signer({ modulePath: MODULE, pin: '000000', tokenLabel: LABEL })).rejects.toThrow(/refused the PIN/);
    await expect(openPkcs11Signer({ modulePath: MODULE, pin: PIN, tokenLabel: 'no-such-token' })).rejects.toThrow(/no token labelled/);
    await expect(openPkcs11Signer({ modulePath: join(dir, 'missing.so'), pin: PIN })).rejects.toThrow(/cannot load the PKCS#11 module/);
  });
});
