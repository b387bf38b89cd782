import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFName, type PDFArray, type PDFDict, type PDFRawStream } from 'pdf-lib';
import { createOrganisationCa, issuePersonCertificate, openPkcs12Signer, keySigner, signPdf, verifyPdf, createCrl, parseSignedData, certificateDer, type Check, type Signer } from '../../src/signing';
import { createPrivateKey } from 'node:crypto';
import { writeIncrementalUpdate } from '../../src/signing/pdf/incrementalWriter';
import { readPdfTail } from '../../src/signing/pdf/pdfTail';
import { OID } from '../../src/signing/der';
import { threePagePdf } from './fixtures';
import { nssDatabase, opensslCmsVerify, pdfsig, qpdfCheck, signatureParts } from './interop';

let dir: string;
let nss: string;
const ca = createOrganisationCa({ name: '市政府办公室' });
const people = ['李文', '王建国', '赵敏'].map((name) => ({ name, ...issuePersonCertificate({ ca, commonName: name, unit: '市政府办公室', password: 'pw' }) }));
const signers: Signer[] = people.map((person) => openPkcs12Signer(person.p12, 'pw'));
const sealAt = (x: number): NonNullable<Parameters<typeof signPdf>[2]>['appearance'] => ({
  page: 3,
  x,
  y: 40,
  graphic: { type: 'officialSeal', unitName: '市政府办公室', bottomText: '公文专用章' },
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-sign-'));
  writeFileSync(join(dir, 'root.pem'), ca.certificatePem);
  nss = nssDatabase(join(dir, 'nss'), ca.certificatePem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Signs 1, 2, 3 times (会签 → 签发 → 用印) and returns each stage. */
async function signThreeTimes(original: Buffer): Promise<Buffer[]> {
  const stages: Buffer[] = [];
  let pdf = original;
  for (const [index, signer] of signers.entries()) {
    pdf = await signPdf(pdf, signer, {
      reason: ['会签', '签发', '用印'][index],
      certify: index === 0,
      appearance: index === 2 ? sealAt(120) : undefined,
    });
    stages.push(pdf);
  }
  return stages;
}

describe.each([
  ['a classic xref table', false],
  ['an xref stream and object streams', true],
])('incremental signatures on a PDF with %s', (_label, objectStreams) => {
  let stages: Buffer[] = [];
  let original: Buffer;
  beforeAll(async () => {
    original = await threePagePdf({ objectStreams });
    stages = await signThreeTimes(original);
  });

  it('keeps the earlier bytes and passes qpdf --check without warnings at 1, 2 and 3 signatures', () => {
    expect(stages[0]!.subarray(0, original.length).equals(original)).toBe(true);
    for (const [index, stage] of stages.entries()) {
      if (index > 0) expect(stage.subarray(0, stages[index - 1]!.length).equals(stages[index - 1]!)).toBe(true);
      const file = join(dir, `stage-${objectStreams}-${index + 1}.pdf`);
      writeFileSync(file, stage);
      const check = qpdfCheck(file);
      expect(check.status).toBe(0);
      expect(check.output).not.toMatch(/WARNING/i);
      expect(check.output).toContain('No syntax or stream encoding errors');
      expect(readPdfTail(stage).xrefStream).toBe(objectStreams);
    }
  });

  it('is accepted by pdfsig with the chain trusted, every signature', () => {
    const file = join(dir, `final-${objectStreams}.pdf`);
    writeFileSync(file, stages[2]!);
    const report = pdfsig(file, nss);
    expect(report.match(/Signature is Valid/g)).toHaveLength(3);
    expect(report.match(/Certificate is Trusted/g)).toHaveLength(3);
    expect(report.match(/ETSI\.CAdES\.detached/g)).toHaveLength(3);
    expect(report).toContain('王建国');
    expect(report).toContain('Total document signed');
  });

  it('verifies every CMS with openssl cms -verify over its byte range', () => {
    const parts = signatureParts(stages[2]!);
    expect(parts).toHaveLength(3);
    for (const [index, part] of parts.entries()) {
      const result = opensslCmsVerify(dir, `cms-${objectStreams}-${index}`, part.cms, part.signedBytes, join(dir, 'root.pem'));
      expect(result.output).toContain('Verification successful');
      expect(result.status).toBe(0);
    }
  });

  it('passes our verification with all checks, and reports the certification and the seal', async () => {
    const result = await verifyPdf(stages[2]!, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(true);
    expect(result.signatures.map((signature) => signature.signerName)).toEqual(['李文', '王建国', '赵敏']);
    expect(result.signatures.map((signature) => signature.reason)).toEqual(['会签', '签发', '用印']);
    expect(result.signatures[0]!.certification).toBe(true);
    expect(result.signatures[2]!.coversWholeDocument).toBe(true);
    expect(result.signatures[0]!.coversWholeDocument).toBe(false);
    for (const signature of result.signatures) for (const check of Object.values(signature.checks) as Check[]) expect(check.ok).toBe(true);
  });

  it('fails ours and pdfsig when one byte inside a signed range changes', async () => {
    const tampered = Buffer.from(stages[2]!);
    // The page width in the first page's /MediaBox: inside every signature's byte range.
    const at = tampered.indexOf('595.28');
    expect(at).toBeGreaterThan(0);
    tampered[at] = '4'.charCodeAt(0);
    const result = await verifyPdf(tampered, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(false);
    expect(result.signatures.every((signature) => !signature.checks.digest.ok)).toBe(true);
    const file = join(dir, `tampered-${objectStreams}.pdf`);
    writeFileSync(file, tampered);
    const report = pdfsig(file, nss);
    expect(report).not.toContain('Signature is Valid');
    expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
  });
});

describe('PAdES baseline content of the CMS', () => {
  it('has ESS signing-certificate-v2, messageDigest, contentType and no signing-time; /M holds the time', async () => {
    const signingTime = new Date('2026-03-01T02:03:04Z');
    const pdf = await signPdf(await threePagePdf(), signers[0]!, { signingTime });
    const [part] = signatureParts(pdf);
    const parsed = parseSignedData(part!.cms);
    const attributes = parsed.signerInfos[0]!.signedAttributes;
    expect(attributes.has(OID.signingCertificateV2)).toBe(true);
    expect(attributes.has(OID.messageDigest)).toBe(true);
    expect(attributes.has(OID.contentType)).toBe(true);
    expect(attributes.has(OID.signingTime)).toBe(false);
    expect(pdf.toString('latin1')).toContain("/M (D:20260301020304+00'00')");
    expect(pdf.toString('latin1')).toContain('/SubFilter /ETSI.CAdES.detached');
  });
});

describe('what verification rejects', () => {
  it('reports a revoked signer certificate as revoked', async () => {
    const pdf = await signPdf(await threePagePdf(), signers[1]!, {});
    const crl = createCrl({ caCertificatePem: ca.certificatePem, caPrivateKeyPem: ca.privateKeyPem, crlNumber: 1, revoked: [{ serialHex: people[1]!.serialHex, revokedAt: new Date() }] });
    const result = await verifyPdf(pdf, { trustedRoots: ca.certificatePem, crls: [crl] });
    expect(result.ok).toBe(false);
    expect(result.signatures[0]!.checks.revocation.status).toBe('revoked');
    const clean = createCrl({ caCertificatePem: ca.certificatePem, caPrivateKeyPem: ca.privateKeyPem, crlNumber: 2, revoked: [] });
    const again = await verifyPdf(pdf, { trustedRoots: ca.certificatePem, crls: [clean] });
    expect(again.ok).toBe(true);
    expect(again.signatures[0]!.checks.revocation.status).toBe('good');
  });

  it('refuses a certificate from an untrusted CA', async () => {
    const other = createOrganisationCa({ name: '别的单位' });
    const pdf = await signPdf(await threePagePdf(), signers[0]!, {});
    const result = await verifyPdf(pdf, { trustedRoots: other.certificatePem });
    expect(result.ok).toBe(false);
    expect(result.signatures[0]!.checks.chain.ok).toBe(false);
    expect(result.signatures[0]!.checks.digest.ok).toBe(true);
  });

  it('detects a change appended after a signature that is not a signature', async () => {
    const signed = await signPdf(await threePagePdf(), signers[0]!, {});
    // An attacker's incremental update: page 1 gets another content stream.
    const doc = await PDFDocument.load(signed);
    const page = doc.getPages()[0]!;
    const extra = doc.context.register(doc.context.stream('BT /F1 30 Tf 100 100 Td (PAID) Tj ET'));
    page.node.set(PDFName.of('Contents'), doc.context.obj([page.node.get(PDFName.of('Contents'))!, extra]));
    const tail = readPdfTail(signed);
    const body = (object: { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number }): Buffer => {
      const buffer = Buffer.alloc(object.sizeInBytes());
      object.copyBytesInto(buffer, 0);
      return buffer;
    };
    const update = writeIncrementalUpdate({
      baseLength: signed.length,
      needsLeadingNewline: false,
      tail,
      objects: [
        { objectNumber: page.ref.objectNumber, generation: 0, body: body(page.node) },
        { objectNumber: extra.objectNumber, generation: 0, body: body(doc.context.lookup(extra)!) },
      ],
      trailer: { root: doc.context.trailerInfo.Root!.toString() },
    });
    const modified = Buffer.concat([signed, update.bytes]);
    const result = await verifyPdf(modified, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(false);
    expect(result.signatures[0]!.checks.digest.ok).toBe(true);
    expect(result.signatures[0]!.checks.modifications.ok).toBe(false);
    expect(result.signatures[0]!.checks.modifications.detail).toContain('/Contents');
  });

  it('fails a document without signatures and throws one line for non-PDF or truncated input', async () => {
    const unsigned = await verifyPdf(await threePagePdf(), { trustedRoots: ca.certificatePem });
    expect(unsigned.ok).toBe(false);
    expect(unsigned.signatureCount).toBe(0);
    await expect(verifyPdf(Buffer.from('hello, not a pdf'), { trustedRoots: ca.certificatePem })).rejects.toThrow(/not a PDF/);
    await expect(signPdf(Buffer.from('%PDF-1.7\ngarbage'), signers[0]!, {})).rejects.toThrow(/damaged PDF/);
  });

  it('refuses a second certification signature, and any signature after a P=1 certification', async () => {
    const certified = await signPdf(await threePagePdf(), signers[0]!, { certify: true });
    await expect(signPdf(certified, signers[1]!, { certify: true })).rejects.toThrow(/first signature/);
    const locked = await signPdf(await threePagePdf(), signers[0]!, { certify: true, certifyPermission: 1 });
    expect(locked.toString('latin1')).toContain('/TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1');
    expect((await verifyPdf(locked, { trustedRoots: ca.certificatePem })).ok).toBe(true);
    await expect(signPdf(locked, signers[1]!, {})).rejects.toThrow(/forbids any change/);
  });
});

describe('appearances', () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8DwnwEJMDIwMDAwAAA0kAMBuY0bWQAAAABJRU5ErkJggg==',
    'base64',
  );

  it('draws the official seal as red vector paths with one filled outline per character', async () => {
    const pdf = await signPdf(await threePagePdf(), signers[2]!, { appearance: sealAt(100) });
    const doc = await PDFDocument.load(pdf);
    const widget = doc.getPages()[2]!.node.lookup(PDFName.of('Annots'));
    expect(widget?.toString()).toBeDefined();
    const streams = [...doc.context.enumerateIndirectObjects()]
      .map(([, object]) => object)
      .filter((object): object is PDFRawStream => object.constructor.name === 'PDFRawStream' && (object as PDFRawStream).dict.get(PDFName.of('Subtype')) === PDFName.of('Form'));
    expect(streams).toHaveLength(1);
    const content = inflateSync(Buffer.from(streams[0]!.contents)).toString('latin1');
    expect(content).toMatch(/0\.86 0\.08 0\.1 rg/);
    expect(content.match(/\nf\nQ/g)!.length).toBe('市政府办公室'.length + '公文专用章'.length);
    expect(content).not.toContain('Tf');
    const result = await verifyPdf(pdf, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(true);
  });

  it('places an admin image and handwritten strokes, each verifiable and qpdf-clean', async () => {
    let pdf = await signPdf(await threePagePdf({ objectStreams: true }), signers[0]!, { appearance: { page: 1, x: 20, y: 20, width: 30, height: 30, graphic: { type: 'image', data: png } } });
    pdf = await signPdf(pdf, signers[1]!, {
      appearance: {
        page: 2,
        x: 120,
        y: 30,
        width: 50,
        height: 20,
        graphic: { type: 'handwriting', canvasWidth: 200, canvasHeight: 80, strokes: [[{ x: 10, y: 40 }, { x: 40, y: 10 }, { x: 70, y: 60 }, { x: 100, y: 20 }], [{ x: 150, y: 40 }]] },
      },
    });
    const file = join(dir, 'appearances.pdf');
    writeFileSync(file, pdf);
    expect(qpdfCheck(file).output).not.toMatch(/WARNING/i);
    const result = await verifyPdf(pdf, { trustedRoots: ca.certificatePem });
    expect(result.ok).toBe(true);
    const doc = await PDFDocument.load(pdf);
    const rect = (page: number): string => {
      const annots = doc.getPages()[page]!.node.lookup(PDFName.of('Annots'));
      const widget = doc.context.lookup((annots as PDFArray).get(0));
      return (widget as PDFDict).get(PDFName.of('Rect'))!.toString();
    };
    // 20 mm = 56.693 pt; 30 mm wide → 85.039 pt.
    expect(rect(0)).toBe('[ 56.693 56.693 141.732 141.732 ]');
    expect(rect(1)).toMatch(/^\[ 340\.157 85\.039/);
    await expect(signPdf(pdf, signers[2]!, { appearance: { page: 9, x: 1, y: 1, graphic: { type: 'image', data: png } } })).rejects.toThrow(/page 9 does not exist/);
    await expect(signPdf(pdf, signers[2]!, { appearance: { x: 1, y: 1, graphic: { type: 'image', data: Buffer.from('GIF89a') } } })).rejects.toThrow(/PNG or JPEG/);
  });
});

describe('certificate purpose', () => {
  it('rejects a signature made with the CA key itself: a CA certificate is not a signing certificate', async () => {
    const caSigner = keySigner(createPrivateKey(ca.privateKeyPem), [certificateDer(ca.certificatePem)]);
    const pdf = await signPdf(await threePagePdf(), caSigner, {});
    const result = await verifyPdf(pdf, { trustedRoots: ca.certificatePem });
    expect(result.signatures[0]!.checks.signature.ok).toBe(true);
    expect(result.signatures[0]!.checks.chain.ok).toBe(false);
    expect(result.signatures[0]!.checks.chain.detail).toContain('not for signing');
  });
});
