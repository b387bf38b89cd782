/**
 * 拒绝 a tracked change in the live body: the editor's own Yjs document is changed, so Lexical shows
 * it at once and the bridge sends it like any edit (stored by main, synced to the server, refused
 * there unless the person holds the step). A change names its Yjs items (see `parseChangeId`):
 * - an insertion is deleted, character by character, wherever those characters are now;
 * - a deletion is typed back where its first character was; when its whole paragraph was deleted,
 *   a new paragraph with the text is put where that paragraph stood.
 * Returns false when the body no longer has what the change refers to (someone changed it since).
 */
import * as Y from 'yjs';
import { parseChangeId } from '../../../shared/http/revisions';

/** An item of `doc` by id, or undefined (never seen, or collected). */
function itemAt(doc: Y.Doc, client: number, clock: number): Y.Item | undefined {
  const structs = doc.store.clients.get(client);
  if (!structs || clock >= Y.getState(doc.store, client)) return undefined;
  const struct = structs[Y.findIndexSS(structs, clock)];
  return struct instanceof Y.Item ? struct : undefined;
}

/** The index, in its parent's visible content, of character `offset` of `item`. */
function indexOf(item: Y.Item, offset: number): number {
  const parent = item.parent as Y.AbstractType<unknown>;
  let index = 0;
  for (let n = parent._start; n !== null && n !== item; n = n.right) if (n.countable && !n.deleted) index += n.length;
  return index + (item.deleted ? 0 : offset);
}

function rejectInsertion(doc: Y.Doc, client: number, clock: number, length: number): boolean {
  let removed = 0;
  doc.transact(() => {
    // From the last character back, so earlier positions stay where they are.
    for (let c = clock + length - 1; c >= clock; c--) {
      const item = itemAt(doc, client, c);
      if (!item || item.deleted || !(item.parent instanceof Y.XmlText)) continue;
      item.parent.delete(indexOf(item, c - item.id.clock), 1);
      removed += 1;
    }
  });
  return removed > 0;
}

function rejectDeletion(doc: Y.Doc, client: number, clock: number, text: string, blockId: string | undefined): boolean {
  const item = itemAt(doc, client, clock);
  const parent = item?.parent;
  if (item && parent instanceof Y.XmlText && !(parent._item?.deleted ?? false)) {
    parent.insert(indexOf(item, 0), text);
    return true;
  }
  // The paragraph went as a whole: a new one where it stood, in @lexical/yjs's layout.
  const [blockClient, blockClock] = (blockId ?? '').split(':').map(Number);
  const block = blockClient !== undefined && blockClock !== undefined ? itemAt(doc, blockClient, blockClock) : undefined;
  if (!block || !(block.parent instanceof Y.XmlText)) return false;
  const root = block.parent;
  const index = indexOf(block, 0);
  doc.transact(() => {
    const paragraph = new Y.XmlText();
    root.insertEmbed(index, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    const node = new Y.Map();
    paragraph.insertEmbed(0, node);
    node.set('__type', 'text');
    node.set('__format', 0);
    node.set('__style', '');
    node.set('__mode', 0);
    node.set('__detail', 0);
    paragraph.insert(1, text);
  });
  return true;
}

/** Reverts change `changeId` (whose text is `text`) in `doc`; false when there is nothing left to revert. */
export function revertChange(doc: Y.Doc, changeId: string, text: string, blockId?: string): boolean {
  const change = parseChangeId(changeId);
  if (!change) return false;
  return change.kind === 'insert' ? rejectInsertion(doc, change.client, change.clock, change.length) : rejectDeletion(doc, change.client, change.clock, text, blockId);
}
