/**
 * Writes an incremental update (ISO 32000-1 7.5.6): the changed and new objects, a cross-reference
 * section for exactly those objects, and a trailer that chains to the previous one with /Prev.
 * The original bytes are never touched, so every earlier signature keeps covering them.
 *
 * The new section has the same kind as the previous one: a classic table after a table, a
 * cross-reference stream after a stream (mixing them confuses some readers).
 */
import type { PdfTail } from './pdfTail';

/** One object of the update: its number, generation and serialised body (between `obj` and `endobj`). */
export interface UpdateObject {
  readonly objectNumber: number;
  readonly generation: number;
  readonly body: Buffer;
}

/** The trailer entries carried over from the previous revision (already serialised). */
export interface TrailerEntries {
  readonly root: string;
  readonly info?: string;
  readonly id?: string;
}

/** The update's bytes and where each object's body starts (relative to the update's first byte). */
export interface WrittenUpdate {
  readonly bytes: Buffer;
  readonly bodyOffsets: ReadonlyMap<number, number>;
}

/**
 * Serialises an update that will be appended at `baseLength` (the original file's length).
 * `xrefStreamNumber` is needed (a free object number) when the previous section was a stream.
 */
export function writeIncrementalUpdate(options: {
  baseLength: number;
  needsLeadingNewline: boolean;
  tail: PdfTail;
  objects: readonly UpdateObject[];
  trailer: TrailerEntries;
  xrefStreamNumber?: number;
}): WrittenUpdate {
  const chunks: Buffer[] = [];
  let length = 0;
  const push = (chunk: Buffer | string): void => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    chunks.push(buffer);
    length += buffer.length;
  };
  if (options.needsLeadingNewline) push('\n');
  const entries = new Map<number, { offset: number; generation: number }>();
  const bodyOffsets = new Map<number, number>();
  for (const object of options.objects) {
    entries.set(object.objectNumber, { offset: options.baseLength + length, generation: object.generation });
    const header = `${object.objectNumber} ${object.generation} obj\n`;
    bodyOffsets.set(object.objectNumber, length + header.length);
    push(header);
    push(object.body);
    push('\nendobj\n');
  }
  let highest = Math.max(options.tail.size - 1, ...options.objects.map((object) => object.objectNumber));
  const xrefOffset = options.baseLength + length;
  const trailerParts = [`/Root ${options.trailer.root}`];
  if (options.trailer.info) trailerParts.push(`/Info ${options.trailer.info}`);
  if (options.trailer.id) trailerParts.push(`/ID ${options.trailer.id}`);
  trailerParts.push(`/Prev ${options.tail.startxref}`);

  if (options.tail.xrefStream) {
    const streamNumber = options.xrefStreamNumber;
    if (streamNumber === undefined) throw new Error('an xref stream update needs an object number for the stream');
    highest = Math.max(highest, streamNumber);
    // The stream lists itself too, so readers that check every entry find it.
    entries.set(streamNumber, { offset: xrefOffset, generation: 0 });
    const numbers = [...entries.keys()].sort((a, b) => a - b);
    const rows = Buffer.alloc(numbers.length * 7);
    numbers.forEach((number, index) => {
      const entry = entries.get(number);
      rows[index * 7] = 1;
      rows.writeUInt32BE(entry?.offset ?? 0, index * 7 + 1);
      rows.writeUInt16BE(entry?.generation ?? 0, index * 7 + 5);
    });
    const dictionary = `<< /Type /XRef /Size ${highest + 1} /W [1 4 2] /Index [${subsections(numbers).map(([first, count]) => `${first} ${count}`).join(' ')}] ${trailerParts.join(' ')} /Length ${rows.length} >>`;
    push(`${streamNumber} 0 obj\n${dictionary}\nstream\n`);
    push(rows);
    push('\nendstream\nendobj\n');
  } else {
    const numbers = [...entries.keys()].sort((a, b) => a - b);
    let table = 'xref\n';
    let index = 0;
    for (const [first, count] of subsections(numbers)) {
      table += `${first} ${count}\n`;
      for (let i = 0; i < count; i += 1, index += 1) {
        const entry = entries.get(numbers[index] ?? -1);
        // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-byte EOL.
        table += `${String(entry?.offset ?? 0).padStart(10, '0')} ${String(entry?.generation ?? 0).padStart(5, '0')} n\r\n`;
      }
    }
    push(table);
    push(`trailer\n<< /Size ${highest + 1} ${trailerParts.join(' ')} >>\n`);
  }
  push(`startxref\n${xrefOffset}\n%%EOF\n`);
  return { bytes: Buffer.concat(chunks, length), bodyOffsets };
}

/** Groups sorted object numbers into [first, count] runs of consecutive numbers. */
function subsections(numbers: readonly number[]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const number of numbers) {
    const last = result[result.length - 1];
    if (last && last[0] + last[1] === number) last[1] += 1;
    else result.push([number, 1]);
  }
  return result;
}
