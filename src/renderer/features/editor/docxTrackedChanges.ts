/**
 * Whether a .docx still carries tracked changes. mammoth converts a document with tracked
 * deletions (`<w:del>`) as if they had been accepted — silently dropping the deleted text, so the
 * person importing would not know whether the text they got is the one the sender meant. We look at
 * word/document.xml first and refuse such a file with a clear message (the fix is in Word: 接受 or
 * 拒绝 every revision, then import).
 *
 * A .docx is a ZIP; this reads just one entry of it with the platform's DecompressionStream
 * (Chromium, Node ≥ 18), so no ZIP library is needed beside mammoth.
 */
import { zhCN, type Messages } from '../../i18n/zh-CN';

/** What is wrong with a Word file, as a key of the interface's `editor.docx` wordings. */
export type DocxProblem = keyof Messages['editor']['docx'];
type DocxParams = Readonly<Record<string, string | number>>;

/**
 * A Word file that cannot be read, with the problem as a key and parameters the interface words in
 * the person's language; `message` is the zh-CN wording (logs, and tests that read it).
 */
export class DocxReadError extends Error {
  override readonly name: string = 'DocxReadError';
  constructor(
    readonly problem: DocxProblem,
    readonly params: DocxParams = {},
  ) {
    super(zhCN.editor.docx[problem].replace(/\{\{(\w+)\}\}/g, (whole, name: string) => String(params[name] ?? whole)));
  }
}

const u16 = (b: DataView, o: number) => b.getUint16(o, true);
const u32 = (b: DataView, o: number) => b.getUint32(o, true);

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(data);
      controller.close();
    },
  });
  const stream = source.pipeThrough(new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The bytes of one entry of a ZIP archive, or undefined when it has none of that name. */
export async function readZipEntry(zip: Uint8Array, name: string): Promise<Uint8Array | undefined> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (u32(view, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DocxReadError('invalid');
  const entries = u16(view, eocd + 10);
  let offset = u32(view, eocd + 16);
  const decoder = new TextDecoder();
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > zip.length || u32(view, offset) !== 0x02014b50) throw new DocxReadError('damagedDirectory');
    const method = u16(view, offset + 10);
    const compressedSize = u32(view, offset + 20);
    const nameLength = u16(view, offset + 28);
    const extraLength = u16(view, offset + 30);
    const commentLength = u16(view, offset + 32);
    const localOffset = u32(view, offset + 42);
    const entryName = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    if (u32(view, localOffset) !== 0x04034b50) throw new DocxReadError('damagedEntry');
    const start = localOffset + 30 + u16(view, localOffset + 26) + u16(view, localOffset + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method === 0) return data;
    if (method === 8) return inflateRaw(data);
    throw new DocxReadError('compression', { method });
  }
  return undefined;
}

/** Tracked changes found in a .docx's main text. */
export interface TrackedChanges {
  readonly deletions: number;
  readonly insertions: number;
}

/** Counts `<w:del>` and `<w:ins>` revision marks in word/document.xml. */
export async function trackedChanges(docx: Uint8Array): Promise<TrackedChanges> {
  const xml = await readZipEntry(docx, 'word/document.xml');
  if (!xml) throw new DocxReadError('noDocumentXml');
  const text = new TextDecoder().decode(xml);
  return { deletions: (text.match(/<w:del\b[\s>/]/g) ?? []).length, insertions: (text.match(/<w:ins\b[\s>/]/g) ?? []).length };
}
