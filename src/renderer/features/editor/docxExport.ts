/**
 * 导出 Word: the body as a .docx laid out per GB/T 9704-2012 — A4, margins top 37 mm, bottom 35 mm,
 * left 28 mm, right 26 mm; the 版头 when the document has a 发文机关 (份号, 密级, 紧急程度 top left
 * in 黑体; the red 发文机关标志 “…文件” in 小标宋 35 mm below the type area's top; the 发文字号 two
 * lines below it, with 签发人 on 报告 and 请示; the red separator line 4 mm under it); 标题 in
 * 方正小标宋简体 二号 centred; 主送机关 flush left; 正文 in
 * 仿宋_GB2312 三号 on an exact 22-line grid, indented two characters; headings 一、 in 黑体, （一） in
 * 楷体_GB2312, 1. and （1） in 仿宋_GB2312 (numbered from their position, as the editor shows them);
 * tables ruled; page breaks kept; the 附件说明 one blank line below the body, indented two characters;
 * then the 发文机关署名 and 成文日期 (unsealed layout: the name two characters in from the right,
 * the date below starting two characters right of it) and the 附注.
 *
 * Runs in the renderer (the `docx` library's browser side): the body is already here, the file goes
 * straight to a download, nothing crosses the bridge. Headings use Word's Heading 1–4 styles and the
 * other parts named styles (公文标题, 主送机关, 附件说明, and 版头 / 落款 for the frame around the
 * body), so 导入 Word reads the file back as it was: the frame is the document's fields, not its body.
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
  Tab,
  Table,
  TableCell,
  TabStopType,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import { formatChineseDate, headingNumbers, type BodyBlock, type HeadingLevel, type InlineRun } from '../../../shared/domain/documents';

/** What the app knows of the document around its body (GB/T 9704's 版头 and 落款), as printed. */
export interface DocxFrame {
  /** 发文机关: its 标志 (“…文件”) heads the document and its name signs it. Without it, no 版头. */
  readonly issuingOrgan?: string;
  /** 发文字号 as printed, e.g. 某政办发〔2026〕12号 (once numbered). */
  readonly docNumber?: string;
  /** 签发人, printed beside the 发文字号 (报告 and 请示 only: the caller decides). */
  readonly signatories?: readonly string[];
  readonly copyNumber?: string;
  /** 密级和保密期限 and 紧急程度 as printed (“机密★1年”, “特急”), empty when none. */
  readonly secrecy?: string;
  readonly urgency?: string;
  /** 成文日期, ISO (YYYY-MM-DD): set on the document or the day it was signed off. */
  readonly writtenDate?: string;
  /** 附注, printed in parentheses below the date. */
  readonly note?: string;
}

export interface DocxExportInput {
  readonly title: string;
  readonly mainRecipients?: readonly string[];
  readonly blocks: readonly BodyBlock[];
  readonly frame?: DocxFrame;
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
/** The red of the 标志 and the separator line (GB/T 9704 leaves the shade to the printer; as the PDF draws it). */
const officialRed = 'E60012';
/** Width of the type area (210 − 28 − 26 mm) in twips. */
const typeWidth = twip(156);

/** How wide a line of 三号 text is, in characters: Arabic numerals and Latin letters take half a cell. */
const cells = (text: string): number => [...text].reduce((n, ch) => n + (/[\x20-\x7e]/.test(ch) ? 0.5 : 1), 0);

/**
 * The 版头: 份号, 密级, 紧急程度 top left; the 发文机关标志 in red 小标宋 as large as fits (at most
 * 22 mm high); the 发文字号 two blank lines below it (签发人 on the right when given); the red line.
 */
function header(frame: DocxFrame, organ: string): Paragraph[] {
  const out: Paragraph[] = [];
  const corner = [frame.copyNumber ? [frame.copyNumber, fonts.fangsong] : null, frame.secrecy ? [frame.secrecy, fonts.heiti] : null, frame.urgency ? [frame.urgency, fonts.heiti] : null].filter(
    (line): line is [string, string] => line !== null,
  );
  for (const [text, font] of corner) out.push(new Paragraph({ style: 'DocFrame', children: [new TextRun({ text, font: face(font), size: hao3 })] }));
  const mark = `${organ}文件`;
  // Half-points: at most 22 mm (62 pt), and the whole 标志 within 96 % of the type area's width.
  const markSize = Math.max(hao2, Math.min(124, Math.floor(((typeWidth / 20) * 0.96 * 2) / [...mark].length)));
  out.push(
    new Paragraph({
      style: 'DocFrame',
      alignment: AlignmentType.CENTER,
      // Its top 35 mm below the type area's top, less the corner lines above it.
      spacing: { before: Math.max(0, twip(35) - corner.length * linePitch), after: 0, line: Math.round(markSize * 10 * 1.3), lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: mark, font: face(fonts.xiaobiaosong), size: markSize, color: officialRed, bold: true })],
    }),
  );
  out.push(new Paragraph({ style: 'DocFrame', children: [] }), new Paragraph({ style: 'DocFrame', children: [] }));
  const number = frame.docNumber ?? '';
  const signatories = frame.signatories ?? [];
  // The red separator: a bottom border of the 发文字号's paragraph, as wide as the type area, 4 mm under it.
  const separator = { bottom: { style: BorderStyle.SINGLE, size: 12, color: officialRed, space: Math.round((4 * 72) / 25.4) } };
  if (signatories.length > 0) {
    out.push(
      new Paragraph({
        style: 'DocFrame',
        border: separator,
        indent: { left: 320, right: 320 },
        tabStops: [{ type: TabStopType.RIGHT, position: typeWidth - 640 }],
        children: [
          new TextRun({ text: number, font: face(fonts.fangsong), size: hao3 }),
          new TextRun({ children: [new Tab(), '签发人：'], font: face(fonts.fangsong), size: hao3 }),
          new TextRun({ text: signatories.join('　'), font: face(fonts.kaiti), size: hao3 }),
        ],
      }),
    );
  } else {
    out.push(new Paragraph({ style: 'DocFrame', border: separator, alignment: AlignmentType.CENTER, children: [new TextRun({ text: number, font: face(fonts.fangsong), size: hao3 })] }));
  }
  // 标题 two blank lines below the red line.
  out.push(new Paragraph({ style: 'DocFrame', children: [] }), new Paragraph({ style: 'DocFrame', children: [] }));
  return out;
}

/**
 * 发文机关署名 and 成文日期, unsealed (GB/T 9704 7.3.5.2): one blank line below the text, the name
 * two characters in from the right, the date on the next line starting two characters right of the
 * name's start (or two characters in from the right when it is longer); then the 附注.
 */
function signature(frame: DocxFrame, organ: string): Paragraph[] {
  const date = frame.writtenDate ? formatChineseDate(frame.writtenDate) : '';
  const nameCells = cells(organ);
  const dateCells = cells(date);
  let nameRight = 2;
  let dateRight = nameRight + nameCells - 2 - dateCells;
  if (dateRight < 2) {
    dateRight = 2;
    nameRight = dateRight + dateCells + 2 - nameCells;
  }
  const line = (text: string, right: number) =>
    new Paragraph({ style: 'DocFrame', alignment: AlignmentType.RIGHT, indent: { right: Math.round(Math.max(0, right) * 320) }, children: [new TextRun({ text, font: face(fonts.fangsong), size: hao3 })] });
  const out = [new Paragraph({ style: 'DocFrame', children: [] })];
  if (organ) out.push(line(organ, nameRight));
  if (date) out.push(line(date, dateRight));
  if (frame.note) out.push(new Paragraph({ style: 'DocFrame', indent: { firstLine: twoChars }, children: [new TextRun({ text: `（${frame.note}）`, font: face(fonts.fangsong), size: hao3 })] }));
  return out;
}

/** The .docx bytes of a body. */
export async function bodyToDocx(input: DocxExportInput): Promise<Uint8Array> {
  const numbers = headingNumbers(input.blocks);
  const children: Array<Paragraph | Table> = [];
  const frame = input.frame ?? {};
  const organ = frame.issuingOrgan?.trim() ?? '';
  if (organ) children.push(...header(frame, organ));
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
  if (organ || frame.writtenDate || frame.note) children.push(...signature(frame, organ));

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
        // 版头 and 落款: fields of the document around the body (导入 Word leaves them out of the body).
        { id: 'DocFrame', name: '版头落款', basedOn: 'Normal', next: 'Normal', run: bodyRun, paragraph: { spacing: bodySpacing } },
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
