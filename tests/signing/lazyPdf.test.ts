/**
 * Signing reads a document object by object where its cross-reference tables allow (lazyPdf.ts),
 * and reads it whole where they do not — the signature is the same valid one either way.
 */
import { describe, expect, it } from 'vitest';
import { PDFRawStream } from 'pdf-lib';
import { createOrganisationCa, issuePersonCertificate, openPkcs12Signer, signPdf, verifyPdf, type Check } from '../../src/signing';
import { LazyPdfUnsupported, openPdfLazily } from '../../src/signing/pdf/lazyPdf';
import { readPdfTail } from '../../src/signing/pdf/pdfTail';
import { threePagePdf } from './fixtures';

const ca = createOrganisationCa({ name: '市政府办公室' });
const signer = openPkcs12Signer(issuePersonCertificate({ ca, commonName: '赵敏', unit: '市政府办公室', password: 'pw' }).p12, 'pw');

async function expectValid(pdf: Buffer, signatures: number): Promise<void> {
  const result = await verifyPdf(pdf, { trustedRoots: ca.certificatePem });
  expect(result.ok).toBe(true);
  expect(result.signatures).toHaveLength(signatures);
  for (const signature of result.signatures) for (const check of Object.values(signature.checks) as Check[]) expect(check.ok).toBe(true);
}

describe('reading a PDF for signing', () => {
  it('parses the catalog and the page tree, not the pages’ text streams, fonts or info', async () => {
    const pdf = await threePagePdf();
    const doc = openPdfLazily(pdf, readPdfTail(pdf));
    expect(doc.getPages()).toHaveLength(3);
    const parsed = doc.context.enumerateIndirectObjects();
    // Catalog, the page tree's root and its three pages: nothing else was read.
    expect(parsed).toHaveLength(5);
    expect(parsed.some(([, object]) => object instanceof PDFRawStream)).toBe(false);
  });

  it('follows the tables of earlier revisions: a document signed twice this way verifies, both signatures', async () => {
    const once = await signPdf(await threePagePdf(), signer, { reason: '签发' });
    const doc = openPdfLazily(once, readPdfTail(once));
    expect(doc.getPages()).toHaveLength(3);
    const twice = await signPdf(once, signer, { reason: '用印' });
    await expectValid(twice, 2);
  });

  it('leaves cross-reference streams to the whole read, and still signs such a file', async () => {
    const pdf = await threePagePdf({ objectStreams: true });
    expect(() => openPdfLazily(pdf, readPdfTail(pdf))).toThrow(LazyPdfUnsupported);
    await expectValid(await signPdf(pdf, signer), 1);
  });

  it('signs through the whole read when a table points at the wrong place', async () => {
    const pdf = await threePagePdf();
    const tail = readPdfTail(pdf);
    // Move the page tree's entry (object 1) ten bytes off: it is not where the table says.
    const table = pdf.toString('latin1', tail.startxref);
    const first = /\n(\d{10}) 00000 n(?=\s)/.exec(table);
    expect(first).not.toBeNull();
    const broken = Buffer.from(pdf);
    broken.write(String(Number(first![1]) + 10).padStart(10, '0'), tail.startxref + first!.index + 1, 'latin1');
    const doc = openPdfLazily(broken, readPdfTail(broken));
    expect(() => doc.catalog).not.toThrow();
    expect(() => doc.getPages()).toThrow();
    await expectValid(await signPdf(broken, signer), 1);
  });
});
