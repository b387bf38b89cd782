/**
 * The text of a document's collaborative body, read from its Yjs room (`doc:<id>`) as the sync
 * service stored it, for rendering the PDF on the server.
 *
 * The editor is Lexical bound to Yjs (@lexical/yjs): the room's root is `doc.get('root', XmlText)`;
 * every element node is an embedded XmlText, every text node a Y.Map of its properties followed by
 * its characters. A block is an element that holds characters itself; an element that only holds
 * other elements (a list, a quote) is walked into; elements inside a block (links) are inline.
 */
import * as Y from 'yjs';
import { parseRoomName, type RoomName } from '../../shared/rooms';

/** A room's stored updates, oldest first: the sync service's room store (`RoomUpdateStore.load`). */
export type LoadRoomUpdates = (room: RoomName) => Promise<Uint8Array[]>;

/** Paragraph texts of one element, in order. */
function blocks(element: Y.XmlText): string[] {
  const delta = element.toDelta() as Array<{ insert: unknown }>;
  const hasText = delta.some((d) => typeof d.insert === 'string');
  if (hasText) return [inlineText(delta)];
  return delta.flatMap((d) => (d.insert instanceof Y.XmlText ? blocks(d.insert) : []));
}

function inlineText(delta: Array<{ insert: unknown }>): string {
  return delta
    .map((d) => {
      if (typeof d.insert === 'string') return d.insert;
      if (d.insert instanceof Y.XmlText) return inlineText(d.insert.toDelta() as Array<{ insert: unknown }>);
      // A LineBreakNode (Shift+Enter) is a map of its own; it starts a new line of the body.
      if (d.insert instanceof Y.Map && d.insert.get('__type') === 'linebreak') return '\n';
      return '';
    })
    .join('');
}

/** Paragraphs of a Lexical-over-Yjs document (empty when the room has no text). */
export function lexicalParagraphs(doc: Y.Doc): string[] {
  return blocks(doc.get('root', Y.XmlText))
    .flatMap((p) => p.split('\n'))
    .map((p) => p.trim());
}

/**
 * The body of document `documentId` from its stored room updates, one paragraph per line; undefined
 * when the room has no stored text. Read through the room store, not its table: the SQLite store
 * keeps the last fraction of a second of edits in its journal before they reach the table.
 */
export async function readRoomBody(loadRoomUpdates: LoadRoomUpdates, documentId: string): Promise<string | undefined> {
  const room = parseRoomName(`doc:${documentId}`);
  if (!room) return undefined; // an id no room can have
  const updates = await loadRoomUpdates(room.name);
  if (updates.length === 0) return undefined;
  const doc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    const text = lexicalParagraphs(doc)
      .filter((p) => p.length > 0)
      .join('\n');
    return text.length > 0 ? text : undefined;
  } finally {
    doc.destroy();
  }
}
