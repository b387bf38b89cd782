/** 导入 Word and 导出 Word: a .docx built the way Word writes one becomes the body, and back. */
import { describe, expect, it } from 'vitest';
import { DeletedTextRun, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { docxToBody, DocxImportError } from '../../../src/renderer/features/editor/docxImport';
import { bodyToDocx } from '../../../src/renderer/features/editor/docxExport';
import { readZipEntry } from '../../../src/renderer/features/editor/docxTrackedChanges';
import type { BodyBlock } from '../../../src/shared/domain/documents';

async function wordFile(children: Array<Paragraph | Table>): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });

describe('导入 Word', () => {
  it('keeps headings, bold, lists and a table of a Word document, dropping typed heading numbers', async () => {
    const file = await wordFile([
      new Paragraph({ heading: HeadingLevel.HEADING_1, text: '一、总体要求' }),
      new Paragraph({ children: [new TextRun('坚持'), new TextRun({ text: '稳中求进', bold: true }), new TextRun('工作总基调。')] }),
      new Paragraph({ heading: HeadingLevel.HEADING_2, text: '工作目标' }),
      new Paragraph({ text: '（一）分工明确', heading: HeadingLevel.HEADING_2 }),
      new Paragraph({ text: '2．第三级标题' }),
      new Table({ rows: [new TableRow({ children: [cell('单位'), cell('任务')] }), new TableRow({ children: [cell('市发改委'), cell('牵头')] })] }),
      new Paragraph({ text: '附件：1．任务分工表' }),
      new Paragraph({ text: '2．进度安排' }),
    ]);
    const body = await docxToBody(file);
    expect(body.blocks).toEqual<BodyBlock[]>([
      { kind: 'heading', level: 1, runs: [{ text: '总体要求' }] },
      { kind: 'paragraph', runs: [{ text: '坚持' }, { text: '稳中求进', bold: true }, { text: '工作总基调。' }] },
      { kind: 'heading', level: 2, runs: [{ text: '工作目标' }] },
      { kind: 'heading', level: 2, runs: [{ text: '分工明确' }] },
      { kind: 'heading', level: 3, runs: [{ text: '第三级标题' }] },
      { kind: 'table', rows: [['单位', '任务'], ['市发改委', '牵头']] },
      { kind: 'attachmentNote', runs: [{ text: '任务分工表' }] },
      { kind: 'attachmentNote', runs: [{ text: '进度安排' }] },
    ]);
  });

  it('refuses a document with tracked deletions, saying why, instead of dropping the deleted text', async () => {
    const file = await wordFile([
      new Paragraph({ children: [new TextRun('保留的文字'), new DeletedTextRun({ text: '删去的文字', id: 1, author: '王建国', date: '2026-12-01T00:00:00Z' })] }),
    ]);
    expect(new TextDecoder().decode(await readZipEntry(file, 'word/document.xml'))).toContain('<w:del ');
    await expect(docxToBody(file)).rejects.toThrow(DocxImportError);
    await expect(docxToBody(file)).rejects.toThrow(/未处理的修订（1 处删除/);
  });

  it('refuses a file that is not a .docx', async () => {
    await expect(docxToBody(new TextEncoder().encode('这不是 Word 文件'))).rejects.toThrow(/不是有效的 Word 文件/);
  });
});

describe('导出 Word', () => {
  const blocks: BodyBlock[] = [
    { kind: 'heading', level: 1, runs: [{ text: '总体要求' }] },
    { kind: 'paragraph', runs: [{ text: '坚持' }, { text: '稳中求进', bold: true }, { text: '工作总基调。' }] },
    { kind: 'heading', level: 2, runs: [{ text: '工作目标' }] },
    { kind: 'heading', level: 3, runs: [{ text: '具体指标' }] },
    { kind: 'heading', level: 4, runs: [{ text: '细项' }] },
    { kind: 'list', ordered: true, items: [[{ text: '第一项' }], [{ text: '第二项' }]] },
    { kind: 'list', ordered: false, items: [[{ text: '要点' }]] },
    { kind: 'table', rows: [['单位', '任务'], ['市发改委', '牵头']] },
    { kind: 'pageBreak' },
    { kind: 'heading', level: 1, runs: [{ text: '保障措施' }] },
    { kind: 'attachmentNote', runs: [{ text: '任务分工表' }] },
    { kind: 'attachmentNote', runs: [{ text: '进度安排' }] },
  ];

  it('writes an A4 document with GB/T 9704 margins, fonts and numbered headings that imports back the same', async () => {
    const file = await bodyToDocx({ title: '关于做好年度工作的通知', mainRecipients: ['各区人民政府'], blocks });
    const xml = new TextDecoder().decode(await readZipEntry(file, 'word/document.xml'));
    // A4 and 37/35/28/26 mm margins, in twentieths of a point.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/w:top="2098"/);
    expect(xml).toMatch(/w:bottom="1984"/);
    expect(xml).toMatch(/w:left="1587"/);
    expect(xml).toMatch(/w:right="1474"/);
    expect(xml).toContain('方正小标宋简体');
    expect(xml).toContain('仿宋_GB2312');
    expect(xml).toContain('一、');
    expect(xml).toContain('（一）');
    const styles = new TextDecoder().decode(await readZipEntry(file, 'word/styles.xml'));
    expect(styles).toContain('黑体');
    expect(styles).toContain('楷体_GB2312');

    const back = await docxToBody(file);
    expect(back.title).toBe('关于做好年度工作的通知');
    expect(back.blocks).toEqual(blocks);
    // And once more: export what was imported, import it again.
    const again = await docxToBody(await bodyToDocx({ title: back.title ?? '', blocks: back.blocks }));
    expect(again.blocks).toEqual(blocks);
  });

  it('carries the 版头 and 落款 the document has: 标志 in red, 发文字号 over the red line, 署名 and 成文日期 — and imports back only the body', async () => {
    const file = await bodyToDocx({
      title: '关于做好年度工作的请示',
      mainRecipients: ['市人民政府'],
      blocks,
      frame: { issuingOrgan: '市政府办公室', docNumber: '市政办发〔2026〕12号', signatories: ['王建国'], secrecy: '秘密★1年', urgency: '特急', writtenDate: '2026-12-06', note: '联系人：李文' },
    });
    const xml = new TextDecoder().decode(await readZipEntry(file, 'word/document.xml'));
    const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]);
    const at = (text: string) => texts.indexOf(text);
    // In the order GB/T 9704 prints them: 版头, 标题, 主送机关, 正文, 附件说明, 署名, 成文日期, 附注.
    for (const text of ['秘密★1年', '特急', '市政府办公室文件', '市政办发〔2026〕12号', '签发人：', '王建国', '关于做好年度工作的请示', '市人民政府：', '市政府办公室', '2026年12月6日', '（联系人：李文）'])
      expect(at(text), text).toBeGreaterThanOrEqual(0);
    expect(at('市政府办公室文件')).toBeLessThan(at('关于做好年度工作的请示'));
    expect(at('市政办发〔2026〕12号')).toBeLessThan(at('关于做好年度工作的请示'));
    expect(at('进度安排')).toBeLessThan(at('市政府办公室'));
    expect(at('市政府办公室')).toBeLessThan(at('2026年12月6日'));
    // The 标志 in red 小标宋; the red separator line under the 发文字号; 署名 and date right-aligned.
    expect(xml).toMatch(/<w:color w:val="E60012"\/>(?:(?!<\/w:r>).)*<w:t[^>]*>市政府办公室文件/s);
    expect(xml).toMatch(/<w:bottom w:val="single" w:color="E60012"/);
    expect(xml).toMatch(/<w:jc w:val="right"\/>(?:(?!<\/w:p>).)*<w:t[^>]*>2026年12月6日/s);

    const back = await docxToBody(file);
    expect(back.title).toBe('关于做好年度工作的请示');
    expect(back.blocks).toEqual(blocks);
  });

  it('writes no 版头 for a document without a 发文机关', async () => {
    const xml = new TextDecoder().decode(await readZipEntry(await bodyToDocx({ title: '会议纪要', blocks }), 'word/document.xml'));
    expect(xml).not.toContain('文件<');
    expect(xml).not.toContain('E60012');
  });
});
