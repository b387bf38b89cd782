import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganisationCa, issueTimestampingCertificate, openPkcs12Signer, signPdf, verifyPdf, parseSignedData } from '../../src/signing';
import { OID } from '../../src/signing/der';
import { threePagePdf, testIdentity } from './fixtures';
import { nssDatabase, pdfsig, qpdfCheck, signatureParts, opensslCmsVerify } from './interop';
import { startTsa, type RunningTsa } from './tsaServer';

const ca = createOrganisationCa({ name: '市政府办公室' });
const tsaCertificate = issueTimestampingCertificate({ ca, commonName: '市政府办公室 时间戳服务' });
const identity = testIdentity('赵敏', '市政府办公室', ca);
let tsa: RunningTsa;
let dir: string;

beforeAll(async () => {
  tsa = await startTsa(tsaCertificate, ca.certificatePem);
  dir = mkdtempSync(join(tmpdir(), 'xietong-tsa-'));
  writeFileSync(join(dir, 'root.pem'), ca.certificatePem);
  writeFileSync(join(dir, 'tsa.pem'), tsaCertificate.certificatePem);
});
afterAll(async () => {
  await tsa.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PAdES B-T with an RFC 3161 time-stamp', () => {
  it('embeds a token from the TSA that we, OpenSSL and pdfsig accept', async () => {
    const signer = openPkcs12Signer(identity.p12, identity.password);
    const pdf = await signPdf(await threePagePdf(), signer, { timestampAuthority: { url: tsa.url }, appearance: { page: 3, x: 120, y: 50, graphic: { type: 'officialSeal', unitName: '市政府办公室' } } });
    expect(tsa.requests).toBe(1);
    const result = await verifyPdf(pdf, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(true);
    const [signature] = result.signatures;
    expect(signature!.checks.timestamp?.ok).toBe(true);
    expect(signature!.checks.timestamp?.detail).toContain('时间戳服务');
    expect(Math.abs(Date.parse(signature!.timestampTime!) - Date.now())).toBeLessThan(10 * 60_000);
    expect(signature!.checks.validity.detail).toContain('time-stamp');

    // The token on its own, checked by OpenSSL's RFC 3161 implementation against the signature value.
    const [part] = signatureParts(pdf);
    const cms = parseSignedData(part!.cms);
    const token = cms.signerInfos[0]!.unsignedAttributes.get(OID.timeStampToken)![0]!;
    writeFileSync(join(dir, 'token.der'), token.source.subarray(token.start, token.end));
    writeFileSync(join(dir, 'signature.bin'), cms.signerInfos[0]!.signature);
    const ts = spawnSync('openssl', ['ts', '-verify', '-token_in', '-in', join(dir, 'token.der'), '-data', join(dir, 'signature.bin'), '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'tsa.pem')], { encoding: 'utf8' });
    expect(`${ts.stdout}${ts.stderr}`).toContain('Verification: OK');
    expect(opensslCmsVerify(dir, 'bt', part!.cms, part!.signedBytes, join(dir, 'root.pem')).status).toBe(0);

    const file = join(dir, 'bt.pdf');
    writeFileSync(file, pdf);
    expect(qpdfCheck(file).output).not.toMatch(/WARNING/i);
    const report = pdfsig(file, nssDatabase(join(dir, 'nss'), ca.certificatePem));
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Certificate is Trusted');
  });

  it('fails with one clear line when the TSA is unreachable, and a forged token fails verification', async () => {
    const signer = openPkcs12Signer(identity.p12, identity.password);
    await expect(signPdf(await threePagePdf(), signer, { timestampAuthority: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2000 } })).rejects.toThrow(/time-stamp authority .* unreachable/);
    const pdf = await signPdf(await threePagePdf(), signer, { timestampAuthority: { url: tsa.url } });
    // Change one hex digit inside the token's signature (the last bytes of the CMS): the PDF digest
    // still matches, but the time-stamp no longer verifies.
    const [part] = signatureParts(pdf);
    const text = pdf.toString('latin1');
    const hexStart = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    const at = hexStart + part!.cms.length * 2 - 10;
    const forged = Buffer.from(pdf);
    forged[at] = forged[at] === 0x41 ? 0x42 : 0x41;
    const result = await verifyPdf(forged, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(false);
    expect(result.signatures[0]!.checks.digest.ok).toBe(true);
    expect(result.signatures[0]!.checks.timestamp?.ok).toBe(false);
  });
});
