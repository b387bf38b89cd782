/**
 * 导出 Word: the body as a .docx laid out per GB/T 9704-2012 — A4, margins top 37 mm, bottom 35 mm,
 * left 28 mm, right 26 mm; 标题 in 方正小标宋简体 二号 centred; 主送机关 flush left; 正文 in
 * 仿宋_GB2312 三号 on an exact 22-line grid, indented two characters; headings 一、 in 黑体, （一） in
 * 楷体_GB2312, 1. and （1） in 仿宋_GB2312 (numbered from their position, as the editor shows them);
 * tables ruled; page breaks kept; the 附件说明 one blank line below the body, indented two characters.
 *
 * Runs in the renderer (the `docx` library's browser side): the body is already here, the file goes
 * straight to a download, nothing crosses the bridge. Headings use Word's Heading 1–4 styles and the
 * other parts named styles (公文标题, 主送机关, 附件说明), so 导入 Word reads the file back as it was.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  LevelFormat,
  LineRuleType,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import { headingNumbers, type BodyBlock, type HeadingLevel, type InlineRun } from '../../../shared/domain/documents';

export interface DocxExportInput {
  readonly title: string;
  readonly mainRecipients?: readonly string[];
  readonly blocks: readonly BodyBlock[];
}

const fonts = {
  fangsong: '仿宋_GB2312',
  xiaobiaosong: '方正小标宋简体',
  heiti: '黑体',
  kaiti: '楷体_GB2312',
} as const;

/** Millimetres in twentieths of a point, rounded (docx's own helper truncates: 297 mm would be 16837). */
function twip(mm: number): number {
  return Math.round((mm * 1440) / 25.4);
}

/** Half-points: 三号 16 pt, 二号 22 pt, 四号 14 pt. */
const hao3 = 32;
const hao2 = 44;
const hao4 = 28;
/** 225 mm of type area over 22 lines: an exact line pitch in twips. */
const linePitch = Math.round(twip(225 / 22));
/** Two characters of 三号 (16 pt = 320 twips each). */
const twoChars = 640;

const face = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });
const headingFont: Record<HeadingLevel, string> = { 1: fonts.heiti, 2: fonts.kaiti, 3: fonts.fangsong, 4: fonts.fangsong };

const runs = (items: readonly InlineRun[], font: string, size = hao3): TextRun[] =>
  items.flatMap((r) =>
    r.text.split('\n').map((part, i) => new TextRun({ text: part, font: face(font), size, ...(r.bold ? { bold: true } : {}), ...(i > 0 ? { break: 1 } : {}) } satisfies IRunOptions)),
  );

const bodySpacing = { line: linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

/** The .docx bytes of a body. */
export async function bodyToDocx(input: DocxExportInput): Promise<Uint8Array> {
  const numbers = headingNumbers(input.blocks);
  const children: Array<Paragraph | Table> = [];
  children.push(new Paragraph({ style: 'DocTitle', children: [new TextRun({ text: input.title, font: face(fonts.xiaobiaosong), size: hao2 })] }));
  // One blank line between the title and the 主送机关 (GB/T 9704 7.3.2).
  children.push(new Paragraph({ spacing: bodySpacing, children: [] }));
  const recipients = input.mainRecipients ?? [];
  if (recipients.length > 0) children.push(new Paragraph({ style: 'MainRecipients', children: runs([{ text: `${recipients.join('、')}：` }], fonts.fangsong) }));
  const notes: InlineRun[][] = [];
  let listInstance = 0;
  input.blocks.forEach((block, i) => {
    switch (block.kind) {
      case 'paragraph':
        children.push(new Paragraph({ spacing: bodySpacing, indent: { firstLine: twoChars }, children: runs(block.runs, fonts.fangsong) }));
        return;
      case 'heading': {
        const font = headingFont[block.level];
        children.push(
          new Paragraph({
            style: `Heading${block.level}`,
            children: [new TextRun({ text: numbers[i] ?? '', font: face(font), size: hao3 }), ...runs(block.runs, font)],
          }),
        );
        return;
      }
      case 'list': {
        listInstance++;
        for (const item of block.items) {
          children.push(
            new Paragraph({
              spacing: bodySpacing,
              numbering: { reference: block.ordered ? 'body-ordered' : 'body-bullet', level: 0, instance: listInstance },
              children: runs(item, fonts.fangsong),
            }),
          );
        }
        return;
      }
      case 'table': {
        const columns = Math.max(1, ...block.rows.map((r) => r.length));
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            borders: { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin },
            rows: block.rows.map(
              (row) =>
                new TableRow({
                  children: Array.from(
                    { length: columns },
                    (_, c) =>
                      new TableCell({
                        width: { size: Math.floor(100 / columns), type: WidthType.PERCENTAGE },
                        children: (row[c] ?? '').split('\n').map((line) => new Paragraph({ children: runs([{ text: line }], fonts.fangsong, hao4) })),
                      }),
                  ),
                }),
            ),
          }),
        );
        return;
      }
      case 'pageBreak':
        children.push(new Paragraph({ children: [new PageBreak()] }));
        return;
      case 'attachmentNote':
        notes.push(block.runs);
        return;
    }
  });
  if (notes.length > 0) {
    children.push(new Paragraph({ spacing: bodySpacing, children: [] }));
    notes.forEach((note, i) => {
      const label = notes.length === 1 ? '附件：' : i === 0 ? `附件：${i + 1}．` : `${i + 1}．`;
      children.push(
        new Paragraph({
          style: 'AttachmentNote',
          // Further items hang under the first one's number: two characters plus 附件：.
          indent: { left: i === 0 ? 0 : twoChars + 3 * 320, firstLine: i === 0 ? twoChars : 0 },
          children: runs([{ text: label }, ...note], fonts.fangsong),
        }),
      );
    });
  }

  const bodyRun = { font: face(fonts.fangsong), size: hao3, color: '000000' };
  const headingStyle = (level: HeadingLevel) => ({
    id: `Heading${level}`,
    name: `Heading ${level}`,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { ...bodyRun, font: face(headingFont[level]), bold: false, italics: false },
    paragraph: { spacing: bodySpacing, indent: { firstLine: twoChars }, outlineLevel: level - 1, keepNext: true },
  });
  const document = new Document({
    creator: 'XieTong 协同办公',
    title: input.title,
    styles: {
      default: { document: { run: bodyRun, paragraph: { spacing: bodySpacing } } },
      paragraphStyles: [
        headingStyle(1),
        headingStyle(2),
        headingStyle(3),
        headingStyle(4),
        {
          id: 'DocTitle',
          name: '公文标题',
          basedOn: 'Normal',
          next: 'Normal',
          run: { font: face(fonts.xiaobiaosong), size: hao2, color: '000000' },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { line: Math.round(linePitch * 1.2), lineRule: LineRuleType.AT_LEAST } },
        },
        { id: 'MainRecipients', name: '主送机关', basedOn: 'Normal', next: 'Normal', run: bodyRun, paragraph: { spacing: bodySpacing } },
        { id: 'AttachmentNote', name: '附件说明', basedOn: 'Normal', next: 'Normal', run: bodyRun, paragraph: { spacing: bodySpacing } },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'body-ordered',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: { paragraph: { indent: { left: twoChars, hanging: 0, firstLine: twoChars } } } }],
        },
        {
          reference: 'body-bullet',
          levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.START, style: { paragraph: { indent: { left: twoChars, hanging: 0, firstLine: twoChars } } } }],
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: twip(210), height: twip(297) },
            margin: {
              top: twip(37),
              bottom: twip(35),
              left: twip(28),
              right: twip(26),
            },
          },
        },
        children,
      },
    ],
  });
  const blob = await Packer.toBlob(document);
  return new Uint8Array(await blob.arrayBuffer());
}
