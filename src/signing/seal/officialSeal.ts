/**
 * The red round official seal (公章) drawn as vector graphics: outer ring, five-pointed star in the
 * middle, the unit's name along the upper arc and optional text (e.g. 专用章 or a code) below the star.
 */
import { num } from '../pdf/pdfText';
import { loadSealFont, type OutlineFont } from './sealFont';
import { circlePath, glyphPathOperators, starPath } from './vectorPath';

/** What a unit's official seal shows. */
export interface OfficialSealDesign {
  /** The unit's name, written clockwise along the upper arc. */
  readonly unitName: string;
  /** Optional text on one line below the star. */
  readonly bottomText?: string;
  /** RGB 0–1; official red by default. */
  readonly color?: readonly [number, number, number];
  /** A font file for the text (default: see loadSealFont). */
  readonly fontPath?: string;
}

const glyphCache = new WeakMap<OutlineFont, Map<number, { path: string; advance: number }>>();

function glyph(font: OutlineFont, codePoint: number): { path: string; advance: number } {
  let cache = glyphCache.get(font);
  if (!cache) {
    cache = new Map();
    glyphCache.set(font, cache);
  }
  let entry = cache.get(codePoint);
  if (!entry) {
    if (!font.hasGlyphForCodePoint(codePoint)) throw new Error(`the seal font has no glyph for "${String.fromCodePoint(codePoint)}"`);
    const found = font.glyphForCodePoint(codePoint);
    entry = { path: glyphPathOperators(found.path.commands), advance: found.advanceWidth };
    cache.set(codePoint, entry);
  }
  return entry;
}

/** One character drawn at the origin-centred box of `size` points, then placed by `matrix`. */
function placedGlyph(font: OutlineFont, codePoint: number, size: number, matrix: [number, number, number, number, number, number], squeeze: number): string {
  const { path } = glyph(font, codePoint);
  const scale = size / font.unitsPerEm;
  const [a, b, c, d, e, f] = matrix;
  // Inside the character box: narrow it (seal characters are condensed), centre it horizontally and
  // put the ideographic body (roughly -0.12 em to 0.88 em) around the box's middle.
  return `q\n${num(a)} ${num(b)} ${num(c)} ${num(d)} ${num(e)} ${num(f)} cm\n${num(scale * squeeze)} 0 0 ${num(scale)} ${num((-size * squeeze) / 2)} ${num(-size * 0.38)} cm\n${path}\nf\nQ`;
}

const contentCache = new Map<string, string>();

/**
 * The seal's content stream for a square of `size` points (the seal fills it).
 * Deterministic for the same design and size, and cached: batch signing draws it once.
 */
export function officialSealContent(design: OfficialSealDesign, size: number): string {
  const unitName = design.unitName.trim();
  if (!unitName) throw new Error('the seal needs the unit name');
  const key = JSON.stringify([unitName, design.bottomText ?? '', design.color ?? null, design.fontPath ?? '', size]);
  const cached = contentCache.get(key);
  if (cached) return cached;
  const font = loadSealFont(design.fontPath);
  const [r, g, b] = design.color ?? [0.86, 0.08, 0.1];
  const centre = size / 2;
  const ring = size * 0.035;
  const radius = centre - ring / 2;
  const parts: string[] = ['q', `${num(r)} ${num(g)} ${num(b)} rg`, `${num(r)} ${num(g)} ${num(b)} RG`, `${num(ring)} w`, circlePath(centre, centre, radius), 'S'];
  parts.push(starPath(centre, centre, size * 0.16), 'f');

  const characters = [...unitName].map((char) => char.codePointAt(0) ?? 0x3000);
  const count = characters.length;
  // The text spans more of the circle the longer the name is, as on real seals (about 200°–290°).
  const span = Math.min(290, Math.max(150, 200 + (count - 6) * 10)) * (Math.PI / 180);
  const charSize = Math.min(size * 0.16, ((radius - ring) * span) / Math.max(count, 1) / 0.82);
  const textRadius = radius - ring / 2 - size * 0.03 - charSize / 2;
  characters.forEach((codePoint, index) => {
    if (codePoint === 0x20 || codePoint === 0x3000) return;
    const angle = count === 1 ? 0 : -span / 2 + (span * index) / (count - 1);
    const x = centre + textRadius * Math.sin(angle);
    const y = centre + textRadius * Math.cos(angle);
    // Rotate so each character's top points away from the centre.
    const cos = Math.cos(-angle);
    const sin = Math.sin(-angle);
    parts.push(placedGlyph(font, codePoint, charSize, [cos, sin, -sin, cos, x, y], 0.78));
  });

  const bottom = design.bottomText?.trim();
  if (bottom) {
    const bottomChars = [...bottom].map((char) => char.codePointAt(0) ?? 0x3000);
    const bottomSize = Math.min(size * 0.11, (size * 0.5) / bottomChars.length);
    const advance = bottomSize * 0.9;
    const startX = centre - (advance * (bottomChars.length - 1)) / 2;
    bottomChars.forEach((codePoint, index) => {
      if (codePoint === 0x20 || codePoint === 0x3000) return;
      parts.push(placedGlyph(font, codePoint, bottomSize, [1, 0, 0, 1, startX + advance * index, centre - size * 0.27], 0.85));
    });
  }
  parts.push('Q');
  const content = parts.join('\n');
  contentCache.set(key, content);
  return content;
}
