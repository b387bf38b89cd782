/** Inputs the signing benchmarks share: a plain three-page PDF, and @signpdf's way of signing one. */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';

const signpdf = new SignPdf();

/** A three-page A4 document of plain text, as an unsigned PDF without object streams. */
export async function threePagePdf(title: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= 3; page += 1) {
    const p = doc.addPage([595.28, 841.89]);
    p.drawText(`${title} - page ${page}`, { x: 80, y: 760, size: 16, font });
    for (let line = 0; line < 30; line += 1) p.drawText(`Line ${line + 1}: body text of the official document, page ${page}.`, { x: 80, y: 720 - line * 20, size: 11, font });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** One invisible signature with @signpdf (signer-p12 + placeholder-pdf-lib), the peer we compare with. */
export async function signWithSignpdf(pdf: Buffer, p12: Buffer, password: string): Promise<Buffer> {
  const pdfDoc = await PDFDocument.load(pdf);
  // ASCII reason: @signpdf writes non-ASCII text strings unescaped, which breaks the PDF syntax.
  pdflibAddPlaceholder({ pdfDoc, reason: 'seal', contactInfo: '', name: 'bench', location: '' });
  const prepared = Buffer.from(await pdfDoc.save({ useObjectStreams: false }));
  return signpdf.sign(prepared, new P12Signer(p12, { passphrase: password }));
}
