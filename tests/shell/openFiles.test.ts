/**
 * A .pdf double-clicked into 协同办公: its signatures are verified against the deployment's roots and
 * the person is told the verdict in Chinese; .ofd and unusable files get a clear message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationCa, issuePersonCertificate } from '../../src/signing/ca/certificates';
import { signPdf } from '../../src/signing/pdf/signPdf';
import { openPkcs12Signer } from '../../src/signing/signers/pkcs12Signer';
import { verifyPdf, type PdfVerification } from '../../src/signing/verify/verifyPdf';
import { describeVerification, openableFilesFromArgv, reportForOpenedFile, type OpenedFileDeps } from '../../src/main/shell/openFiles';

describe('files opened with 协同办公', () => {
  let dir: string;
  let rootPem: string;
  let signed: string;
  let tampered: string;
  let unsigned: string;

  const deps = (overrides: Partial<OpenedFileDeps> = {}): OpenedFileDeps => ({
    trustedRoots: [rootPem],
    fileSize: async (path) => (await stat(path)).size,
    readFile: (path) => readFile(path),
    verify: (pdf, trustedRoots) => verifyPdf(pdf, { trustedRoots }),
    ...overrides,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-open-'));
    const ca = createOrganisationCa({ name: '某市人民政府办公室' });
    rootPem = ca.certificatePem;
    const person = issuePersonCertificate({ ca, commonName: '王建国', unit: '某市人民政府办公室', password: 'demo1234' });
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('XieTong test document');
    const pdf = await doc.save({ useObjectStreams: false });
    unsigned = join(dir, 'unsigned.pdf');
    writeFileSync(unsigned, pdf);
    const signedBytes = await signPdf(pdf, openPkcs12Signer(person.p12, 'demo1234'), { reason: '签发' });
    signed = join(dir, '关于开展安全检查的通知.pdf');
    writeFileSync(signed, signedBytes);
    // Change one byte inside the signed range (the page size), as a forger would.
    const changed = Buffer.from(signedBytes);
    const at = changed.indexOf('595');
    expect(at).toBeGreaterThan(0);
    changed[at + 2] = '6'.charCodeAt(0);
    tampered = join(dir, 'tampered.pdf');
    writeFileSync(tampered, changed);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the documents in a command line, relative to where it was started', () => {
    expect(openableFilesFromArgv(['--no-sandbox', 'a.PDF', '/srv/b.ofd', 'notes.txt', '.'], '/home/li')).toEqual(['/home/li/a.PDF', '/srv/b.ofd']);
  });

  it('says that a correctly signed PDF is valid, naming the signer', async () => {
    const report = await reportForOpenedFile(signed, deps());
    expect(report).toMatchObject({ type: 'info', title: '签名验证 — 关于开展安全检查的通知.pdf', message: '全部 1 个签名有效' });
    expect(report.detail).toMatch(/^1\. ✓ 王建国/);
    expect(report.detail).toContain('（签发）');
  });

  it('warns when the document was changed after signing, saying which check failed', async () => {
    const report = await reportForOpenedFile(tampered, deps());
    expect(report.type).toBe('warning');
    expect(report.message).toBe('签名验证未通过：文件可能被修改，或签名人不受信任');
    expect(report.detail).toMatch(/✗ 文档完整/);
  });

  it('warns when the signer is not from a trusted root', async () => {
    const other = createOrganisationCa({ name: '另一单位' });
    const report = await reportForOpenedFile(signed, deps({ trustedRoots: [other.certificatePem] }));
    expect(report.type).toBe('warning');
    expect(report.detail).toMatch(/✗ 证书可信/);
  });

  it('tells the person when a PDF has no signature at all', async () => {
    expect(await reportForOpenedFile(unsigned, deps())).toMatchObject({ type: 'info', message: '此文件没有电子签名' });
  });

  it('explains what is missing when no trusted root is deployed, and never calls the verifier', async () => {
    let called = false;
    const report = await reportForOpenedFile(signed, deps({ trustedRoots: [], verify: () => ((called = true), Promise.reject(new Error('x'))) }));
    expect(report).toMatchObject({ type: 'warning', message: '未配置信任的根证书，无法验证签名' });
    expect(report.detail).toContain('trustedRoots');
    expect(called).toBe(false);
  });

  it('gives a clear message for OFD, damaged, missing and oversized files', async () => {
    expect((await reportForOpenedFile(join(dir, 'x.ofd'), deps())).message).toBe('协同办公不能直接显示 OFD 文件');
    const damaged = join(dir, 'damaged.pdf');
    writeFileSync(damaged, 'this is not a pdf');
    expect(await reportForOpenedFile(damaged, deps())).toMatchObject({ type: 'error', message: '无法验证此文件' });
    expect(await reportForOpenedFile(join(dir, 'missing.pdf'), deps())).toMatchObject({ type: 'error', message: '无法读取文件' });
    let read = false;
    const huge = await reportForOpenedFile(signed, deps({ fileSize: () => Promise.resolve(201 * 1024 * 1024), readFile: () => ((read = true), Promise.resolve(new Uint8Array())) }));
    expect(huge).toMatchObject({ type: 'error', message: '文件过大，无法验证签名' });
    expect(read).toBe(false);
  });

  it('lists every signature of a multi-signature verdict', () => {
    const check = { ok: true, detail: 'ok' };
    const signature = (index: number, ok: boolean) => ({
      index,
      fieldName: `Signature${index + 1}`,
      ok,
      signerName: index === 0 ? '李文' : '王建国',
      claimedSigningTime: '2026-11-22T09:00:00Z',
      certification: false,
      byteRange: [],
      revisionLength: 0,
      coversWholeDocument: index === 1,
      checks: { byteRange: check, digest: check, signature: check, pades: check, chain: check, validity: check, revocation: { ...check, status: 'good' as const }, modifications: ok ? check : { ok: false, detail: 'page content changed after this signature' } },
    });
    const result: PdfVerification = { ok: false, signatureCount: 2, signatures: [signature(0, false), signature(1, true)] };
    const report = describeVerification('a.pdf', result);
    expect(report.detail.split('\n')).toEqual(['1. ✗ 李文，2026-11-22T09:00:00Z', '    ✗ 签名后未被修改：page content changed after this signature', '2. ✓ 王建国，2026-11-22T09:00:00Z']);
  });
});
