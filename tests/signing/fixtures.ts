/** Test inputs for the signing tests: real PDFs made with pdf-lib, a CA and people's PKCS#12 files. */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createOrganisationCa, issuePersonCertificate, type CertificateAuthority } from '../../src/signing';

/** A three-page text document; `objectStreams` makes pdf-lib write an xref stream and object streams. */
export async function threePagePdf(options: { objectStreams?: boolean; title?: string } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= 3; page += 1) {
    const p = doc.addPage([595.28, 841.89]);
    p.drawText(`${options.title ?? 'Notice on document handling'} - page ${page}`, { x: 80, y: 760, size: 16, font });
    for (let line = 0; line < 30; line += 1) p.drawText(`Line ${line + 1}: the body text of the official document, page ${page}.`, { x: 80, y: 720 - line * 20, size: 11, font });
  }
  return Buffer.from(await doc.save({ useObjectStreams: options.objectStreams ?? false }));
}

/** A CA and one person certificate, with the password used. */
export interface TestIdentity {
  readonly ca: CertificateAuthority;
  readonly p12: Buffer;
  readonly password: string;
  readonly certificatePem: string;
  readonly serialHex: string;
}

export function testIdentity(commonName = '赵敏', unitName = '市政府办公室', ca = createOrganisationCa({ name: unitName })): TestIdentity {
  const password = 'seal-pass';
  const person = issuePersonCertificate({ ca, commonName, unit: unitName, password });
  return { ca, p12: person.p12, password, certificatePem: person.certificatePem, serialHex: person.serialHex };
}
