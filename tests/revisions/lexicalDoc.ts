/**
 * Building Lexical-over-Yjs bodies in tests (@lexical/yjs's layout: the root XmlText embeds one
 * XmlText per paragraph, which holds a Y.Map per text node followed by its characters).
 */
import * as Y from 'yjs';

/** Appends a paragraph holding `text` to the root of `doc`. */
export function addParagraph(doc: Y.Doc, text: string): Y.XmlText {
  const root = doc.get('root', Y.XmlText);
  const paragraph = new Y.XmlText();
  doc.transact(() => {
    root.insertEmbed(root.length, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    const node = new Y.Map();
    paragraph.insertEmbed(0, node);
    node.set('__type', 'text');
    paragraph.insert(1, text);
  });
  return paragraph;
}

/** The paragraph XmlTexts of a body, in order. */
export function paragraphsOf(doc: Y.Doc): Y.XmlText[] {
  return (doc.get('root', Y.XmlText).toDelta() as Array<{ insert: unknown }>).map((d) => d.insert).filter((p): p is Y.XmlText => p instanceof Y.XmlText);
}

/** Replaces `search` by `replacement` in a paragraph (the text follows the text node's map at index 0). */
export function replaceIn(paragraph: Y.XmlText, search: string, replacement: string): void {
  const text = (paragraph.toDelta() as Array<{ insert: unknown }>).map((d) => (typeof d.insert === 'string' ? d.insert : '\u0000')).join('');
  const at = text.indexOf(search);
  if (at < 0) throw new Error(`${search} not in ${text}`);
  paragraph.doc!.transact(() => {
    paragraph.delete(at, search.length);
    if (replacement) paragraph.insert(at, replacement);
  });
}

/** Syncs b from a and a from b. */
export function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}
