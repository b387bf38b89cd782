/**
 * Measuring and breaking Chinese text on the 28-character grid.
 *
 * The grid's character pitch (5.57 mm) is a little narrower than a 16 pt glyph (5.64 mm), as in
 * every official document: we draw with a small negative character spacing (PDF `Tc`) so that 28
 * full-width characters fill exactly 156 mm, and measure with the same spacing.
 */
import type { PDFFont, RGB } from 'pdf-lib';
import type { FontRole } from '../fonts';
import { charPitchMm, mm } from './pageGeometry';

/** A run of text in one face, size and colour. */
export interface Segment {
  readonly text: string;
  readonly role: FontRole;
  readonly size: number;
  readonly color?: RGB;
  /** Character spacing in points added after every glyph. */
  readonly tc: number;
  /** Drawn heavier (fill and a thin outline): the body's bold runs. */
  readonly bold?: boolean;
}

/**
 * The embedded face of each role. `embolden` names roles drawn with a thin outline as well as a fill:
 * when 小标宋 falls back to a regular-weight 明体, this gives titles and the 标志 their heavy look.
 */
export type FontSet = Record<FontRole, PDFFont> & { readonly embolden?: ReadonlySet<FontRole> };

/** The spacing that makes a full-width glyph of `size` occupy exactly one grid cell. */
export function gridSpacing(size: number): number {
  return mm(charPitchMm) - size;
}

/** Width in points of a segment as drawn. */
export function segmentWidth(fonts: FontSet, s: Segment): number {
  return fonts[s.role].widthOfTextAtSize(s.text, s.size) + s.tc * [...s.text].length;
}

export function lineWidth(fonts: FontSet, segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + segmentWidth(fonts, s), 0);
}

/** Punctuation that must not begin a line (避头点). */
const noLineStart = new Set([...'，。、；：！？）》」』”’〕】…—%．,.;:!?)']);
/** Punctuation that must not end a line (避尾点): it moves down with the next character. */
const noLineEnd = new Set([...'（《「『“‘〔【']);

/**
 * Breaks styled text into lines. The first line is `firstWidth` wide, the rest `restWidth`. Closing
 * punctuation never starts a line (it takes the previous character down with it); opening
 * punctuation never ends one.
 */
export function breakLines(fonts: FontSet, runs: readonly Segment[], firstWidth: number, restWidth: number): Segment[][] {
  type Glyph = { ch: string; role: FontRole; size: number; color?: RGB; tc: number; width: number; bold?: boolean };
  const glyphs: Glyph[] = [];
  for (const run of runs) {
    for (const ch of run.text) {
      const width = fonts[run.role].widthOfTextAtSize(ch, run.size) + run.tc;
      glyphs.push({ ch, role: run.role, size: run.size, tc: run.tc, width, ...(run.color ? { color: run.color } : {}), ...(run.bold ? { bold: true } : {}) });
    }
  }
  const lines: Glyph[][] = [];
  let current: Glyph[] = [];
  let used = 0;
  // Half a point of slack so 28 cells of floating-point widths still fit 156 mm.
  const limit = () => (lines.length === 0 ? firstWidth : restWidth) + 0.5;
  for (const g of glyphs) {
    if (current.length > 0 && used + g.width > limit()) {
      const carry: Glyph[] = [];
      // Closing punctuation may not start a line and may not hang outside the type area either:
      // push the character before it down too (推出).
      if (noLineStart.has(g.ch) && current.length > 1) carry.unshift(current.pop()!);
      // Keep an opening bracket with what follows it.
      while (current.length > 1 && noLineEnd.has(current[current.length - 1]!.ch)) carry.unshift(current.pop()!);
      lines.push(current);
      current = carry;
      used = carry.reduce((s, c) => s + c.width, 0);
    }
    current.push(g);
    used += g.width;
  }
  if (current.length > 0 || lines.length === 0) lines.push(current);
  // Merge consecutive glyphs of the same style back into segments.
  return lines.map((line) => {
    const segments: Segment[] = [];
    for (const g of line) {
      const last = segments[segments.length - 1];
      if (last && last.role === g.role && last.size === g.size && last.color === g.color && last.tc === g.tc && !!last.bold === !!g.bold) {
        segments[segments.length - 1] = { ...last, text: last.text + g.ch };
      } else {
        segments.push({ text: g.ch, role: g.role, size: g.size, tc: g.tc, ...(g.color ? { color: g.color } : {}), ...(g.bold ? { bold: true } : {}) });
      }
    }
    return segments;
  });
}
