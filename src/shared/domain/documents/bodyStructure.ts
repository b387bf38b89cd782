/**
 * The structure of a document's body, as every side reads it: the editor's toolbar, the server's
 * reader of the Lexical-over-Yjs room, the snapshot fixed at 签发, the GB/T 9704 renderer and Word
 * import and export.
 *
 * Headings store their level (1–4), never their number: the number (一、 （一） 1. （1）, GB/T 9704
 * 7.3.3) is computed from the heading's position, so moving or deleting a heading renumbers the
 * others. Text is runs with an optional bold flag — the only character style an official document
 * uses; fonts, sizes and colours follow from the block, never from the text.
 */
import { z } from 'zod';

export const InlineRunSchema = z.object({
  text: z.string(),
  bold: z.boolean().optional(),
});
export type InlineRun = z.infer<typeof InlineRunSchema>;

export const HeadingLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type HeadingLevel = z.infer<typeof HeadingLevelSchema>;

export const BodyBlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), runs: z.array(InlineRunSchema) }),
  z.object({ kind: z.literal('heading'), level: HeadingLevelSchema, runs: z.array(InlineRunSchema) }),
  z.object({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(InlineRunSchema)) }),
  /** Rows of cells; every cell is plain text (an official document's table carries no styling). */
  z.object({ kind: z.literal('table'), rows: z.array(z.array(z.string())) }),
  z.object({ kind: z.literal('pageBreak') }),
  /** One line of the 附件说明 (an attachment's name); consecutive ones form the list. */
  z.object({ kind: z.literal('attachmentNote'), runs: z.array(InlineRunSchema) }),
]);
export type BodyBlock = z.infer<typeof BodyBlockSchema>;

/** A whole body; what the snapshot at 签发 stores (as JSON) beside the plain text. */
export const BodyStructureSchema = z.object({
  version: z.literal(1),
  blocks: z.array(BodyBlockSchema).max(20_000),
});
export type BodyStructure = z.infer<typeof BodyStructureSchema>;

export const runsText = (runs: readonly InlineRun[]): string => runs.map((r) => r.text).join('');

const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 11 → 十一, 21 → 二十一, 105 → 一百零五 (the numerals of 一、 and （一）). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n <= 0) return String(n);
  if (n >= 1000) return String(n);
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  let out = '';
  if (hundreds > 0) out += `${digits[hundreds]}百`;
  if (tens > 0) out += `${hundreds === 0 && tens === 1 ? '' : digits[tens]}十`;
  else if (hundreds > 0 && ones > 0) out += '零';
  if (ones > 0) out += digits[ones];
  return out;
}

/** The number of the `n`-th heading of a level: 一、 （一） 1. （1）. */
export function formatHeadingNumber(level: HeadingLevel, n: number): string {
  switch (level) {
    case 1:
      return `${chineseNumeral(n)}、`;
    case 2:
      return `（${chineseNumeral(n)}）`;
    case 3:
      return `${n}.`;
    case 4:
      return `（${n}）`;
  }
}

/**
 * The number of every heading, in block order (undefined for other blocks). A heading counts among
 * the headings of its level since the last heading of a higher level; a level-1 heading resets all.
 */
export function headingNumbers(blocks: readonly BodyBlock[]): Array<string | undefined> {
  const counters = [0, 0, 0, 0];
  return blocks.map((block) => {
    if (block.kind !== 'heading') return undefined;
    const i = block.level - 1;
    counters[i] = (counters[i] ?? 0) + 1;
    for (let j = i + 1; j < counters.length; j++) counters[j] = 0;
    return formatHeadingNumber(block.level, counters[i] ?? 1);
  });
}

/** The body as plain text, one paragraph per line, headings with their numbers (the old `body`). */
export function bodyPlainText(blocks: readonly BodyBlock[]): string {
  const numbers = headingNumbers(blocks);
  const lines: string[] = [];
  blocks.forEach((block, i) => {
    switch (block.kind) {
      case 'paragraph':
      case 'attachmentNote':
        lines.push(runsText(block.runs));
        break;
      case 'heading':
        lines.push(`${numbers[i] ?? ''}${runsText(block.runs)}`);
        break;
      case 'list':
        block.items.forEach((item, j) => lines.push(`${block.ordered ? `${j + 1}.` : ''}${runsText(item)}`));
        break;
      case 'table':
        for (const row of block.rows) lines.push(row.join('　'));
        break;
      case 'pageBreak':
        break;
    }
  });
  return lines
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/**
 * A plain-text body (the `body` field, or a snapshot taken before the body had a structure) as
 * blocks: one paragraph per non-empty line. Headings typed by hand (一、…) stay paragraphs — the
 * renderer recognises their prefix as it always did.
 */
export function blocksFromPlainText(text: string): BodyBlock[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ kind: 'paragraph', runs: [{ text: p }] }) as const);
}

/** Whether a body has any text or content at all. */
export function bodyIsEmpty(blocks: readonly BodyBlock[]): boolean {
  return blocks.every((b) => {
    switch (b.kind) {
      case 'paragraph':
      case 'heading':
      case 'attachmentNote':
        return runsText(b.runs).trim().length === 0;
      case 'list':
        return b.items.every((item) => runsText(item).trim().length === 0);
      case 'table':
        return b.rows.every((row) => row.every((c) => c.trim().length === 0));
      case 'pageBreak':
        return true;
    }
  });
}

/** Characters as a Chinese word count counts them: every character that is not white space. */
export function countCharacters(text: string): number {
  let n = 0;
  for (const ch of text) if (!/\s/u.test(ch)) n++;
  return n;
}

/** GB/T 9704's page: 22 lines of 28 characters. */
export const linesPerPage = 22;
export const charsPerLine = 28;
/**
 * Lines the first page gives to the body: the 版头 (标志, 发文字号, red line) and the title with its
 * blank line and 主送机关 take about nine of its 22 lines.
 */
export const firstPageBodyLines = 13;
/** Lines the signature block (署名, 成文日期 and the seal) needs under the last line of text. */
export const signatureLines = 4;

const linesFor = (text: string, indent: number): number => Math.max(1, Math.ceil(([...text].length + indent) / charsPerLine));

/** Word count and the estimated number of printed pages of a body (GB/T 9704 layout). */
export interface BodyStatistics {
  readonly characters: number;
  readonly lines: number;
  readonly pages: number;
}

/**
 * Estimates the printed document: each paragraph and heading indented two characters on the
 * 28-character line, each table row one line per 28 characters of its longest cell share, a page
 * break filling the rest of its page, plus the 版头 on the first page and the signature block.
 * An estimate for the person drafting; the server's rendering is the truth.
 */
export function bodyStatistics(blocks: readonly BodyBlock[]): BodyStatistics {
  const numbers = headingNumbers(blocks);
  let characters = 0;
  // Lines used on the current page, counting from the top of the body on page one.
  let pages = 1;
  let used = 0;
  let capacity = firstPageBodyLines;
  let total = 0;
  const add = (n: number) => {
    total += n;
    used += n;
    while (used > capacity) {
      used -= capacity;
      pages++;
      capacity = linesPerPage;
    }
  };
  let attachmentSeen = false;
  blocks.forEach((block, i) => {
    switch (block.kind) {
      case 'paragraph':
      case 'heading': {
        const text = `${numbers[i] ?? ''}${runsText(block.runs)}`;
        characters += countCharacters(text);
        if (text.trim().length > 0) add(linesFor(text, 2));
        break;
      }
      case 'attachmentNote': {
        const text = runsText(block.runs);
        characters += countCharacters(text);
        // Two characters of indent and 附件： (or the hang under it); a blank line before the first.
        add(linesFor(text, 5) + (attachmentSeen ? 0 : 1));
        attachmentSeen = true;
        break;
      }
      case 'list':
        for (const item of block.items) {
          const text = runsText(item);
          characters += countCharacters(text);
          add(linesFor(text, 4));
        }
        break;
      case 'table': {
        const columns = Math.max(1, ...block.rows.map((r) => r.length));
        const perCell = Math.max(1, Math.floor(charsPerLine / columns) - 1);
        for (const row of block.rows) {
          for (const cell of row) characters += countCharacters(cell);
          add(Math.max(1, ...row.map((cell) => Math.ceil([...cell].length / perCell))));
        }
        break;
      }
      case 'pageBreak':
        if (used > 0) {
          total += capacity - used;
          pages++;
          used = 0;
          capacity = linesPerPage;
        }
        break;
    }
  });
  add(signatureLines);
  return { characters, lines: total, pages };
}
