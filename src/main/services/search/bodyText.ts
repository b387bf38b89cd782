/**
 * Plain text of a Yjs document, for the search index. Lexical keeps its editor state as nested
 * XmlText (a paragraph is an XmlText embedded in the root's XmlText); other editors use Text,
 * XmlElement, Map or Array. Walking Yjs's item list directly reads all of them the same way and
 * needs no knowledge of which constructor each shared type was created with.
 */
import * as Y from 'yjs';

const blockSeparator = '\n';

/** The part of a shared type this walk reads, whatever its event type parameter. */
interface ItemList {
  readonly _start: Y.Item | null;
  readonly _map: Map<string, Y.Item>;
}

function collect(type: ItemList, out: string[]): void {
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentString) out.push(content.str);
    else if (content instanceof Y.ContentType) {
      collect(content.type, out);
      out.push(blockSeparator);
    } else if (content instanceof Y.ContentAny) {
      for (const value of content.arr) if (typeof value === 'string') out.push(value, blockSeparator);
    }
  }
  for (const item of type._map.values()) {
    if (item.deleted) continue;
    if (item.content instanceof Y.ContentType) {
      collect(item.content.type, out);
      out.push(blockSeparator);
    }
  }
}

/** Every piece of text in `doc`, blocks separated by newlines, runs of blank lines collapsed. */
export function extractText(doc: Y.Doc): string {
  const out: string[] = [];
  for (const type of doc.share.values()) {
    collect(type, out);
    out.push(blockSeparator);
  }
  return out
    .join('')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** The same, from a stored update (e.g. a room loaded from the replica). */
export function extractTextFromUpdate(update: Uint8Array): string {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return extractText(doc);
  } finally {
    doc.destroy();
  }
}
