/**
 * The 修订 view as a PDF for the file: the body's paragraphs with each change marked as on screen —
 * an insertion underlined in its author's colour, a deletion struck through — and who made it in a
 * note after the paragraph, then a legend of the people. The official document never shows marks
 * (officialDocument.ts renders the text alone); this is a separate record.
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import type { FontOverrides } from '../../shared/domain/documents/fontRoles';
import { embedCjkFont } from '../fonts';
import { mm } from './pageGeometry';

export interface RevisionsPdfSegment {
  readonly kind: 'same' | 'insert' | 'delete';
  readonly text: string;
  readonly personName?: string;
  /** #rrggbb */
  readonly color?: string;
  readonly decision?: 'accepted' | 'rejected';
}

export interface RevisionsPdfInput {
  readonly title: string;
  /** e.g. 第1版（拟稿 李文）→ 第2版（签发 王建国） */
  readonly range: string;
  readonly paragraphs: readonly { readonly segments: readonly RevisionsPdfSegment[] }[];
}

const PAGE = { width: mm(210), height: mm(297), top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) };
const BODY_SIZE = 14;
const LINE = BODY_SIZE * 1.75;

function colorOf(hex: string | undefined): RGB {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  if (!m) return rgb(0.33, 0.33, 0.33);
  return rgb(parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255);
}

/** Renders the marked-up body; A4 pages with the GB/T 9704 margins, 4号 仿宋. */
export async function renderRevisionsPdf(input: RevisionsPdfInput, options: { fonts?: FontOverrides } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`修订痕迹：${input.title}`);
  pdf.setCreator('XieTong 协同办公');
  const body = await embedCjkFont(pdf, 'fangsong', options.fonts ?? {}, { customName: 'XTRevBody' });
  const heading = await embedCjkFont(pdf, 'heiti', options.fonts ?? {}, { customName: 'XTRevHead' });
  const width = PAGE.width - PAGE.left - PAGE.right;
  let page: PDFPage = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.top;
  const newLine = (): void => {
    y -= LINE;
    if (y < PAGE.bottom) {
      page = pdf.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - PAGE.top - LINE;
    }
  };
  const centred = (text: string, font: PDFFont, size: number): void => {
    newLine();
    page.drawText(text, { x: PAGE.left + Math.max(0, (width - font.widthOfTextAtSize(text, size)) / 2), y, size, font });
  };
  centred(`修订痕迹：${input.title}`, heading, 16);
  centred(input.range, body, 12);
  newLine();

  const people = new Map<string, string | undefined>();
  for (const paragraph of input.paragraphs) {
    newLine();
    let x = PAGE.left + BODY_SIZE * 2; // 首行缩进两字
    for (const segment of paragraph.segments) {
      if (segment.kind !== 'same' && segment.personName) people.set(segment.personName, segment.color);
      const color = segment.kind === 'same' ? rgb(0, 0, 0) : segment.kind === 'delete' ? rgb(0.45, 0.45, 0.45) : colorOf(segment.color);
      const mark = segment.kind === 'same' ? undefined : colorOf(segment.color);
      for (const char of segment.text) {
        const w = body.widthOfTextAtSize(char, BODY_SIZE);
        if (x + w > PAGE.left + width) {
          newLine();
          x = PAGE.left;
        }
        page.drawText(char, { x, y, size: BODY_SIZE, font: body, color });
        if (mark && segment.kind === 'insert') page.drawLine({ start: { x, y: y - 2 }, end: { x: x + w, y: y - 2 }, thickness: 0.9, color: mark });
        if (mark && segment.kind === 'delete') page.drawLine({ start: { x, y: y + BODY_SIZE * 0.35 }, end: { x: x + w, y: y + BODY_SIZE * 0.35 }, thickness: 0.9, color: mark });
        x += w;
      }
    }
    const notes = paragraph.segments
      .filter((s) => s.kind !== 'same')
      .map((s) => `${s.personName ?? '未知'}${s.kind === 'insert' ? '插入' : '删除'}“${s.text.length > 12 ? `${s.text.slice(0, 12)}…` : s.text}”${s.decision === 'accepted' ? '（已接受）' : s.decision === 'rejected' ? '（已拒绝）' : ''}`);
    for (const note of notes) {
      newLine();
      page.drawText(note.length > 40 ? `${note.slice(0, 40)}…` : note, { x: PAGE.left + BODY_SIZE * 2, y, size: 10, font: body, color: rgb(0.35, 0.35, 0.35) });
    }
  }
  if (people.size > 0) {
    newLine();
    newLine();
    page.drawText('修订人：', { x: PAGE.left, y, size: 12, font: heading });
    let x = PAGE.left + heading.widthOfTextAtSize('修订人：', 12);
    for (const [name, hex] of people) {
      page.drawRectangle({ x, y: y - 1, width: 10, height: 10, color: colorOf(hex) });
      page.drawText(name, { x: x + 14, y, size: 12, font: body });
      x += 14 + body.widthOfTextAtSize(name, 12) + 16;
    }
  }
  return pdf.save({ useObjectStreams: false });
}
