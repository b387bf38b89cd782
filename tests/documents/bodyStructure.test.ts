/**
 * The body's structure: GB/T 9704 heading numbers from position, the word and page estimate, and
 * the server's reader of a Lexical-over-Yjs room — fed by a real Lexical editor bound to Yjs with
 * the body's nodes, so the reader sees exactly what the editor stores.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  bodyPlainText,
  bodyStatistics,
  chineseNumeral,
  headingNumbers,
  type BodyBlock,
} from '../../src/shared/domain/documents';
import { lexicalBodyBlocks, lexicalParagraphs } from '../../src/sync-server/documents/roomBody';
import { $replaceBody } from '../../src/renderer/features/editor/bodyBlocks';
import { boundEditor } from '../support/lexicalYjs';

const h = (level: 1 | 2 | 3 | 4, text: string): BodyBlock => ({ kind: 'heading', level, runs: [{ text }] });
const p = (text: string): BodyBlock => ({ kind: 'paragraph', runs: [{ text }] });

describe('heading numbers', () => {
  it('counts each level within the heading above it, as 一、 （一） 1. （1）', () => {
    const blocks = [h(1, 'a'), h(2, 'b'), h(3, 'c'), h(4, 'd'), h(4, 'e'), p('x'), h(3, 'f'), h(2, 'g'), h(3, 'h'), h(1, 'i'), h(2, 'j')];
    expect(headingNumbers(blocks)).toEqual(['一、', '（一）', '1.', '（1）', '（2）', undefined, '2.', '（二）', '1.', '二、', '（一）']);
  });

  it('renumbers when a heading moves: the number is computed, never stored', () => {
    const before = [h(1, '总体要求'), p('…'), h(1, '主要任务'), h(1, '保障措施')];
    const moved = [before[3]!, before[1]!, before[0]!, before[2]!];
    expect(bodyPlainText(moved)).toBe('一、保障措施\n…\n二、总体要求\n三、主要任务');
  });

  it('writes Chinese numerals as people do', () => {
    expect([1, 10, 11, 20, 21, 99, 100, 105, 110].map(chineseNumeral)).toEqual(['一', '十', '十一', '二十', '二十一', '九十九', '一百', '一百零五', '一百一十']);
  });
});

describe('word count and page estimate', () => {
  it('counts characters without spaces and estimates pages of 22 lines of 28 characters', () => {
    expect(bodyStatistics([p('一二三 四五')]).characters).toBe(5);
    // One page holds a short body; 60 full paragraphs of two lines each run to several pages.
    expect(bodyStatistics([p('短')]).pages).toBe(1);
    const long = Array.from({ length: 60 }, () => p('字'.repeat(50)));
    const stats = bodyStatistics(long);
    expect(stats.characters).toBe(3000);
    // 120 lines + 4 for the signature: 13 on page one and 22 on each of five more make 123 — one short.
    expect(stats.pages).toBe(7);
    expect(bodyStatistics(long.slice(0, 59)).pages).toBe(6);
    // A page break starts a new page.
    expect(bodyStatistics([p('前'), { kind: 'pageBreak' }, p('后')]).pages).toBe(2);
  });
});

describe('the room reader (lexicalBodyBlocks)', () => {
  const body: BodyBlock[] = [
    h(1, '总体要求'),
    { kind: 'paragraph', runs: [{ text: '坚持' }, { text: '稳中求进', bold: true }, { text: '工作总基调。' }] },
    h(2, '工作目标'),
    { kind: 'list', ordered: true, items: [[{ text: '第一项' }], [{ text: '第二项' }]] },
    { kind: 'list', ordered: false, items: [[{ text: '要点' }]] },
    { kind: 'table', rows: [['单位', '任务'], ['市发改委', '牵头']] },
    { kind: 'pageBreak' },
    h(3, '具体指标'),
    h(4, '细项'),
    { kind: 'attachmentNote', runs: [{ text: '任务分工表' }] },
  ];

  it('reads headings by level, bold runs, lists, tables, page breaks and 附件说明 as the editor stored them', () => {
    const doc = new Y.Doc();
    const editor = boundEditor(doc);
    editor.update(() => $replaceBody(body), { discrete: true });
    expect(lexicalBodyBlocks(doc)).toEqual(body);
    // Read from the updates alone, as the server does.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    expect(lexicalBodyBlocks(replica)).toEqual(body);
    expect(bodyPlainText(lexicalBodyBlocks(replica))).toContain('一、总体要求\n坚持稳中求进工作总基调。\n（一）工作目标');
    // The old paragraph reader still gives every line of text.
    expect(lexicalParagraphs(replica)).toEqual(expect.arrayContaining(['总体要求', '坚持稳中求进工作总基调。', '第一项', '单位', '任务分工表']));
  });
});
