import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { ReplicaStore } from '../../src/main/services/replica/replicaStore';
import { extractText, extractTextFromUpdate } from '../../src/main/services/search/bodyText';
import { createBodyIndexer } from '../../src/main/services/search/bodyIndexer';
import { createSearchService } from '../../src/main/services/search/searchService';
import { openReplica } from '../../src/main/services/replica/replica';

/** A body in Lexical's Yjs shape: the root XmlText embeds one XmlText per paragraph. */
function lexicalBody(paragraphs: string[]): Y.Doc {
  const doc = new Y.Doc();
  const root = doc.get('root', Y.XmlText);
  paragraphs.forEach((text, i) => {
    const paragraph = new Y.XmlText();
    root.insertEmbed(i, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    paragraph.insert(0, text, { __type: 'text', __format: 0 });
  });
  return doc;
}

describe('body text extraction', () => {
  it('reads Lexical paragraphs, plain Text, Arrays and Maps and skips deleted text', () => {
    const doc = lexicalBody(['各区人民政府：', '现将有关事项通知如下。']);
    const text = doc.getText('comments');
    text.insert(0, '删掉的批注保留的批注');
    text.delete(0, 5);
    doc.getArray<string>('tags').push(['紧急']);
    const note = new Y.XmlText();
    doc.getMap('meta').set('note', note);
    note.insert(0, '附件说明');
    const extracted = extractText(doc);
    expect(extracted).toContain('各区人民政府：\n现将有关事项通知如下。');
    expect(extracted).toContain('保留的批注');
    expect(extracted).not.toContain('删掉');
    expect(extracted).toContain('紧急');
    expect(extracted).toContain('附件说明');
    expect(extracted).not.toContain('paragraph');
    // From bytes alone, as the replica stores them (the shared types were never declared).
    expect(extractTextFromUpdate(Y.encodeStateAsUpdate(doc))).toBe(extracted);
  });
});

describe('full-text search', () => {
  let dir: string;
  let store: ReplicaStore;
  const put = (id: string, title: string, docNumber: string | null, updatedAt: string) =>
    store.upsertDocuments([{ document: { id, kind: 'outgoing', title, docNumber, state: 'draft', updatedAt } }]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xt-search-'));
    store = new ReplicaStore({ file: join(dir, 'r.sqlite'), blobDir: join(dir, 'blobs') });
    put('a', '关于召开全市安全生产工作会议的通知', '市府办〔2024〕12号', '2024-05-01T00:00:00.000Z');
    put('b', '关于报送2024年财政预算的请示', '市发改〔2024〕3号', '2024-05-02T00:00:00.000Z');
    put('c', '市政府办公室关于春节期间值班安排的通知', null, '2024-05-03T00:00:00.000Z');
    put('d', 'Quarterly report on water supply', null, '2024-05-04T00:00:00.000Z');
    store.setDocumentBody('b', extractText(lexicalBody(['市发展和改革委员会：', '请于五月底前报送会议纪要。'])));
    store.putMessages([
      { id: 'm1', conversation: 'c1', sender: 'wang', text: '下午三点开会，请带上材料', sentAt: '2024-05-01T06:00:00.000Z', status: 'sent' },
      { id: 'm2', conversation: 'c1', sender: 'li', text: '收到，准时参加会议', sentAt: '2024-05-01T06:01:00.000Z', status: 'sent' },
    ]);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = (query: string) => store.searchDocuments(query, 20).map((hit) => hit.id);

  it('finds 2-character Chinese words, which trigram alone cannot', () => {
    expect(ids('通知')).toEqual(['c', 'a']);
    expect(ids('会议')).toEqual(['b', 'a']); // b through its body
    expect(ids('值班')).toEqual(['c']);
    expect(store.searchMessages('开会', 10).map((m) => m.id)).toEqual(['m1']);
    expect(store.searchMessages('会议', 10).map((m) => m.id)).toEqual(['m2']);
  });

  it('finds longer phrases as substrings, document numbers and bodies, newest first', () => {
    expect(ids('安全生产')).toEqual(['a']);
    expect(ids('〔2024〕')).toEqual(['b', 'a']);
    expect(ids('市府办〔2024〕12号')).toEqual(['a']);
    expect(ids('会议纪要')).toEqual(['b']);
    expect(ids('water supply')).toEqual(['d']);
    expect(ids('WATER')).toEqual(['d']);
  });

  it('requires every term and shows a snippet around the match', () => {
    expect(ids('通知 值班')).toEqual(['c']);
    expect(ids('通知 财政预算')).toEqual([]);
    const [hit] = store.searchDocuments('会议纪要', 5);
    expect(hit?.snippet).toContain('会议纪要');
  });

  it('answers 1-character and punctuation queries over titles and numbers, and never chokes on syntax', () => {
    expect(ids('春')).toEqual(['c']);
    expect(ids('号')).toEqual(['b', 'a']);
    for (const odd of ['"', 'AND', 'NEAR(', '*', 'a OR', "'", '%', '\\']) expect(() => store.searchDocuments(odd, 5)).not.toThrow();
    expect(ids('%')).toEqual([]);
    expect(ids('   ')).toEqual([]);
  });

  it('updates the index when a title changes or a document is removed', () => {
    put('c', '关于调整值班人员的函', null, '2024-06-01T00:00:00.000Z');
    expect(ids('通知')).toEqual(['a']);
    expect(ids('调整')).toEqual(['c']);
    store.removeDocument('c');
    expect(ids('调整')).toEqual([]);
  });
});

describe('body indexer', () => {
  it('indexes a document body after edits settle, through the replica worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xt-index-'));
    const replica = await openReplica({ dir });
    try {
      await replica.upsertDocuments([{ document: { id: 'x1', kind: 'outgoing', title: '草稿', state: 'draft', updatedAt: '2024-01-01' } }]);
      const indexer = createBodyIndexer(replica, { delayMs: 5 });
      const doc = lexicalBody(['请各单位做好防汛准备。']);
      indexer.changed('doc:x1', doc);
      indexer.changed('chat:room', doc); // not a document body: ignored
      await indexer.flush();
      const search = createSearchService(replica);
      expect((await search.search('防汛', 10)).documents.map((hit) => hit.id)).toEqual(['x1']);
      expect(await search.search(' ', 10)).toEqual({ documents: [], messages: [] });
    } finally {
      await replica.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
