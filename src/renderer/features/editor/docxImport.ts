/**
 * 导入 Word: a .docx becomes the body's blocks. Runs in the renderer (mammoth's browser build):
 * the file never crosses the bridge (the web host's messages are capped at 1 MB, and a .docx with
 * pictures is often more), nothing is fetched or evaluated (the CSP stays strict), and what reaches
 * the editor is the same blocks a paste from Word gives (wordHtml.ts) — no foreign styling.
 *
 * A document with tracked changes is refused with the reason: mammoth would silently take every
 * deletion as accepted (docxTrackedChanges.ts).
 */
import mammoth from 'mammoth';
import type { BodyBlock } from '../../../shared/domain/documents';
import { DocxReadError, trackedChanges } from './docxTrackedChanges';
import { htmlToBodyBlocks } from './wordHtml';

/** The largest .docx accepted (a body is text; pictures are not imported). */
export const MAX_DOCX_BYTES = 20 * 1024 * 1024;

/** A .docx that cannot become the body, with the reason to show. */
export class DocxImportError extends DocxReadError {
  override readonly name: string = 'DocxImportError';
}

/**
 * Word's built-in headings (English and Chinese style names), and the styles our own 导出 Word
 * writes: the title, 主送机关 and the 版头 / 落款 around the body are fields of the document, not
 * its body; 附件说明 is a block.
 */
const styleMap = [
  "p[style-name='标题 1'] => h1:fresh",
  "p[style-name='标题 2'] => h2:fresh",
  "p[style-name='标题 3'] => h3:fresh",
  "p[style-name='标题 4'] => h4:fresh",
  "p[style-name='公文标题'] => p.doc-title:fresh",
  "p[style-name='Title'] => p.doc-title:fresh",
  "p[style-name='主送机关'] => p.doc-recipients:fresh",
  "p[style-name='附件说明'] => p.attachment-note:fresh",
  "p[style-name='版头落款'] => p.doc-frame:fresh",
  "br[type='page'] => hr.page-break",
];

export interface ImportedBody {
  readonly blocks: BodyBlock[];
  /** The title the file carries (our export's 公文标题, or Word's Title style), if any. */
  readonly title?: string;
}

export async function docxToBody(bytes: Uint8Array): Promise<ImportedBody> {
  if (bytes.byteLength > MAX_DOCX_BYTES) throw new DocxImportError('tooLarge', { mb: MAX_DOCX_BYTES / 1024 / 1024 });
  let changes;
  try {
    changes = await trackedChanges(bytes);
  } catch (error) {
    throw error instanceof DocxReadError ? new DocxImportError(error.problem, error.params) : new DocxImportError('invalid');
  }
  if (changes.deletions > 0 || changes.insertions > 0) {
    throw new DocxImportError('trackedChanges', { deletions: changes.deletions, insertions: changes.insertions });
  }
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let html: string;
  try {
    // mammoth's browser build reads `arrayBuffer`, its Node build (unit tests) `buffer`; both hand it to JSZip.
    const input = { arrayBuffer, buffer: arrayBuffer } as unknown as { arrayBuffer: ArrayBuffer };
    const result = await mammoth.convertToHtml(
      input,
      // Pictures are not part of an official body: skip them instead of inlining them as data URIs.
      { styleMap, convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    );
    html = result.value;
  } catch (error) {
    throw new DocxImportError('unreadable', { reason: error instanceof Error ? error.message : String(error) });
  }
  const title = new DOMParser().parseFromString(html, 'text/html').querySelector('.doc-title')?.textContent?.trim();
  return { blocks: htmlToBodyBlocks(html), ...(title ? { title } : {}) };
}
