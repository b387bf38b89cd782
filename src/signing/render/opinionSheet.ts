/**
 * The 处理笺 of a document as one A4 page: the 发文稿纸 (boxes 拟稿, 核稿, 会签, 签发) or the
 * 收文处理笺 (登记, 拟办, 批示, 承办), each box filled with the opinions given at that step — typed
 * text, handwriting drawn as filled vector paths in the proportions it was written, a voice
 * instruction as its duration and digest — with who gave each and when.
 *
 * The output is reproducible (no clock, no random font names): the same opinions give the same
 * bytes, and it is a plain PDF a later signature can be appended to as an incremental update.
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { FontOverrides, FontRole } from '../../shared/domain/documents/fontRoles';
import { fitDrawing, inkColorRgb, inkDrawingPaths } from '../../shared/domain/documents/inkOutline';
import type { InkDrawing } from '../../shared/domain/documents/opinion';
import { sheetBoxes, type SheetBoxName, type SheetOpinion } from '../../shared/domain/documents/sheetOpinions';

import { embedCjkFont, resolveCjkFont } from '../fonts';
import { mm } from './pageGeometry';

export type { SheetBoxName, SheetOpinion };

/** A box on the page in millimetres from the page's top-left corner (as a person measures paper). */
export interface SheetBoxFrame {
  readonly box: SheetBoxName;
  readonly label: string;
  readonly xMm: number;
  readonly yMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface OpinionSheetInput {
  readonly kind: 'outgoing' | 'incoming';
  readonly unitName: string;
  readonly title: string;
  readonly docNumber?: string;
  /** e.g. 秘密★1年; empty when not classified. */
  readonly secrecy?: string;
  /** e.g. 特急; empty when normal. */
  readonly urgency?: string;
  /** In the order they were given. */
  readonly opinions: readonly SheetOpinion[];
  /** The time that stands as the PDF's creation date (the document's last change), ISO. */
  readonly asOf: string;
  /** Small lines printed under the boxes: the approval record a leader signs (批量签批). */
  readonly footnote?: readonly string[];
}

/** Where a handwritten opinion was drawn, in mm from the page's top-left corner. */
export interface SheetInkPlacement {
  readonly box: SheetBoxName;
  readonly xMm: number;
  readonly yMm: number;
  /** Millimetres per drawing unit (the same in both directions). */
  readonly scale: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface RenderedOpinionSheet {
  readonly pdf: Uint8Array;
  readonly boxes: readonly SheetBoxFrame[];
  readonly ink: readonly SheetInkPlacement[];
}

const PAGE_W = 210;
const PAGE_H = 297;
const LEFT = 20;
const RIGHT = 190;
const TITLE_Y = 18;
const HEADER_TOP = 32;
const TITLE_ROW = 14;
const INFO_ROW = 10;
const BOXES_TOP = HEADER_TOP + TITLE_ROW + INFO_ROW;
const BOXES_BOTTOM = 277;
const LABEL_W = 22;
const PAD = 3;
const black = rgb(0, 0, 0);
const grey = rgb(0.35, 0.35, 0.35);

/** Box heights (mm), top to bottom: the leader's box is the largest, that is where ink goes. */
const heights: Record<'outgoing' | 'incoming', readonly number[]> = { outgoing: [38, 38, 50, 95], incoming: [32, 50, 89, 50] };

/** The boxes of a 发文稿纸 or 收文处理笺, top to bottom, in mm from the page's top-left corner. */
export function opinionSheetBoxes(kind: 'outgoing' | 'incoming'): SheetBoxFrame[] {
  const frames: SheetBoxFrame[] = [];
  let y = BOXES_TOP;
  for (const [i, { box, label }] of sheetBoxes[kind].entries()) {
    const height = heights[kind][i] ?? 40;
    frames.push({ box, label, xMm: LEFT, yMm: y, widthMm: RIGHT - LEFT, heightMm: height });
    y += height;
  }
  return frames;
}

/** The part of a box opinions are written in (right of its label column), in mm from the page's top left. */
export function boxContentFrame(frame: SheetBoxFrame): { xMm: number; yMm: number; widthMm: number; heightMm: number } {
  return { xMm: frame.xMm + LABEL_W + PAD, yMm: frame.yMm + PAD, widthMm: frame.widthMm - LABEL_W - 2 * PAD, heightMm: frame.heightMm - 2 * PAD };
}

/** The sheet's name as printed on it. */
export const opinionSheetNames = { outgoing: '发文稿纸', incoming: '收文处理笺' } as const;

/** `2026-12-05T09:20:00Z` → `2026年12月5日 17:20` (China Standard Time, as on the paper form). */
export function sheetTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000);
  if (Number.isNaN(t.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** `m:ss` of a voice note. */
export function voiceDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Breaks `text` into lines no wider than `width` points (CJK text breaks between any characters). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const ch of paragraph) {
      if (line && font.widthOfTextAtSize(line + ch, size) > width) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
    lines.push(line);
  }
  return lines;
}

/** Characters the embedded font can draw; others (rare symbols) become a full-width space. */
function drawable(font: PDFFont, text: string): string {
  const set = new Set(font.getCharacterSet());
  return [...text].map((ch) => (set.has(ch.codePointAt(0) ?? 0) ? ch : '\u3000')).join('');
}

type Fonts = Record<'title' | 'label' | 'text' | 'small', PDFFont>;

async function embedFonts(pdf: PDFDocument, overrides: FontOverrides): Promise<Fonts> {
  const roles: Record<keyof Fonts, FontRole> = { title: 'xiaobiaosong', label: 'heiti', text: 'kaiti', small: 'song' };
  const byFace = new Map<string, PDFFont>();
  const out = {} as Fonts;
  for (const [use, role] of Object.entries(roles) as Array<[keyof Fonts, FontRole]>) {
    const resolved = resolveCjkFont(role, overrides);
    const key = `${resolved.path}#${resolved.face ?? ''}`;
    let font = byFace.get(key);
    if (!font) {
      font = await embedCjkFont(pdf, role, overrides, { customName: `XTSheet${byFace.size + 1}` });
      byFace.set(key, font);
    }
    out[use] = font;
  }
  return out;
}

/**
 * Renders the 处理笺.
 * @throws FontUnavailableError when a typeface role has no usable font.
 */
export async function renderOpinionSheet(input: OpinionSheetInput, options: { fonts?: FontOverrides } = {}): Promise<RenderedOpinionSheet> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const name = opinionSheetNames[input.kind];
  pdf.setTitle(`${name}：${input.title}`);
  pdf.setLanguage('zh-CN');
  pdf.setProducer('XieTong 协同办公');
  pdf.setCreator('XieTong 协同办公');
  const asOf = new Date(input.asOf);
  if (!Number.isNaN(asOf.getTime())) {
    pdf.setCreationDate(asOf);
    pdf.setModificationDate(asOf);
  }
  const fonts = await embedFonts(pdf, options.fonts ?? {});
  const page = pdf.addPage([mm(PAGE_W), mm(PAGE_H)]);
  const Y = (fromTopMm: number) => mm(PAGE_H - fromTopMm);

  const text = (s: string, xMm: number, baselineFromTopMm: number, font: PDFFont, size: number, color = black) =>
    page.drawText(drawable(font, s), { x: mm(xMm), y: Y(baselineFromTopMm), font, size, color });
  const rule = (x1: number, y1: number, x2: number, y2: number, width = 0.8) =>
    page.drawLine({ start: { x: mm(x1), y: Y(y1) }, end: { x: mm(x2), y: Y(y2) }, thickness: width, color: black });

  // Heading: the unit and the form's name, centred.
  const heading = `${input.unitName}${name}`;
  const headingSize = 20;
  const headingWidth = fonts.title.widthOfTextAtSize(drawable(fonts.title, heading), headingSize);
  text(heading, PAGE_W / 2 - headingWidth / 2 / mm(1), TITLE_Y + 7, fonts.title, headingSize);

  // The header: title, then 文号 / 密级 / 紧急程度.
  const frames = opinionSheetBoxes(input.kind);
  rule(LEFT, HEADER_TOP, RIGHT, HEADER_TOP, 1.2);
  rule(LEFT, HEADER_TOP + TITLE_ROW, RIGHT, HEADER_TOP + TITLE_ROW);
  rule(LEFT, BOXES_TOP, RIGHT, BOXES_TOP);
  rule(LEFT + LABEL_W, HEADER_TOP, LEFT + LABEL_W, BOXES_BOTTOM);
  text('标　题', LEFT + 4, HEADER_TOP + TITLE_ROW / 2 + 1.8, fonts.label, 12);
  const titleLines = wrap(drawable(fonts.text, input.title), fonts.text, 12, mm(RIGHT - LEFT - LABEL_W - 2 * PAD));
  const shownTitle = titleLines.length > 2 ? [titleLines[0]!, `${titleLines[1]!.slice(0, -1)}…`] : titleLines;
  shownTitle.forEach((line, i) => text(line, LEFT + LABEL_W + PAD, HEADER_TOP + (shownTitle.length === 1 ? 8.8 : 6 + i * 5.2), fonts.text, 12));
  text('文　号', LEFT + 4, HEADER_TOP + TITLE_ROW + INFO_ROW / 2 + 1.8, fonts.label, 12);
  const info = [input.docNumber ?? '（未编号）', input.secrecy ? `密级：${input.secrecy}` : '', input.urgency ? `紧急程度：${input.urgency}` : ''].filter(Boolean).join('　　');
  text(info, LEFT + LABEL_W + PAD, HEADER_TOP + TITLE_ROW + INFO_ROW / 2 + 1.8, fonts.small, 11);

  // The boxes: a label column written top to bottom, and the opinions beside it.
  const placements: SheetInkPlacement[] = [];
  for (const frame of frames) {
    const bottom = frame.yMm + frame.heightMm;
    rule(LEFT, bottom, RIGHT, bottom, frame === frames[frames.length - 1] ? 1.2 : 0.8);
    const chars = [...frame.label];
    const labelSize = 14;
    const pitch = 8;
    const firstBaseline = frame.yMm + frame.heightMm / 2 - ((chars.length - 1) * pitch) / 2 + 1.8;
    chars.forEach((ch, i) => {
      const w = fonts.label.widthOfTextAtSize(ch, labelSize) / mm(1);
      text(ch, LEFT + LABEL_W / 2 - w / 2, firstBaseline + i * pitch, fonts.label, labelSize);
    });
    const entries = input.opinions.filter((o) => o.box === frame.box);
    drawBox(page, fonts, frame, entries, Y, placements);
  }
  rule(LEFT, HEADER_TOP, LEFT, BOXES_BOTTOM, 1.2);
  rule(RIGHT, HEADER_TOP, RIGHT, BOXES_BOTTOM, 1.2);
  (input.footnote ?? []).slice(0, 4).forEach((line, i) => text(line, LEFT, BOXES_BOTTOM + 4 + i * 4, fonts.small, 7, grey));

  const bytes = await pdf.save({ useObjectStreams: false });
  return { pdf: bytes, boxes: frames, ink: placements };
}

/** The ideographic space that separates the parts of a line, as on a printed form. */
const SP = '\u3000';
const TEXT_SIZE = 12;
const TEXT_PITCH = 5.6;
const SMALL_SIZE = 9;
const SMALL_PITCH = 4.4;

/** Fills one box: each opinion gets an equal share of its height, top to bottom. */
function drawBox(page: PDFPage, fonts: Fonts, frame: SheetBoxFrame, entries: readonly SheetOpinion[], Y: (mm: number) => number, placements: SheetInkPlacement[]): void {
  if (entries.length === 0) return;
  const content = boxContentFrame(frame);
  const left = content.xMm;
  const width = content.widthMm;
  const slot = content.heightMm / entries.length;
  entries.forEach((entry, index) => {
    const top = content.yMm + index * slot;
    let y = top;
    const signature = `${entry.label}${SP}${entry.actorName}${entry.onBehalfOfName ? `（代${entry.onBehalfOfName}）` : ''}${SP}${sheetTime(entry.at)}`;
    const voiceLine = entry.voice ? `语音批示 ${voiceDuration(entry.voice.durationMs)}${SP}SHA-256 ${entry.voice.sha256}` : '';
    const reserved = SMALL_PITCH + (voiceLine ? SMALL_PITCH : 0);
    const shownSignature = drawable(fonts.small, signature);
    const signatureWidth = fonts.small.widthOfTextAtSize(shownSignature, SMALL_SIZE) / mm(1);
    if (slot < TEXT_PITCH + reserved + 1.5) {
      // Many opinions in one box: each gets one line — the ink small at the left, the text, who and when.
      drawCompact(page, fonts, frame.box, entry, { left, top, width, slot, signatureWidth }, Y, placements);
      page.drawText(shownSignature, { x: mm(left + width - signatureWidth), y: Y(top + slot - 1.2), font: fonts.small, size: SMALL_SIZE, color: black });
      return;
    }
    // Typed text first, as many lines as fit beside what must still be shown.
    if (entry.text) {
      const lines = wrap(drawable(fonts.text, entry.text), fonts.text, TEXT_SIZE, mm(width));
      const room = Math.max(1, Math.floor((slot - reserved - (entry.ink ? slot * 0.45 : 0)) / TEXT_PITCH));
      const shown = lines.length > room ? [...lines.slice(0, room - 1), `${(lines[room - 1] ?? '').slice(0, -1)}…`] : lines;
      for (const line of shown) {
        y += TEXT_PITCH;
        page.drawText(line, { x: mm(left), y: Y(y - 1.2), font: fonts.text, size: TEXT_SIZE, color: black });
      }
      y += 0.8;
    }
    if (entry.ink) {
      const frameHeight = Math.max(4, top + slot - reserved - y);
      const fit = fitDrawing(entry.ink, width, frameHeight);
      drawInk(page, entry.ink, left, y, fit.scale, Y);
      placements.push({ box: frame.box, xMm: left, yMm: y, scale: fit.scale, widthMm: fit.width, heightMm: fit.height });
      y += fit.height;
    }
    if (voiceLine) {
      y += SMALL_PITCH;
      page.drawText(drawable(fonts.small, voiceLine), { x: mm(left), y: Y(y - 1), font: fonts.small, size: SMALL_SIZE - 1, color: grey });
    }
    // Who and when, at the right of the slot's last line, as a signature under an opinion.
    page.drawText(shownSignature, { x: mm(left + width - signatureWidth), y: Y(top + slot - 1.2), font: fonts.small, size: SMALL_SIZE, color: black });
  });
}

/** One opinion on one line of a crowded box (its signature is drawn by the caller at the right). */
function drawCompact(
  page: PDFPage,
  fonts: Fonts,
  box: SheetBoxName,
  entry: SheetOpinion,
  at: { left: number; top: number; width: number; slot: number; signatureWidth: number },
  Y: (mm: number) => number,
  placements: SheetInkPlacement[],
): void {
  let x = at.left;
  const room = at.width - at.signatureWidth - 3;
  if (entry.ink) {
    const fit = fitDrawing(entry.ink, room * 0.4, Math.max(1, at.slot - 1));
    drawInk(page, entry.ink, x, at.top + 0.5, fit.scale, Y);
    placements.push({ box, xMm: x, yMm: at.top + 0.5, scale: fit.scale, widthMm: fit.width, heightMm: fit.height });
    x += fit.width + 2;
  }
  const parts = [entry.text?.replace(/\s+/g, ' '), entry.voice ? `语音批示 ${voiceDuration(entry.voice.durationMs)}` : undefined].filter(Boolean).join(SP);
  if (!parts) return;
  const size = Math.min(TEXT_SIZE, Math.max(6, (at.slot - 1.5) * 2.2));
  const available = mm(at.left + room - x);
  let line = drawable(fonts.text, parts);
  if (fonts.text.widthOfTextAtSize(line, size) > available) {
    // Cut to what fits, bounded by the text's length.
    while (line.length > 1 && fonts.text.widthOfTextAtSize(`${line}…`, size) > available) line = line.slice(0, -1);
    line = `${line}…`;
  }
  page.drawText(line, { x: mm(x), y: Y(at.top + at.slot - 1.2), font: fonts.text, size, color: black });
}

/** The strokes as filled outlines, `scale` mm per drawing unit, the drawing's top left at (xMm, yMm). */
function drawInk(page: PDFPage, drawing: InkDrawing, xMm: number, yMm: number, scale: number, Y: (mm: number) => number): void {
  for (const path of inkDrawingPaths(drawing)) {
    const [r, g, b] = inkColorRgb(path.color);
    // drawSvgPath puts the SVG origin at (x, y) with y growing downwards, as the pad records it.
    page.drawSvgPath(path.d, { x: mm(xMm), y: Y(yMm), scale: mm(scale), color: rgb(r, g, b) });
  }
}
