/**
 * A document's collaborative body read from its Yjs room (`doc:<id>`) as the sync service stored
 * it, for rendering the PDF on the server and fixing the snapshot at 签发: as its structure
 * (`lexicalBodyBlocks`, `readRoomStructure`: headings, bold, lists, tables, page breaks, 附件说明)
 * or, for callers that want lines only, as plain paragraphs (`lexicalParagraphs`, `readRoomBody`).
 *
 * The editor is Lexical bound to Yjs (@lexical/yjs): the room's root is `doc.get('root', XmlText)`;
 * every element node is an embedded XmlText, every text node a Y.Map of its properties followed by
 * its characters. A block is an element that holds characters itself; an element that only holds
 * other elements (a list, a quote) is walked into; elements inside a block (links) are inline.
 */
import * as Y from 'yjs';
import { bodyIsEmpty, type BodyBlock, type HeadingLevel, type InlineRun } from '../../shared/domain/documents';
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

type Delta = Array<{ insert: unknown }>;

/** Lexical's text format bit for bold (IS_BOLD). */
const boldFormat = 1;

/** The runs of an inline element (a paragraph, heading, list item, 附件说明): text, bold, line breaks. */
function inlineRuns(delta: Delta): InlineRun[][] {
  // Line breaks split the element into lines; each line is a list of runs.
  const lines: InlineRun[][] = [[]];
  let bold = false;
  for (const d of delta) {
    if (typeof d.insert === 'string') {
      const line = lines[lines.length - 1]!;
      const last = line[line.length - 1];
      if (last && !!last.bold === bold) line[line.length - 1] = { ...last, text: last.text + d.insert };
      else line.push(bold ? { text: d.insert, bold: true } : { text: d.insert });
    } else if (d.insert instanceof Y.Map) {
      const type: unknown = d.insert.get('__type');
      if (type === 'linebreak') lines.push([]);
      // A text node's properties precede its characters: they say how those characters look.
      else bold = (Number(d.insert.get('__format') ?? 0) & boldFormat) !== 0;
    } else if (d.insert instanceof Y.XmlText) {
      // An inline element (a link): its text joins the line.
      const nested = inlineRuns(d.insert.toDelta() as Delta);
      nested.forEach((runs, i) => {
        if (i > 0) lines.push([]);
        lines[lines.length - 1]!.push(...runs);
      });
    }
  }
  return lines;
}

const trimRuns = (runs: InlineRun[]): InlineRun[] => {
  const out = runs.filter((r) => r.text.length > 0).map((r) => ({ ...r }));
  if (out.length > 0) out[0] = { ...out[0]!, text: out[0]!.text.trimStart() };
  if (out.length > 0) out[out.length - 1] = { ...out[out.length - 1]!, text: out[out.length - 1]!.text.trimEnd() };
  return out.filter((r) => r.text.length > 0);
};

const flatText = (element: Y.XmlText): string =>
  inlineRuns(element.toDelta() as Delta)
    .map((line) => line.map((r) => r.text).join(''))
    .join('\n');

const headingLevel = (tag: unknown): HeadingLevel | undefined => {
  const n = typeof tag === 'string' ? Number(tag.replace(/^h/, '')) : NaN;
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : n >= 5 && n <= 6 ? 4 : undefined;
};

/** Items of a Lexical list, flattening nested lists into further items (GB/T 9704 has no nesting). */
function listItems(list: Y.XmlText): InlineRun[][] {
  const items: InlineRun[][] = [];
  for (const d of list.toDelta() as Delta) {
    if (!(d.insert instanceof Y.XmlText)) continue;
    const itemDelta = d.insert.toDelta() as Delta;
    const nestedLists = itemDelta.filter((x) => x.insert instanceof Y.XmlText && x.insert.getAttribute('__type') === 'list');
    if (nestedLists.length > 0) {
      for (const n of nestedLists) items.push(...listItems(n.insert as Y.XmlText));
      continue;
    }
    items.push(trimRuns(inlineRuns(itemDelta).flat()));
  }
  return items;
}

/** Rows × cells of a Lexical table; a cell's paragraphs join with a line break. */
function tableRows(table: Y.XmlText): string[][] {
  const rows: string[][] = [];
  for (const r of table.toDelta() as Delta) {
    if (!(r.insert instanceof Y.XmlText)) continue;
    const cells: string[] = [];
    for (const c of r.insert.toDelta() as Delta) {
      if (!(c.insert instanceof Y.XmlText)) continue;
      const paragraphs = (c.insert.toDelta() as Delta).flatMap((p) => (p.insert instanceof Y.XmlText ? [flatText(p.insert).trim()] : []));
      cells.push(paragraphs.filter((p) => p.length > 0).join('\n'));
    }
    rows.push(cells);
  }
  return rows;
}

/** The blocks of one element of the root (or of a container that only holds elements). */
function structureOf(element: Y.XmlText | Y.XmlElement): BodyBlock[] {
  const type: unknown = element.getAttribute('__type');
  if (type === 'pagebreak') return [{ kind: 'pageBreak' }];
  if (element instanceof Y.XmlElement) return [];
  if (type === 'list') {
    const ordered = element.getAttribute('__listType') === 'number';
    return [{ kind: 'list', ordered, items: listItems(element) }];
  }
  if (type === 'table') return [{ kind: 'table', rows: tableRows(element) }];
  const delta = element.toDelta() as Delta;
  const holdsText = delta.some((d) => typeof d.insert === 'string' || (d.insert instanceof Y.Map && d.insert.get('__type') !== 'linebreak'));
  if (!holdsText && delta.some((d) => d.insert instanceof Y.XmlText || d.insert instanceof Y.XmlElement)) {
    // A container (a quote, a layout): walk into it.
    return delta.flatMap((d) => (d.insert instanceof Y.XmlText || d.insert instanceof Y.XmlElement ? structureOf(d.insert) : []));
  }
  const lines = inlineRuns(delta).map(trimRuns);
  if (type === 'heading') {
    const level = headingLevel(element.getAttribute('__tag'));
    // A heading is one line: a line break inside it is a space.
    const runs = trimRuns(lines.flatMap((l, i) => (i > 0 ? [{ text: ' ' }, ...l] : l)));
    return level ? [{ kind: 'heading', level, runs }] : [{ kind: 'paragraph', runs }];
  }
  if (type === 'attachment-note') return lines.map((runs) => ({ kind: 'attachmentNote', runs }));
  // A paragraph (or anything unknown that holds text); Shift+Enter starts a new paragraph of the body.
  return lines.map((runs) => ({ kind: 'paragraph', runs }));
}

/**
 * The structure of a Lexical-over-Yjs body: headings with their level, bold runs, lists, tables,
 * page breaks and 附件说明 lines. Paragraphs left empty are dropped (an empty line of the editor is
 * no line of the printed document).
 */
export function lexicalBodyBlocks(doc: Y.Doc): BodyBlock[] {
  const root = doc.get('root', Y.XmlText);
  const blocks = (root.toDelta() as Delta).flatMap((d) => (d.insert instanceof Y.XmlText || d.insert instanceof Y.XmlElement ? structureOf(d.insert) : []));
  return blocks.filter((b) => !((b.kind === 'paragraph' || b.kind === 'attachmentNote') && b.runs.length === 0));
}

/** The structure of document `documentId`'s body from its stored room; undefined when it has no text. */
export async function readRoomStructure(loadRoomUpdates: LoadRoomUpdates, documentId: string): Promise<BodyBlock[] | undefined> {
  const room = parseRoomName(`doc:${documentId}`);
  if (!room) return undefined;
  const updates = await loadRoomUpdates(room.name);
  if (updates.length === 0) return undefined;
  // A guid of our own: Yjs makes a random one (31 calls to the system's random source) per doc, a
  // measurable part of a workflow action, which reads the body this way (issue 21).
  const doc = new Y.Doc({ guid: room.name });
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    const blocks = lexicalBodyBlocks(doc);
    return bodyIsEmpty(blocks) ? undefined : blocks;
  } finally {
    doc.destroy();
  }
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
  const doc = new Y.Doc({ guid: room.name });
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
