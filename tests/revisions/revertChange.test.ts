/**
 * 拒绝 in the live body: an insertion is removed and a deletion typed back — also when a whole
 * paragraph went — in a replica that holds the changes as the editor's document does (deleted
 * content collected), and the result reaches another replica as an ordinary update.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffVersions } from '../../src/sync-server/documents/revisionsDiff';
import { lexicalParagraphs } from '../../src/sync-server/documents/roomBody';
import { revertChange } from '../../src/renderer/features/revisions/revertChange';
import { addParagraph, paragraphsOf, replaceIn, sync } from './lexicalDoc';

const person = { id: 'user-wang', name: '王建国' };

function changesBetween(before: Y.Doc, after: Y.Doc) {
  const paragraphs = diffVersions({
    states: [Y.encodeStateAsUpdate(before), Y.encodeStateAsUpdate(after)],
    from: Y.snapshot(before),
    later: [{ snapshot: Y.snapshot(after), holder: person }],
    authorOf: () => person,
    colorOf: () => '#000000',
  });
  return paragraphs.flatMap((p) => p.segments.filter((s) => s.kind !== 'same').map((s) => ({ ...s, blockId: p.blockId })));
}

describe('revertChange', () => {
  it('removes an insertion and restores a deletion in the editor’s document; another replica follows', () => {
    const drafted = new Y.Doc();
    addParagraph(drafted, '一、各单位要认真组织自查。');
    const v1 = new Y.Doc({ gc: false });
    sync(drafted, v1);
    replaceIn(paragraphsOf(drafted)[0]!, '认真组织', '全面开展');
    const changes = changesBetween(v1, drafted);
    expect(changes.map((c) => [c.kind, c.text])).toEqual([
      ['delete', '认真组织'],
      ['insert', '全面开展'],
    ]);

    const editor = new Y.Doc();
    sync(drafted, editor);
    const other = new Y.Doc();
    sync(editor, other);
    const before = Y.encodeStateVector(editor);
    expect(revertChange(editor, changes[1]!.changeId!, changes[1]!.text)).toBe(true);
    expect(lexicalParagraphs(editor)).toEqual(['一、各单位要自查。']);
    expect(revertChange(editor, changes[0]!.changeId!, changes[0]!.text)).toBe(true);
    expect(lexicalParagraphs(editor)).toEqual(['一、各单位要认真组织自查。']);
    Y.applyUpdate(other, Y.encodeStateAsUpdate(editor, before));
    expect(lexicalParagraphs(other)).toEqual(['一、各单位要认真组织自查。']);
    // Reverting again finds nothing left to remove.
    expect(revertChange(editor, changes[1]!.changeId!, changes[1]!.text)).toBe(false);
  });

  it('puts a paragraph deleted whole back where it stood', () => {
    const drafted = new Y.Doc();
    addParagraph(drafted, '第一段。');
    addParagraph(drafted, '第二段。');
    addParagraph(drafted, '第三段。');
    const v1 = new Y.Doc({ gc: false });
    sync(drafted, v1);
    drafted.get('root', Y.XmlText).delete(1, 1);
    const [removed] = changesBetween(v1, drafted);
    expect(removed).toMatchObject({ kind: 'delete', text: '第二段。' });
    const editor = new Y.Doc();
    sync(drafted, editor);
    expect(lexicalParagraphs(editor)).toEqual(['第一段。', '第三段。']);
    expect(revertChange(editor, removed!.changeId!, removed!.text, removed!.blockId)).toBe(true);
    expect(lexicalParagraphs(editor)).toEqual(['第一段。', '第二段。', '第三段。']);
  });

  it('refuses a malformed change id', () => {
    expect(revertChange(new Y.Doc(), 'x:1', '')).toBe(false);
  });
});
