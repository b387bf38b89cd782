/**
 * The attributed difference between two versions of a body: who inserted what (by the Yjs client
 * that carries it), what was deleted and by which step's holder, paragraphs added or removed whole,
 * and text deleted and then GC-ed by the server's compaction still shown from the older version.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffVersions, type Person } from '../../src/sync-server/documents/revisionsDiff';
import { compactUpdates } from '../../src/sync-server/sync/compaction';
import { addParagraph, paragraphsOf, replaceIn, sync } from './lexicalDoc';

const li: Person = { id: 'user-li', name: '李文' };
const wang: Person = { id: 'user-wang', name: '王建国' };
const zhao: Person = { id: 'user-zhao', name: '赵敏' };

function version(doc: Y.Doc): { state: Uint8Array; snapshot: Y.Snapshot } {
  return { state: Y.encodeStateAsUpdate(doc), snapshot: Y.snapshot(doc) };
}

describe('diffVersions', () => {
  it('attributes a changed sentence: insertion to its author, deletion to the step’s holder', () => {
    const liDoc = new Y.Doc();
    addParagraph(liDoc, '一、各单位要认真组织自查。');
    addParagraph(liDoc, '二、请于月底前报送。');
    const v1 = version(liDoc);
    const wangDoc = new Y.Doc();
    sync(liDoc, wangDoc);
    replaceIn(paragraphsOf(wangDoc)[0]!, '认真组织', '全面开展');
    const v2 = version(wangDoc);
    const authors = new Map([
      [liDoc.clientID, li],
      [wangDoc.clientID, wang],
    ]);

    const paragraphs = diffVersions({ states: [v1.state, v2.state], from: v1.snapshot, later: [{ snapshot: v2.snapshot, holder: wang }], authorOf: (c) => authors.get(c), colorOf: () => '#123456' });

    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[1]).toMatchObject({ kind: 'same', segments: [{ kind: 'same', text: '二、请于月底前报送。' }] });
    const first = paragraphs[0]!;
    expect(first.kind).toBe('changed');
    expect(first.segments.map((s) => [s.kind, s.text, s.personName])).toEqual([
      ['same', '一、各单位要', undefined],
      ['delete', '认真组织', '王建国'],
      ['insert', '全面开展', '王建国'],
      ['same', '自查。', undefined],
    ]);
    const inserted = first.segments[2]!;
    expect(inserted.changeId).toBe(`i:${wangDoc.clientID}:${inserted.changeId!.split(':')[2]}:4`);
    expect(inserted.color).toBe('#123456');
    expect(first.segments[1]!.changeId).toMatch(new RegExp(`^d:${liDoc.clientID}:\\d+:4$`));
  });

  it('marks whole paragraphs added and removed, and names the holder of the step that deleted', () => {
    const doc = new Y.Doc();
    addParagraph(doc, '保留的一段。');
    addParagraph(doc, '将被删去的一段。');
    const v1 = version(doc);
    // 核稿 (zhao holds it) deletes the second paragraph; 签发 (wang) adds one.
    const root = doc.get('root', Y.XmlText);
    root.delete(1, 1);
    const v2 = version(doc);
    const wangDoc = new Y.Doc();
    sync(doc, wangDoc);
    addParagraph(wangDoc, '签发时补充的一段。');
    const v3 = version(wangDoc);
    const authors = new Map([
      [doc.clientID, li],
      [wangDoc.clientID, wang],
    ]);

    const paragraphs = diffVersions({
      states: [v1.state, v2.state, v3.state],
      from: v1.snapshot,
      later: [
        { snapshot: v2.snapshot, holder: zhao },
        { snapshot: v3.snapshot, holder: wang },
      ],
      authorOf: (c) => authors.get(c),
      colorOf: () => '#000000',
    });
    expect(paragraphs.map((p) => [p.kind, p.segments.map((s) => s.text).join(''), p.segments[0]!.personName])).toEqual([
      ['same', '保留的一段。', undefined],
      ['delete', '将被删去的一段。', '赵敏'],
      ['insert', '签发时补充的一段。', '王建国'],
    ]);
  });

  it('shows text the server compacted away after deleting it, from the older version', () => {
    const doc = new Y.Doc();
    addParagraph(doc, '甲乙丙丁');
    const v1 = version(doc);
    replaceIn(paragraphsOf(doc)[0]!, '乙丙', '');
    // The server's compaction garbage-collects the deleted characters.
    const compacted = new Y.Doc();
    Y.applyUpdate(compacted, compactUpdates([Y.encodeStateAsUpdate(doc)]));
    const v2 = version(compacted);
    const paragraphs = diffVersions({ states: [v1.state, v2.state], from: v1.snapshot, later: [{ snapshot: v2.snapshot, holder: wang }], authorOf: () => li, colorOf: () => '#000000' });
    expect(paragraphs[0]!.segments.map((s) => [s.kind, s.text])).toEqual([
      ['same', '甲'],
      ['delete', '乙丙'],
      ['same', '丁'],
    ]);
  });

  it('reports an unchanged body as unchanged and leaves out empty paragraphs', () => {
    const doc = new Y.Doc();
    addParagraph(doc, '');
    addParagraph(doc, '正文。');
    const v1 = version(doc);
    const paragraphs = diffVersions({ states: [v1.state, v1.state], from: v1.snapshot, later: [{ snapshot: v1.snapshot, holder: li }], authorOf: () => li, colorOf: () => '#000000' });
    expect(paragraphs).toMatchObject([{ kind: 'same', segments: [{ kind: 'same', text: '正文。' }] }]);
    expect(paragraphs).toHaveLength(1);
  });
});
