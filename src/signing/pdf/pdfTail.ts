/**
 * Reads what an incremental update must continue from: the offset of the last cross-reference
 * section, whether it is a classic table or a cross-reference stream, and the trailer's /Size.
 */

/** The end state of a PDF file's last revision. */
export interface PdfTail {
  /** Byte offset of the last cross-reference section (the last `startxref` value). */
  readonly startxref: number;
  /** True when that section is a cross-reference stream (PDF 1.5+), false for a classic table. */
  readonly xrefStream: boolean;
  /** The trailer's /Size: one more than the highest object number in use. */
  readonly size: number;
}

/** Thrown when the input is not a PDF this program can extend. */
export class PdfStructureError extends Error {
  override name = 'PdfStructureError';
}

/** Checks the header; everything signed must at least start like a PDF. */
export function assertPdfHeader(bytes: Uint8Array): void {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new PdfStructureError('not a PDF file (no %PDF- header)');
}

/** Reads the tail of a PDF. */
export function readPdfTail(bytes: Uint8Array): PdfTail {
  assertPdfHeader(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tailStart = Math.max(0, buffer.length - 4096);
  const tail = buffer.toString('latin1', tailStart);
  const at = tail.lastIndexOf('startxref');
  if (at < 0) throw new PdfStructureError('damaged PDF: no startxref at the end of the file');
  const match = /^startxref\s+(\d+)/.exec(tail.slice(at));
  if (!match) throw new PdfStructureError('damaged PDF: unreadable startxref');
  const startxref = Number(match[1]);
  if (startxref >= buffer.length) throw new PdfStructureError('damaged PDF: startxref points outside the file');
  const section = buffer.toString('latin1', startxref, Math.min(buffer.length, startxref + 65_536));
  if (section.startsWith('xref')) {
    const trailerAt = section.indexOf('trailer');
    const size = trailerAt >= 0 ? /\/Size\s+(\d+)/.exec(section.slice(trailerAt)) : null;
    if (!size) throw new PdfStructureError('damaged PDF: trailer without /Size');
    return { startxref, xrefStream: false, size: Number(size[1]) };
  }
  if (/^\d+\s+\d+\s+obj/.test(section)) {
    const dictionary = section.slice(0, Math.max(0, section.indexOf('stream')) || section.length);
    if (!/\/Type\s*\/XRef/.test(dictionary)) throw new PdfStructureError('damaged PDF: startxref does not point at a cross-reference section');
    const size = /\/Size\s+(\d+)/.exec(dictionary);
    if (!size) throw new PdfStructureError('damaged PDF: cross-reference stream without /Size');
    return { startxref, xrefStream: true, size: Number(size[1]) };
  }
  throw new PdfStructureError('damaged PDF: startxref does not point at a cross-reference section');
}
