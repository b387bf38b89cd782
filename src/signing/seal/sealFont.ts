/**
 * The font whose glyph outlines draw a seal's text.
 *
 * A seal's characters are written into the appearance as filled paths, one per glyph, not as text
 * with an embedded font: there is no font subset to break, nothing to substitute when a viewer lacks
 * the font, and the seal looks the same everywhere. Any CJK font fontkit reads will do, including
 * CFF-outline Noto CJK (subsetting is what breaks with those, not outlines).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fontkit } from '../fonts/fontkitModule';

/** A font as fontkit exposes it (only what we use). */
export interface OutlineFont {
  readonly unitsPerEm: number;
  readonly postscriptName?: string;
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): { advanceWidth: number; path: { commands: ReadonlyArray<{ command: string; args: number[] }> } };
}

/** Fonts tried in order when none is configured: Song/Ming-style serif first, as official seals use. */
export const DEFAULT_SEAL_FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  'C:\\Windows\\Fonts\\simsun.ttc',
  '/System/Library/Fonts/Supplemental/Songti.ttc',
];

const loaded = new Map<string, OutlineFont>();

/** Picks the Simplified Chinese face of a collection when there is one. */
function pickFace(created: unknown): OutlineFont {
  const collection = created as { fonts?: OutlineFont[] };
  if (Array.isArray(collection.fonts)) {
    const faces = collection.fonts;
    const preferred = faces.find((face) => /SC|CN|GB/i.test(face.postscriptName ?? '')) ?? faces[0];
    if (!preferred) throw new Error('the font collection is empty');
    return preferred;
  }
  return created as OutlineFont;
}

/**
 * Loads the seal font: the given path, else `XIETONG_SEAL_FONT`, else the first installed candidate.
 * Throws a clear error naming what was tried when none exists.
 */
export function loadSealFont(path?: string): OutlineFont {
  const tried = path ? [path] : process.env.XIETONG_SEAL_FONT ? [process.env.XIETONG_SEAL_FONT] : DEFAULT_SEAL_FONT_CANDIDATES;
  for (const candidate of tried) {
    const cached = loaded.get(candidate);
    if (cached) return cached;
    if (!existsSync(candidate)) continue;
    const font = pickFace(fontkit().create(readFileSync(candidate)));
    if (!font.hasGlyphForCodePoint(0x56fd)) continue; // 国: a font that cannot write Chinese is no seal font
    loaded.set(candidate, font);
    return font;
  }
  throw new Error(`no CJK font for the seal text (tried ${tried.join(', ')}; set XIETONG_SEAL_FONT to a .ttf/.otf/.ttc file)`);
}
