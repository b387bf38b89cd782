/** GB/T 9704 rendering of a structured body: numbered headings, bold, a ruled table, a page break, 附件说明. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderOfficialDocument } from '../../src/signing/render';
import type { BodyBlock } from '../../src/shared/domain/documents';
import { requireTools } from '../support/systemTools';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-structured-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdfText(pdf: Uint8Array, name: string, page?: number): string {
  requireTools('pdftotext');
  const file = join(dir, name);
  writeFileSync(file, pdf);
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return spawnSync('pdftotext', [...range, file, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, '');
}

const blocks: BodyBlock[] = [
  { kind: 'heading', level: 1, runs: [{ text: '总体要求' }] },
  { kind: 'paragraph', runs: [{ text: '坚持' }, { text: '稳中求进', bold: true }, { text: '工作总基调。' }] },
  { kind: 'heading', level: 2, runs: [{ text: '工作目标' }] },
  { kind: 'table', rows: [['责任单位', '任务'], ['市发改委', '牵头制定实施方案']] },
  { kind: 'pageBreak' },
  { kind: 'heading', level: 3, runs: [{ text: '具体指标' }] },
  { kind: 'heading', level: 1, runs: [{ text: '保障措施' }] },
  { kind: 'attachmentNote', runs: [{ text: '任务分工表' }] },
];

describe('a structured body rendered per GB/T 9704', () => {
  it('numbers headings from their position, draws the table, honours the page break and places the 附件说明', async () => {
    const rendered = await renderOfficialDocument({ title: '关于做好年度工作的通知', issuingOrgan: '某市人民政府办公室', body: '', bodyBlocks: blocks });
    expect(rendered.pageCount).toBe(2);
    const first = pdfText(rendered.pdf, 'structured.pdf', 1);
    expect(first).toContain('一、总体要求');
    expect(first).toContain('坚持稳中求进工作总基调。');
    expect(first).toContain('（一）工作目标');
    expect(first).toContain('责任单位');
    expect(first).toContain('牵头制定实施方案');
    // After the page break: the level-3 heading, the next level-1 heading and the 附件说明.
    expect(first).not.toContain('具体指标');
    const second = pdfText(rendered.pdf, 'structured.pdf', 2);
    expect(second).toContain('1.具体指标');
    expect(second).toContain('二、保障措施');
    expect(second).toContain('附件：任务分工表');
  });

  it('uses 黑体 for 一、 and 楷体 for （一） headings', async () => {
    requireTools('pdffonts');
    const plain = await renderOfficialDocument({ title: '通知', issuingOrgan: '某市人民政府办公室', body: '只有正文。' });
    const structured = await renderOfficialDocument({ title: '通知', issuingOrgan: '某市人民政府办公室', body: '', bodyBlocks: blocks.slice(0, 3) });
    const fonts = (pdf: Uint8Array, name: string) => {
      const file = join(dir, name);
      writeFileSync(file, pdf);
      return spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout;
    };
    // The page numbers, title and body use 宋体, 小标宋 and 仿宋 in both; the headings add 黑体 and 楷体 faces.
    const plainFonts = fonts(plain.pdf, 'plain.pdf').split('\n').length;
    const structuredFonts = fonts(structured.pdf, 'headings.pdf').split('\n').length;
    expect(structuredFonts).toBeGreaterThan(plainFonts);
  });

  it('still renders a plain-text body (an old snapshot) with hand-typed heading numbers', async () => {
    const rendered = await renderOfficialDocument({ title: '通知', issuingOrgan: '某市人民政府办公室', body: '一、高度重视。\n请认真贯彻执行。' });
    const text = pdfText(rendered.pdf, 'plain.pdf');
    expect(text).toContain('一、高度重视。');
    expect(text).toContain('请认真贯彻执行。');
  });
});
