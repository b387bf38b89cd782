/**
 * Renders an official document to PDF in the 文件格式 of GB/T 9704-2012: 版头 (份号, 密级,
 * 紧急程度, red 发文机关标志, 发文字号 with or without 签发人, red separator line), 主体 (标题,
 * 主送机关, 正文 with its heading levels, 附件说明, 署名, 成文日期, 附注), 版记 and page numbers.
 *
 * The seal is not drawn here: applying it is a digital signature (src/signing's signer). This
 * module returns where the seal must go, computed by the standard's rules, and the signer draws the
 * appearance there.
 */
import {
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setCharacterSpacing,
  setLineWidth,
  setStrokingColor,
  setTextRenderingMode,
  TextRenderingMode,
  type PDFPage,
  type RGB,
} from 'pdf-lib';
import {
  blocksFromPlainText,
  formatChineseDate,
  headingNumbers,
  runsText,
  type BodyBlock,
  type InlineRun,
  formatDocNumber,
  formatSecrecy,
  urgencyLabels,
  type DocumentFields,
  type FontOverrides,
  type FontRole,
} from '../../shared/domain/documents';
import { embedCjkFonts, resolveCjkFont } from '../fonts';
import {
  charPitchMm,
  colophonRuleMm,
  defaultSealDiameterMm,
  emBottom,
  emTop,
  linePitchMm,
  mm,
  officialRed,
  orgMarkTopOffsetMm,
  page,
  pageNumberOffsetMm,
  separatorGapMm,
  separatorThicknessMm,
  sizes,
  toMm,
  typeArea,
} from './pageGeometry';
import { breakLines, gridSpacing, lineWidth, type FontSet, type Segment } from './typesetter';

/** Where the seal goes: centre and size in millimetres, plus the PDF-space box the signer draws in. */
export interface SealPlacement {
  /** 0-based page index and the 1-based page number a person reads. */
  readonly pageIndex: number;
  readonly pageNumber: number;
  readonly diameterMm: number;
  /** Centre of the seal, measured from the page's left edge and from its top edge. */
  readonly centerXMm: number;
  readonly centerYMmFromTop: number;
  /** Lower-left corner of the seal's square, in mm from the page's lower-left corner (PDF convention). */
  readonly xMm: number;
  readonly yMm: number;
}

export interface RenderOptions {
  /** Lay out the signature block for a seal (成文日期 four characters in, 署名 centred above it). */
  readonly sealed?: boolean;
  readonly sealDiameterMm?: number;
  /** Installed official fonts (仿宋_GB2312, 方正小标宋 …) per role. */
  readonly fonts?: FontOverrides;
  /**
   * 文件格式 (the default) or 信函格式 (GB/T 9704 10.1; the default for 函): the organ's name 30 mm
   * from the top edge between red double lines, no page number on the first page, a 版记 of 抄送 only.
   */
  readonly format?: 'file' | 'letter';
}

export interface RenderedDocument {
  readonly pdf: Uint8Array;
  readonly pageCount: number;
  /** Present when `sealed` was asked for. */
  readonly seal?: SealPlacement;
}

/** The fields the renderer reads (the stored document satisfies this). */
export type RenderableDocument = Pick<DocumentFields, 'title' | 'issuingOrgan' | 'body'> &
  Partial<
    Pick<
      DocumentFields,
      | 'type'
      | 'docNumber'
      | 'signatories'
      | 'mainRecipients'
      | 'ccRecipients'
      | 'secrecy'
      | 'urgency'
      | 'copyNumber'
      | 'writtenDate'
      | 'attachments'
      | 'note'
      | 'printingOrgan'
      | 'printDate'
    >
  > & {
    /**
     * The body's structure (headings, bold, lists, tables, page breaks, 附件说明). Without it the
     * `body` text renders one paragraph per line, hand-typed heading numbers recognised as before.
     */
    readonly bodyBlocks?: readonly BodyBlock[];
  };

const black = rgb(0, 0, 0);
const red = rgb(officialRed.r, officialRed.g, officialRed.b);
const cellPt = mm(charPitchMm);
const typeWidthPt = mm(page.typeWidthMm);

/** One line of the 22-line grid: styled segments placed by alignment or at an explicit x. */
interface GridLine {
  readonly segments: Segment[];
  readonly align: 'left' | 'center' | 'right';
  /** Left indent (align left) or right indent (align right) in grid cells. */
  readonly indentCells?: number;
  /** Explicit x of the line's start in mm from the page's left edge (overrides align). */
  readonly xMm?: number;
}

/** One cell's share of one line of a table row: its column and the text on that line. */
interface TableCellLine {
  readonly xMm: number;
  readonly widthMm: number;
  readonly segments: Segment[];
}

/**
 * A vertical slot in the page flow: a grid line, a blank line, one line of a table row (`first` and
 * `last` say where the row's rules go), or a forced page break (which takes no slot).
 */
type FlowItem =
  | { kind: 'line'; line: GridLine; content: boolean }
  | { kind: 'blank' }
  | { kind: 'tableLine'; cells: TableCellLine[]; first: boolean; last: boolean }
  | { kind: 'pageBreak' };

const fs = (text: string, role: FontRole = 'fangsong', size: number = sizes.hao3, color?: RGB): Segment => ({
  text,
  role,
  size,
  tc: gridSpacing(size),
  ...(color ? { color } : {}),
});

/** Heading levels of 7.3.3: 一、 黑体; （一） 楷体; 1. and （1） 仿宋. The heading runs up to its first 。 */
function paragraphRuns(paragraph: string): Segment[] {
  const level1 = /^[一二三四五六七八九十百]+、/.test(paragraph);
  const level2 = /^（[一二三四五六七八九十百]+）/.test(paragraph);
  if (!level1 && !level2) return [fs(paragraph)];
  const role: FontRole = level1 ? 'heiti' : 'kaiti';
  const stop = paragraph.indexOf('。');
  if (stop < 0 || stop === paragraph.length - 1) return [fs(paragraph, role)];
  return [fs(paragraph.slice(0, stop + 1), role), fs(paragraph.slice(stop + 1))];
}

/** Lines of one paragraph indented two characters (首行缩进二字), continuation lines flush left. */
function paragraphLines(fonts: FontSet, runs: Segment[], indentCells = 2): GridLine[] {
  const broken = breakLines(fonts, runs, typeWidthPt - indentCells * cellPt, typeWidthPt);
  return broken.map((segments, i) => ({ segments, align: 'left', indentCells: i === 0 ? indentCells : 0 }));
}

const runSegments = (runs: readonly InlineRun[], role: FontRole = 'fangsong'): Segment[] =>
  runs.filter((r) => r.text.length > 0).map((r) => ({ ...fs(r.text, role), ...(r.bold ? { bold: true } : {}) }));

/** GB/T 9704 7.3.3: 一、 in 黑体, （一） in 楷体, 1. and （1） in 仿宋 (a level-3 heading may be bold). */
const headingRoles: Record<1 | 2 | 3 | 4, FontRole> = { 1: 'heiti', 2: 'kaiti', 3: 'fangsong', 4: 'fangsong' };

/** Table text: 4号 仿宋, each cell padded half a character from its rules. */
const tableSize = sizes.hao4;
const cellPaddingMm = charPitchMm / 2;

/** Column widths in mm: by each column's longest cell (two to fourteen characters), filling the type area. */
function columnWidths(rows: readonly string[][]): number[] {
  const columns = Math.max(1, ...rows.map((r) => r.length));
  const weights = Array.from({ length: columns }, (_, c) => Math.min(14, Math.max(2, ...rows.map((r) => [...(r[c] ?? '')].length))));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (page.typeWidthMm * w) / total);
}

/** A table as grid lines: every row as tall as its tallest cell, cells broken to their column. */
function tableFlow(fonts: FontSet, rows: readonly string[][]): FlowItem[] {
  const widths = columnWidths(rows);
  const items: FlowItem[] = [];
  for (const row of rows) {
    let x = typeArea.leftMm;
    const cells = widths.map((widthMm, c) => {
      const inner = mm(widthMm - 2 * cellPaddingMm);
      const text = (row[c] ?? '').split('\n').filter((l) => l.length > 0);
      const lines = text.length === 0 ? [[]] : text.flatMap((t) => breakLines(fonts, [{ text: t, role: 'fangsong', size: tableSize, tc: 0 }], inner, inner));
      const cell = { xMm: x, widthMm, lines };
      x += widthMm;
      return cell;
    });
    const height = Math.max(1, ...cells.map((c) => c.lines.length));
    for (let i = 0; i < height; i++) {
      items.push({
        kind: 'tableLine',
        first: i === 0,
        last: i === height - 1,
        cells: cells.map((c) => ({ xMm: c.xMm, widthMm: c.widthMm, segments: c.lines[i] ?? [] })),
      });
    }
  }
  return items;
}

/**
 * The 正文 as a flow of grid slots, and the names of its 附件说明 (placed after the body by the
 * caller, as 7.3.4 places them, wherever the drafter put them in the text).
 */
function bodyFlow(fonts: FontSet, blocks: readonly BodyBlock[]): { flow: FlowItem[]; attachmentNotes: string[] } {
  const flow: FlowItem[] = [];
  const attachmentNotes: string[] = [];
  const numbers = headingNumbers(blocks);
  const lines = (runs: Segment[], indentCells = 2) => {
    for (const line of paragraphLines(fonts, runs, indentCells)) flow.push({ kind: 'line', line, content: true });
  };
  blocks.forEach((block, i) => {
    switch (block.kind) {
      case 'paragraph': {
        const text = runsText(block.runs).trim();
        if (text.length === 0) return;
        // Plain text typed with its own 一、 / （一）: styled by its prefix, as before structures existed.
        if (block.runs.every((r) => !r.bold)) lines(paragraphRuns(text));
        else lines(runSegments(block.runs));
        return;
      }
      case 'heading':
        lines([fs(numbers[i] ?? '', headingRoles[block.level]), ...runSegments(block.runs, headingRoles[block.level])]);
        return;
      case 'list':
        block.items.forEach((item, j) => {
          if (runsText(item).trim().length === 0) return;
          lines([fs(block.ordered ? `${j + 1}．` : '•　'), ...runSegments(item)]);
        });
        return;
      case 'table':
        if (block.rows.length > 0) flow.push(...tableFlow(fonts, block.rows));
        return;
      case 'pageBreak':
        flow.push({ kind: 'pageBreak' });
        return;
      case 'attachmentNote': {
        const name = runsText(block.runs).trim();
        if (name.length > 0) attachmentNotes.push(name.replace(/^附件[：:]\s*/, '').replace(/^\d+[．.]\s*/, ''));
        return;
      }
    }
  });
  return { flow, attachmentNotes };
}

/** Draws one line of a table row: its cells' text and rules (top when it starts the row or a page, bottom likewise). */
function drawTableLine(pdfPage: PDFPage, fonts: FontSet, item: Extract<FlowItem, { kind: 'tableLine' }>, topMm: number, top: boolean, bottom: boolean): void {
  const thickness = mm(0.25);
  const y = (fromTop: number) => mm(page.heightMm - fromTop);
  const rule = (x1: number, y1: number, x2: number, y2: number) =>
    pdfPage.drawLine({ start: { x: mm(x1), y: y(y1) }, end: { x: mm(x2), y: y(y2) }, thickness, color: black });
  for (const cell of item.cells) {
    drawSegments(pdfPage, fonts, cell.segments, mm(cell.xMm + cellPaddingMm), baselineInSlot(topMm, linePitchMm, tableSize));
    rule(cell.xMm, topMm, cell.xMm, topMm + linePitchMm);
  }
  const last = item.cells[item.cells.length - 1];
  const rightMm = last ? last.xMm + last.widthMm : typeArea.rightMm;
  rule(rightMm, topMm, rightMm, topMm + linePitchMm);
  if (top) rule(typeArea.leftMm, topMm, rightMm, topMm);
  if (bottom) rule(typeArea.leftMm, topMm + linePitchMm, rightMm, topMm + linePitchMm);
}

/** 附件说明: "附件：1．名称", further items aligned under the first number (7.3.4). */
function attachmentLines(fonts: FontSet, names: readonly string[]): GridLine[] {
  if (names.length === 0) return [];
  const label = '附件：';
  if (names.length === 1) return paragraphLines(fonts, [fs(`${label}${names[0]}`)]);
  const lines: GridLine[] = [];
  names.forEach((name, i) => {
    const text = `${i + 1}．${name}`;
    const hang = 2 + [...label].length;
    const broken = breakLines(fonts, [fs(i === 0 ? label + text : text)], typeWidthPt - (i === 0 ? 2 : hang) * cellPt, typeWidthPt - hang * cellPt);
    broken.forEach((segments, j) => lines.push({ segments, align: 'left', indentCells: i === 0 && j === 0 ? 2 : hang }));
  });
  return lines;
}

/** Draws one line whose grid slot starts `topMm` below the page top. */
function drawLine(pdfPage: PDFPage, fonts: FontSet, line: GridLine, topMm: number, pitchMm = linePitchMm): void {
  const width = lineWidth(fonts, line.segments);
  let x: number;
  if (line.xMm !== undefined) x = mm(line.xMm);
  else if (line.align === 'center') x = mm(typeArea.leftMm) + (typeWidthPt - width) / 2;
  else if (line.align === 'right') x = mm(typeArea.rightMm) - (line.indentCells ?? 0) * cellPt - width;
  else x = mm(typeArea.leftMm) + (line.indentCells ?? 0) * cellPt;
  const size = Math.max(...line.segments.map((s) => s.size), sizes.hao3);
  drawSegments(pdfPage, fonts, line.segments, x, baselineInSlot(topMm, pitchMm, size));
}

/** Baseline (PDF y, points) of text of `size` centred in a slot `pitchMm` tall whose top is `topMm` below the page top. */
function baselineInSlot(topMm: number, pitchMm: number, size: number): number {
  const emHeightMm = toMm(size * (emTop + emBottom));
  const emTopMm = topMm + (pitchMm - emHeightMm) / 2;
  return mm(page.heightMm - emTopMm) - size * emTop;
}

/** Outline width that thickens a regular face to roughly the weight of 小标宋 (3 % of the size). */
const emboldenRatio = 0.03;

/** Sets up fill-and-outline drawing for an emboldened role (inside the caller's q … Q). */
function emboldenOperators(fonts: FontSet, role: FontRole, size: number, color: RGB, bold = false) {
  if (!bold && !fonts.embolden?.has(role)) return [];
  return [setTextRenderingMode(TextRenderingMode.FillAndOutline), setLineWidth(size * emboldenRatio), setStrokingColor(color)];
}

function drawSegments(pdfPage: PDFPage, fonts: FontSet, segments: readonly Segment[], x: number, baseline: number): number {
  let cursor = x;
  for (const s of segments) {
    if (s.text.length === 0) continue;
    pdfPage.pushOperators(pushGraphicsState(), setCharacterSpacing(s.tc), ...emboldenOperators(fonts, s.role, s.size, s.color ?? black, s.bold));
    pdfPage.drawText(s.text, { x: cursor, y: baseline, size: s.size, font: fonts[s.role], color: s.color ?? black });
    pdfPage.pushOperators(popGraphicsState());
    cursor += fonts[s.role].widthOfTextAtSize(s.text, s.size) + s.tc * [...s.text].length;
  }
  return cursor;
}

function hLine(pdfPage: PDFPage, yMmFromTop: number, thicknessMm: number, color: RGB): void {
  const y = mm(page.heightMm - yMmFromTop);
  pdfPage.drawLine({ start: { x: mm(typeArea.leftMm), y }, end: { x: mm(typeArea.rightMm), y }, thickness: mm(thicknessMm), color });
}

/** Upward documents (报告, 请示) carry 签发人 beside the 发文字号. */
function showsSignatories(doc: RenderableDocument): boolean {
  return (doc.signatories?.length ?? 0) > 0 && (doc.type === 'report' || doc.type === 'request');
}

/**
 * Draws the 版头 on the first page and returns where the 主体's first line (the title) starts,
 * in mm from the page top.
 */
function drawHeader(pdfPage: PDFPage, fonts: FontSet, doc: RenderableDocument): number {
  // 份号, 密级和保密期限, 紧急程度: top left, in that order, one grid line each (7.2.1–7.2.3).
  const corner: Segment[][] = [];
  if (doc.copyNumber) corner.push([fs(doc.copyNumber)]);
  const secrecy = doc.secrecy ? formatSecrecy(doc.secrecy) : '';
  if (secrecy) corner.push([fs(secrecy, 'heiti')]);
  const urgency = doc.urgency ? urgencyLabels[doc.urgency] : '';
  if (urgency) corner.push([fs(urgency, 'heiti')]);
  corner.forEach((segments, i) => drawLine(pdfPage, fonts, { segments, align: 'left' }, typeArea.topMm + i * linePitchMm));

  // 发文机关标志: red 小标宋, centred, its top 35 mm below the type area's top; as large as fits.
  const mark = `${doc.issuingOrgan}文件`;
  const chars = [...mark].length;
  const markSize = Math.min(mm(22), (typeWidthPt * 0.96) / chars);
  const markTopMm = typeArea.topMm + orgMarkTopOffsetMm;
  const markWidth = fonts.xiaobiaosong.widthOfTextAtSize(mark, markSize);
  pdfPage.pushOperators(pushGraphicsState(), ...emboldenOperators(fonts, 'xiaobiaosong', markSize, red));
  pdfPage.drawText(mark, {
    x: mm(typeArea.leftMm) + (typeWidthPt - markWidth) / 2,
    y: mm(page.heightMm - markTopMm) - markSize * emTop,
    size: markSize,
    font: fonts.xiaobiaosong,
    color: red,
  });
  pdfPage.pushOperators(popGraphicsState());
  const markBottomMm = markTopMm + toMm(markSize * (emTop + emBottom));

  // 发文字号 two blank lines below the 标志 (7.2.4).
  const numberTopMm = markBottomMm + 2 * linePitchMm;
  const numberText = doc.docNumber ? formatDocNumber(doc.docNumber) : '';
  if (showsSignatories(doc)) {
    // Left, one character in; 签发人 on the right, one character in (7.2.5).
    drawLine(pdfPage, fonts, { segments: [fs(numberText)], align: 'left', indentCells: 1 }, numberTopMm);
    const names = doc.signatories ?? [];
    drawLine(pdfPage, fonts, { segments: [fs('签发人：'), fs(names.join('　'), 'kaiti')], align: 'right', indentCells: 1 }, numberTopMm);
  } else if (numberText) {
    drawLine(pdfPage, fonts, { segments: [fs(numberText)], align: 'center' }, numberTopMm);
  }
  // The red separator line, as wide as the type area, 4 mm below the 发文字号's characters.
  const numberInkBottomMm = numberTopMm + (linePitchMm + toMm(sizes.hao3 * (emTop + emBottom))) / 2;
  const separatorMm = numberInkBottomMm + separatorGapMm;
  hLine(pdfPage, separatorMm, separatorThicknessMm, red);
  // 标题 two blank lines below the red line (7.3.1).
  return separatorMm + 2 * linePitchMm;
}

/**
 * The title in 2号 小标宋, broken into as few lines as fit but of even length (7.3.1: 回行时排列对称),
 * by narrowing the measure until one more line would be needed.
 */
function balancedTitle(fonts: FontSet, title: string): Segment[][] {
  const run: Segment = { ...fs(title, 'xiaobiaosong', sizes.hao2), tc: 0 };
  const greedy = breakLines(fonts, [run], typeWidthPt, typeWidthPt);
  if (greedy.length < 2) return greedy;
  let best = greedy;
  for (let width = typeWidthPt - sizes.hao2; width > typeWidthPt / 3; width -= sizes.hao2 / 2) {
    const lines = breakLines(fonts, [run], width, width);
    if (lines.length > greedy.length) break;
    best = lines;
  }
  return best;
}

/** 信函格式 double lines: 170 mm long, centred; the thick one 0.75 mm, the thin one 0.25 mm, 0.75 mm apart. */
const letterRule = { lengthMm: 170, thickMm: 0.75, thinMm: 0.25, gapMm: 0.75, bottomFromEdgeMm: 20, markTopMm: 30 } as const;

function letterRulePair(pdfPage: PDFPage, topMm: number, thickFirst: boolean): number {
  const x0 = mm((page.widthMm - letterRule.lengthMm) / 2);
  const x1 = x0 + mm(letterRule.lengthMm);
  const first = thickFirst ? letterRule.thickMm : letterRule.thinMm;
  const second = thickFirst ? letterRule.thinMm : letterRule.thickMm;
  const line = (centerMm: number, thicknessMm: number) => {
    const y = mm(page.heightMm - centerMm);
    pdfPage.drawLine({ start: { x: x0, y }, end: { x: x1, y }, thickness: mm(thicknessMm), color: red });
  };
  line(topMm + first / 2, first);
  const secondTop = topMm + first + letterRule.gapMm;
  line(secondTop + second / 2, second);
  return secondTop + second;
}

/**
 * The 版头 of the 信函格式 (10.1): the organ's name in red 小标宋 30 mm below the top edge, a red
 * double line (thick over thin) 4 mm below it and another (thin over thick) 20 mm above the bottom
 * edge; 份号 / 密级 / 紧急程度 on the left and the 发文字号 on the right under the first line, 7/8 of
 * a 3号 character below it. Returns where the title starts.
 */
function drawLetterHeader(pdfPage: PDFPage, fonts: FontSet, doc: RenderableDocument): number {
  const mark = doc.issuingOrgan;
  const markSize = Math.min(mm(22), (typeWidthPt * 0.96) / Math.max(1, [...mark].length));
  const markWidth = fonts.xiaobiaosong.widthOfTextAtSize(mark, markSize);
  pdfPage.pushOperators(pushGraphicsState(), ...emboldenOperators(fonts, 'xiaobiaosong', markSize, red));
  pdfPage.drawText(mark, {
    x: mm(typeArea.leftMm) + (typeWidthPt - markWidth) / 2,
    y: mm(page.heightMm - letterRule.markTopMm) - markSize * emTop,
    size: markSize,
    font: fonts.xiaobiaosong,
    color: red,
  });
  pdfPage.pushOperators(popGraphicsState());
  const markBottomMm = letterRule.markTopMm + toMm(markSize * (emTop + emBottom));
  const ruleBottomMm = letterRulePair(pdfPage, markBottomMm + separatorGapMm, true);
  letterRulePair(pdfPage, page.heightMm - letterRule.bottomFromEdgeMm - (letterRule.thickMm + letterRule.thinMm + letterRule.gapMm), false);

  // Elements under the line start 7/8 of a 3号 character below it: put their em box there.
  const gapMm = toMm(sizes.hao3) * (7 / 8);
  const emHeightMm = toMm(sizes.hao3 * (emTop + emBottom));
  const rowTop = (i: number) => ruleBottomMm + gapMm + i * linePitchMm - (linePitchMm - emHeightMm) / 2;
  const corner: Segment[][] = [];
  if (doc.copyNumber) corner.push([fs(doc.copyNumber)]);
  const secrecy = doc.secrecy ? formatSecrecy(doc.secrecy) : '';
  if (secrecy) corner.push([fs(secrecy, 'heiti')]);
  const urgency = doc.urgency ? urgencyLabels[doc.urgency] : '';
  if (urgency) corner.push([fs(urgency, 'heiti')]);
  corner.forEach((segments, i) => drawLine(pdfPage, fonts, { segments, align: 'left' }, rowTop(i)));
  const numberText = doc.docNumber ? formatDocNumber(doc.docNumber) : '';
  if (numberText) drawLine(pdfPage, fonts, { segments: [fs(numberText)], align: 'right' }, rowTop(0));
  const rows = Math.max(corner.length, numberText ? 1 : 0);
  // The title two lines below the last of them (or below the double line when there are none).
  return rows > 0 ? rowTop(rows - 1) + linePitchMm + 2 * linePitchMm : ruleBottomMm + 2 * linePitchMm;
}

/** Signature block lines relative to the last content line, and the seal's offset. */
interface SignatureBlock {
  readonly lines: Array<{ offset: number; line: GridLine }>;
  /** Seal centre: lines below the last content line's top, and x in mm. */
  readonly seal?: { centerOffsetLines: number; centerXMm: number };
}

function signatureBlock(fonts: FontSet, doc: RenderableDocument, sealed: boolean, sealDiameterMm: number): SignatureBlock {
  const name = doc.issuingOrgan;
  const date = doc.writtenDate ? formatChineseDate(doc.writtenDate) : '';
  const nameW = toMm(lineWidth(fonts, [fs(name)]));
  const dateW = toMm(lineWidth(fonts, [fs(date)]));
  const noteLines = (offset: number) =>
    doc.note ? paragraphLines(fonts, [fs(`（${doc.note}）`)]).map((line, i) => ({ offset: offset + i, line })) : [];
  if (sealed) {
    // 成文日期 four characters in from the right; 署名 centred above it; the seal centred on both
    // with them in its lower half and its top within one line below the last line of text (7.3.5.1).
    const dateRightMm = typeArea.rightMm - 4 * charPitchMm;
    const centerXMm = dateRightMm - dateW / 2;
    // The seal's centre sits level with the top of the 署名's characters; the name goes on the
    // first line that keeps the seal's top below the last line of text (and so within one line of it).
    const insetMm = (linePitchMm - toMm(sizes.hao3 * (emTop + emBottom))) / 2;
    const r = sealDiameterMm / 2;
    const nameLine = Math.max(2, Math.floor((r - 2 * insetMm) / linePitchMm) + 2);
    return {
      lines: [
        { offset: nameLine, line: { segments: [fs(name)], align: 'left', xMm: centerXMm - nameW / 2 } },
        { offset: nameLine + 1, line: { segments: [fs(date)], align: 'left', xMm: dateRightMm - dateW } },
        ...noteLines(nameLine + 2),
      ],
      seal: { centerOffsetLines: nameLine + insetMm / linePitchMm, centerXMm },
    };
  }
  // Unsealed: 署名 two characters in from the right one blank line below the text; the date on the
  // next line starting two characters right of the name's start, or two in from the right if longer.
  let nameXMm = typeArea.rightMm - 2 * charPitchMm - nameW;
  let dateXMm = nameXMm + 2 * charPitchMm;
  if (dateXMm + dateW > typeArea.rightMm - 2 * charPitchMm) {
    dateXMm = typeArea.rightMm - 2 * charPitchMm - dateW;
    nameXMm = dateXMm - 2 * charPitchMm;
  }
  return {
    lines: [
      { offset: 2, line: { segments: [fs(name)], align: 'left', xMm: nameXMm } },
      { offset: 3, line: { segments: [fs(date)], align: 'left', xMm: dateXMm } },
      ...noteLines(4),
    ],
  };
}

/** Lays the body out on pages of 22 lines: returns, per page, the slots in order. */
function paginate(items: FlowItem[], firstPageSlots: number, blockLines: number): FlowItem[][] {
  const pages: FlowItem[][] = [[]];
  let capacity = firstPageSlots;
  for (const item of items) {
    let current = pages[pages.length - 1]!;
    if (item.kind === 'pageBreak') {
      // A page break starts a new page, unless the page is still empty.
      if (current.length > 0) {
        pages.push([]);
        capacity = page.linesPerPage;
      }
      continue;
    }
    if (current.length >= capacity) {
      current = [];
      pages.push(current);
      capacity = page.linesPerPage;
    }
    // A blank line never starts a page.
    if (item.kind === 'blank' && current.length === 0 && pages.length > 1) continue;
    current.push(item);
  }
  // The signature block (and its seal) must share a page with text: never alone, never 此页无正文.
  const last = pages[pages.length - 1]!;
  const cap = pages.length === 1 ? firstPageSlots : page.linesPerPage;
  if (last.length + blockLines > cap) {
    const keep = Math.min(2, last.length);
    const moved = last.splice(last.length - keep, keep);
    pages.push(moved);
  }
  return pages;
}

/**
 * Renders `doc` per GB/T 9704-2012.
 * @throws FontUnavailableError when a typeface role has no usable font.
 */
export async function renderOfficialDocument(doc: RenderableDocument, options: RenderOptions = {}): Promise<RenderedDocument> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(doc.title);
  pdf.setLanguage('zh-CN');
  pdf.setProducer('XieTong 协同办公');
  pdf.setCreator('XieTong 协同办公');
  const overrides = options.fonts ?? {};
  const embedded = await embedCjkFonts(pdf, ['fangsong', 'xiaobiaosong', 'kaiti', 'heiti', 'song'], overrides);
  // Without an official 小标宋 its stand-in is a regular serif: draw it heavier.
  const fonts: FontSet = { ...embedded, embolden: new Set<FontRole>(resolveCjkFont('xiaobiaosong', overrides).official ? [] : ['xiaobiaosong']) };
  const sealed = options.sealed ?? false;
  const sealDiameterMm = options.sealDiameterMm ?? defaultSealDiameterMm;

  const first = pdf.addPage([mm(page.widthMm), mm(page.heightMm)]);
  const letter = (options.format ?? (doc.type === 'letter' ? 'letter' : 'file')) === 'letter';
  const titleTopMm = letter ? drawLetterHeader(first, fonts, doc) : drawHeader(first, fonts, doc);

  // 主体 as a flow of grid slots.
  const flow: FlowItem[] = [];
  const titleLines = balancedTitle(fonts, doc.title);
  for (const segments of titleLines) flow.push({ kind: 'line', line: { segments, align: 'center' }, content: true });
  flow.push({ kind: 'blank' });
  const recipients = (doc.mainRecipients ?? []).map((r) => r.name);
  if (recipients.length > 0) {
    for (const line of paragraphLines(fonts, [fs(`${recipients.join('、')}：`)], 0)) flow.push({ kind: 'line', line, content: true });
  }
  const body = bodyFlow(fonts, doc.bodyBlocks ?? blocksFromPlainText(doc.body));
  flow.push(...body.flow);
  // 附件说明: the notes written in the body, then any attached file they do not already name.
  const attachments = [...body.attachmentNotes, ...(doc.attachments ?? []).map((a) => a.name).filter((n) => !body.attachmentNotes.includes(n))];
  if (attachments.length > 0) {
    flow.push({ kind: 'blank' });
    for (const line of attachmentLines(fonts, attachments)) flow.push({ kind: 'line', line, content: true });
  }

  const block = signatureBlock(fonts, doc, sealed, sealDiameterMm);
  // Lines the block needs below the last line of text: its own lines, and the seal's lower edge.
  const sealReach = block.seal ? Math.ceil(block.seal.centerOffsetLines + sealDiameterMm / 2 / linePitchMm) - 1 : 0;
  const blockLines = Math.max(...block.lines.map((l) => l.offset), sealReach);
  const firstPageSlots = Math.floor((typeArea.bottomMm - titleTopMm) / linePitchMm + 1e-6);
  const pages = paginate(flow, firstPageSlots, blockLines);

  // 版记 at the foot of the last page: 抄送 and 印发 rows, each one grid line, ruled.
  const cc = (doc.ccRecipients ?? []).map((r) => r.name);
  const ccLines = colophonCcLines(fonts, cc);
  // The 信函格式's 版记 is the 抄送 alone, without 印发 or rules (10.1).
  const colophonRows = letter ? ccLines.length : doc.printingOrgan || doc.printDate || cc.length > 0 ? ccLines.length + 1 : 0;

  const pdfPages: PDFPage[] = [first];
  let seal: SealPlacement | undefined;
  /** How far down the last page ink reaches (text, or the seal), in mm from the page top. */
  let lastPageBottomMm = 0;
  pages.forEach((slots, index) => {
    const pdfPage = index === 0 ? first : pdf.addPage([mm(page.widthMm), mm(page.heightMm)]);
    if (index > 0) pdfPages.push(pdfPage);
    const originMm = index === 0 ? titleTopMm : typeArea.topMm;
    let lastContent = -1;
    slots.forEach((slot, i) => {
      if (slot.kind === 'line') {
        drawLine(pdfPage, fonts, slot.line, originMm + i * linePitchMm);
        if (slot.content) lastContent = i;
      } else if (slot.kind === 'tableLine') {
        // A row split by the page end is closed at the foot of one page and reopened at the top of the next.
        drawTableLine(pdfPage, fonts, slot, originMm + i * linePitchMm, slot.first || i === 0, slot.last || i === slots.length - 1);
        lastContent = i;
      }
    });
    if (index === pages.length - 1) {
      for (const { offset, line } of block.lines) drawLine(pdfPage, fonts, line, originMm + (lastContent + offset) * linePitchMm);
      lastPageBottomMm = originMm + (Math.max(lastContent, slots.length - 1, lastContent + blockLines) + 1) * linePitchMm;
      if (block.seal) {
        const centerYMmFromTop = originMm + (lastContent + block.seal.centerOffsetLines) * linePitchMm;
        const r = sealDiameterMm / 2;
        seal = {
          pageIndex: index,
          pageNumber: index + 1,
          diameterMm: sealDiameterMm,
          centerXMm: block.seal.centerXMm,
          centerYMmFromTop,
          xMm: block.seal.centerXMm - r,
          yMm: page.heightMm - centerYMmFromTop - r,
        };
        lastPageBottomMm = Math.max(lastPageBottomMm, centerYMmFromTop + r);
      }
    }
  });

  if (colophonRows > 0) {
    // The colophon needs its rows free at the bottom of the last page; otherwise it gets its own page.
    const colophonTopMm = typeArea.bottomMm - colophonRows * linePitchMm;
    let target = pdfPages[pdfPages.length - 1]!;
    if (lastPageBottomMm > colophonTopMm + 0.01) {
      target = pdf.addPage([mm(page.widthMm), mm(page.heightMm)]);
      pdfPages.push(target);
    }
    drawColophon(target, fonts, doc, ccLines, colophonTopMm, letter);
  }

  // Page numbers: 4号 half-width 宋体 between dashes, 7 mm below the type area; odd right, even left,
  // one character in (7.5).
  pdfPages.forEach((p, i) => {
    // The 信函格式 shows no number on its first page.
    if (letter && i === 0) return;
    const label = `— ${i + 1} —`;
    const w = fonts.song.widthOfTextAtSize(label, sizes.hao4);
    const x = i % 2 === 0 ? mm(typeArea.rightMm) - mm(charPitchMm) - w : mm(typeArea.leftMm) + mm(charPitchMm);
    // The dashes sit at mid-height of the em box: put that height 7 mm below the type area.
    const dashYMm = typeArea.bottomMm + pageNumberOffsetMm;
    p.drawText(label, { x, y: mm(page.heightMm - dashYMm) - sizes.hao4 * 0.38, size: sizes.hao4, font: fonts.song, color: black });
  });

  const bytes = await pdf.save({ useObjectStreams: false });
  return { pdf: bytes, pageCount: pdfPages.length, ...(seal ? { seal } : {}) };
}

const f4 = (text: string): Segment => ({ text, role: 'fangsong', size: sizes.hao4, tc: 0 });

/**
 * 抄送 lines (7.4.2): one character in from both sides, organs separated by ，and ended with 。;
 * a long list wraps with its continuation aligned under the first organ after the colon.
 */
function colophonCcLines(fonts: FontSet, cc: readonly string[]): GridLine[] {
  if (cc.length === 0) return [];
  const label = '抄送：';
  const labelWidth = lineWidth(fonts, [f4(label)]);
  const inner = typeWidthPt - 2 * cellPt;
  const broken = breakLines(fonts, [f4(`${label}${cc.join('，')}。`)], inner, inner - labelWidth);
  return broken.map((segments, i) => ({
    segments,
    align: 'left',
    ...(i === 0 ? { indentCells: 1 } : { xMm: typeArea.leftMm + charPitchMm + toMm(labelWidth) }),
  }));
}

/** 版记 (7.4): 4号 仿宋 rows between rules, the last rule on the type area's bottom edge. */
function drawColophon(pdfPage: PDFPage, fonts: FontSet, doc: RenderableDocument, ccLines: readonly GridLine[], topMm: number, letter = false): void {
  let row = topMm;
  if (letter) {
    for (const line of ccLines) {
      drawLine(pdfPage, fonts, line, row);
      row += linePitchMm;
    }
    return;
  }
  hLine(pdfPage, row, colophonRuleMm.outer, black);
  if (ccLines.length > 0) {
    for (const line of ccLines) {
      drawLine(pdfPage, fonts, line, row);
      row += linePitchMm;
    }
    hLine(pdfPage, row, colophonRuleMm.inner, black);
  }
  const organ = doc.printingOrgan ?? doc.issuingOrgan;
  drawLine(pdfPage, fonts, { segments: [f4(organ)], align: 'left', indentCells: 1 }, row);
  if (doc.printDate) drawLine(pdfPage, fonts, { segments: [f4(`${formatChineseDate(doc.printDate)}印发`)], align: 'right', indentCells: 1 }, row);
  row += linePitchMm;
  hLine(pdfPage, row, colophonRuleMm.outer, black);
}
