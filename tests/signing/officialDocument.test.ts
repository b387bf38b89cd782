import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderOfficialDocument } from '../../src/signing/render';
import { openPkcs12Signer, signPdf, verifyPdf } from '../../src/signing';
import { testIdentity } from './fixtures';
import { nssDatabase, pdfsig, qpdfCheck } from './interop';
import { requireTools } from '../support/systemTools';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-official-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the 发文 path: a GB/T 9704 document from DOCS, countersigned, signed off and sealed', () => {
  it('puts the seal where the renderer reserved it, and every validator accepts the three signatures', async () => {
    const unit = '某市人民政府办公室';
    const rendered = await renderOfficialDocument(
      { title: '关于做好公文处理工作的通知', issuingOrgan: unit, body: '各区人民政府，市政府各部门：\n现将有关事项通知如下。\n一、高度重视\n请认真贯彻执行。' },
      { sealed: true, sealDiameterMm: 42 },
    );
    const seal = rendered.seal!;
    const reviewer = testIdentity('李文', unit);
    const leader = testIdentity('王建国', unit, reviewer.ca);
    const clerk = testIdentity('赵敏', unit, reviewer.ca);
    let pdf = await signPdf(rendered.pdf, openPkcs12Signer(reviewer.p12, reviewer.password), { reason: '核稿' });
    pdf = await signPdf(pdf, openPkcs12Signer(leader.p12, leader.password), {
      reason: '签发',
      appearance: { page: seal.pageNumber, x: seal.xMm - 50, y: seal.yMm + 40, width: 40, height: 16, graphic: { type: 'handwriting', canvasWidth: 100, canvasHeight: 40, strokes: [[{ x: 5, y: 30 }, { x: 30, y: 5 }, { x: 60, y: 35 }, { x: 95, y: 10 }]] } },
    });
    pdf = await signPdf(pdf, openPkcs12Signer(clerk.p12, clerk.password), {
      reason: '用印',
      appearance: { page: seal.pageNumber, x: seal.xMm, y: seal.yMm, width: seal.diameterMm, height: seal.diameterMm, graphic: { type: 'officialSeal', unitName: unit } },
    });
    const result = await verifyPdf(pdf, { trustedRoots: reviewer.ca.certificatePem });
    expect(result.ok).toBe(true);
    expect(result.signatures.map((signature) => signature.reason)).toEqual(['核稿', '签发', '用印']);

    const file = join(dir, 'sealed.pdf');
    if (process.env.XIETONG_KEEP_SEALED) writeFileSync(process.env.XIETONG_KEEP_SEALED, pdf);
    writeFileSync(file, pdf);
    expect(qpdfCheck(file).output).not.toMatch(/WARNING/i);
    const report = pdfsig(file, nssDatabase(join(dir, 'nss'), reviewer.ca.certificatePem));
    expect(report.match(/Signature is Valid/g)).toHaveLength(3);
    expect(report.match(/Certificate is Trusted/g)).toHaveLength(3);
    // The document text is untouched by the signatures.
    requireTools('pdftotext');
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('关于做好公文处理工作的通知');
  });
});
