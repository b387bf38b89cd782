/**
 * A signature read as a clerk reads it (issue 20): 有效 when every check holds, 不受信任 for a
 * certificate of a CA the verifier does not trust, 已撤销 when on a CRL, 无效 when the bytes changed
 * or something other than a signature was appended after it.
 */
import { PDFDocument, PDFName } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCrl, openPkcs12Signer, signatureVerdict, signPdf, verifyPdf } from '../../src/signing';
import { writeIncrementalUpdate } from '../../src/signing/pdf/incrementalWriter';
import { readPdfTail } from '../../src/signing/pdf/pdfTail';
import { threePagePdf, testIdentity, type TestIdentity } from './fixtures';

describe('signatureVerdict', () => {
  let zhao: TestIdentity;
  let sealed: Buffer;
  beforeAll(async () => {
    zhao = testIdentity();
    const signer = openPkcs12Signer(zhao.p12, zhao.password);
    sealed = Buffer.from(await signPdf(await threePagePdf(), signer, { reason: '用印' }));
    signer.close();
  });
  const verdictOf = async (pdf: Buffer, roots: string, crls?: string[]) => signatureVerdict((await verifyPdf(pdf, { trustedRoots: roots, ...(crls ? { crls } : {}) })).signatures[0]!);

  it('is 有效 with no problems when every check holds', async () => {
    expect(await verdictOf(sealed, zhao.ca.certificatePem)).toEqual({ verdict: 'valid', problems: [] });
  });

  it('is 不受信任 for a signer whose CA is not trusted', async () => {
    const stranger = testIdentity('某人', '别的单位');
    expect(await verdictOf(sealed, stranger.ca.certificatePem)).toEqual({ verdict: 'untrusted', problems: ['签章证书不是受信任的根证书签发的'] });
  });

  it('is 已撤销 for a certificate on the CRL', async () => {
    const crl = createCrl({ caCertificatePem: zhao.ca.certificatePem, caPrivateKeyPem: zhao.ca.privateKeyPem, revoked: [{ serialHex: zhao.serialHex, revokedAt: new Date() }], crlNumber: 1 });
    expect(await verdictOf(sealed, zhao.ca.certificatePem, [crl])).toEqual({ verdict: 'revoked', problems: ['签章证书已被吊销'] });
  });

  it('is 无效 when a signed byte changed', async () => {
    const altered = Buffer.from(sealed);
    altered[500] = altered[500]! ^ 1;
    const { verdict, problems } = await verdictOf(altered, zhao.ca.certificatePem);
    expect(verdict).toBe('invalid');
    expect(problems).toContain('签章后文件内容被改动');
  });

  it('is 无效 when a page was changed in an update appended after it', async () => {
    // An incremental update giving page 1 another content stream (as signVerify.test.ts builds it).
    const doc = await PDFDocument.load(sealed);
    const page = doc.getPages()[0]!;
    const extra = doc.context.register(doc.context.stream('BT /F1 30 Tf 100 100 Td (PAID) Tj ET'));
    page.node.set(PDFName.of('Contents'), doc.context.obj([page.node.get(PDFName.of('Contents'))!, extra]));
    const body = (object: { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number }): Buffer => {
      const buffer = Buffer.alloc(object.sizeInBytes());
      object.copyBytesInto(buffer, 0);
      return buffer;
    };
    const update = writeIncrementalUpdate({
      baseLength: sealed.length,
      needsLeadingNewline: false,
      tail: readPdfTail(sealed),
      objects: [
        { objectNumber: page.ref.objectNumber, generation: 0, body: body(page.node) },
        { objectNumber: extra.objectNumber, generation: 0, body: body(doc.context.lookup(extra)!) },
      ],
      trailer: { root: doc.context.trailerInfo.Root!.toString() },
    });
    const changed = Buffer.concat([sealed, update.bytes]);
    const { verdict, problems } = await verdictOf(changed, zhao.ca.certificatePem);
    expect(verdict).toBe('invalid');
    expect(problems).toContain('签章后追加了签章以外的改动');
  });
});
