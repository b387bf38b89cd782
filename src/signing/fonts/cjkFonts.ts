/**
 * Resolves the five GB/T 9704 typeface roles to usable font files and embeds them, subsetted,
 * into pdf-lib documents.
 *
 * Why the care: pdf-lib with fontkit subsets only TrueType-outline (glyf) fonts cleanly; CFF fonts
 * such as Noto CJK come out broken or huge (TOOLCHAIN.md). So every candidate is checked for glyf
 * outlines before it is used, and the fallbacks are Debian's TrueType CJK fonts. A .ttc collection
 * needs one face picked, which fontkit can do but pdf-lib's embedder cannot ask for: we hand pdf-lib
 * a fontkit wrapper that returns the face we already picked for those exact bytes.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fontkit } from './fontkitModule';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { fontRoleLabels, type FontOverrides, type FontRole } from '../../shared/domain/documents/fontRoles';

export type { FontOverrides, FontRole } from '../../shared/domain/documents/fontRoles';

/** A font file (and face, for collections) chosen for a role. */
export interface FontSource {
  readonly path: string;
  /** PostScript name of the face inside a collection; undefined for a single-face file. */
  readonly face: string | undefined;
}

/** Where a role's font came from: `official` when the deployment pointed at it. */
export interface ResolvedFont extends FontSource {
  readonly role: FontRole;
  readonly official: boolean;
}

/** No usable font for a role: the message says which files were tried and why each failed. */
export class FontUnavailableError extends Error {
  constructor(
    readonly role: FontRole,
    readonly reasons: readonly string[],
  ) {
    super(`没有可用的${fontRoleLabels[role]}字体（${role}）：${reasons.join('；')}`);
    this.name = 'FontUnavailableError';
  }
}

const ARPHIC = '/usr/share/fonts/truetype/arphic';
const WQY = '/usr/share/fonts/truetype/wqy';

/**
 * Open fonts licensed for redistribution, tried in order when no override is configured.
 * 明体 (uming) stands in for 仿宋, 小标宋 and 宋体 (all serif), 楷体 is ukai, 黑体 is the sans microhei.
 */
export const fallbackFonts: Readonly<Record<FontRole, readonly FontSource[]>> = {
  fangsong: [{ path: `${ARPHIC}/uming.ttc`, face: 'UMingCN' }, { path: `${ARPHIC}/ukai.ttc`, face: 'UKaiCN' }],
  xiaobiaosong: [{ path: `${ARPHIC}/uming.ttc`, face: 'UMingCN' }, { path: `${WQY}/wqy-microhei.ttc`, face: 'WenQuanYiMicroHei' }],
  kaiti: [{ path: `${ARPHIC}/ukai.ttc`, face: 'UKaiCN' }, { path: `${ARPHIC}/uming.ttc`, face: 'UMingCN' }],
  heiti: [{ path: `${WQY}/wqy-microhei.ttc`, face: 'WenQuanYiMicroHei' }, { path: `${ARPHIC}/uming.ttc`, face: 'UMingCN' }],
  song: [{ path: `${ARPHIC}/uming.ttc`, face: 'UMingCN' }, { path: `${WQY}/wqy-microhei.ttc`, face: 'WenQuanYiMicroHei' }],
};

type ParsedFont = ReturnType<ReturnType<typeof fontkit>['create']>;

interface LoadedFace {
  readonly bytes: Uint8Array;
  readonly font: ParsedFont;
}

/** Parsed faces by `path#face`: a CJK collection is 20+ MB, so read and parse it once per process. */
const faceCache = new Map<string, LoadedFace>();
/** The parsed face for the exact byte array handed to pdf-lib (see the module comment). */
const faceByBytes = new WeakMap<Uint8Array, ParsedFont>();

/** Splits an override `path#Face` into its parts. */
export function parseFontSpec(spec: string): FontSource {
  const hash = spec.lastIndexOf('#');
  if (hash > 0) return { path: spec.slice(0, hash), face: spec.slice(hash + 1) || undefined };
  return { path: spec, face: undefined };
}

function hasTrueTypeOutlines(font: ParsedFont): boolean {
  // fontkit keeps the table directory on the font object without typing it.
  const directory = (font as unknown as { directory?: { tables?: Record<string, unknown> } }).directory;
  return Boolean(directory?.tables && 'glyf' in directory.tables);
}

/** Loads one face, or returns why it is unusable. */
function loadFace(source: FontSource): LoadedFace | string {
  const key = `${source.path}#${source.face ?? ''}`;
  const cached = faceCache.get(key);
  if (cached) return cached;
  if (!existsSync(source.path)) return `${source.path} 不存在`;
  let bytes: Uint8Array;
  let font: ParsedFont;
  try {
    bytes = new Uint8Array(readFileSync(source.path));
    const opened = fontkit().create(bytes, source.face) as ParsedFont | { fonts?: ParsedFont[] } | null;
    if (!opened) return `${source.path} 中没有名为 ${source.face ?? '(未指定)'} 的字形`;
    // A collection opened without a face name: take its first face.
    const collection = (opened as { fonts?: ParsedFont[] }).fonts;
    const first = collection?.[0];
    font = collection ? (first as ParsedFont) : (opened as ParsedFont);
    if (collection && !first) return `${source.path} 是空的字体集`;
  } catch (error) {
    return `${source.path} 无法读取（${error instanceof Error ? error.message : String(error)}）`;
  }
  if (!hasTrueTypeOutlines(font)) return `${source.path} 不是 TrueType 轮廓字体（CFF 字体无法正确子集化嵌入）`;
  // pdf-lib re-parses what it is given; hand it bytes we can recognise and answer with this face.
  const loaded: LoadedFace = { bytes, font };
  faceByBytes.set(bytes, font);
  faceCache.set(key, loaded);
  return loaded;
}

/**
 * Picks the font for a role: the deployment's override if it names one (an unusable override is an
 * error, not a silent fallback, so an administrator sees the mistake), else the first usable fallback.
 * @throws FontUnavailableError when nothing usable exists.
 */
export function resolveCjkFont(role: FontRole, overrides: FontOverrides = {}): ResolvedFont {
  const override = overrides[role];
  if (override) {
    const source = parseFontSpec(override);
    const loaded = loadFace(source);
    if (typeof loaded === 'string') throw new FontUnavailableError(role, [`配置的字体 ${loaded}`]);
    return { role, ...source, official: true };
  }
  const reasons: string[] = [];
  for (const source of fallbackFonts[role]) {
    const loaded = loadFace(source);
    if (typeof loaded !== 'string') return { role, ...source, official: false };
    reasons.push(loaded);
  }
  throw new FontUnavailableError(role, reasons);
}

/** fontkit as pdf-lib sees it, but answering with our already-picked face for known bytes. */
const facePickingFontkit = {
  create(buffer: Uint8Array, postscriptName?: string): ParsedFont {
    return faceByBytes.get(buffer) ?? fontkit().create(buffer, postscriptName);
  },
};

/**
 * Embeds the role's font into `pdfDoc`, subsetted to the glyphs actually drawn. `customName` fixes
 * the embedded font's name (for byte-for-byte reproducible PDFs).
 * @throws FontUnavailableError when no usable font exists for the role.
 */
export async function embedCjkFont(pdfDoc: PDFDocument, role: FontRole, overrides: FontOverrides = {}, options: { customName?: string } = {}): Promise<PDFFont> {
  const resolved = resolveCjkFont(role, overrides);
  const loaded = loadFace(resolved);
  if (typeof loaded === 'string') throw new FontUnavailableError(role, [loaded]);
  // pdf-lib reads the registered fontkit synchronously at the start of embedFont, so registering
  // ours here is enough even if someone else registers another one later.
  pdfDoc.registerFontkit(facePickingFontkit);
  // A fixed `customName` replaces pdf-lib's random name suffix: the same input then gives the same bytes.
  return pdfDoc.embedFont(loaded.bytes, { subset: true, ...(options.customName ? { customName: options.customName } : {}) });
}

/** Embeds several roles at once; roles that resolve to the same face share one embedded subset. */
export async function embedCjkFonts<R extends FontRole>(
  pdfDoc: PDFDocument,
  roles: readonly R[],
  overrides: FontOverrides = {},
): Promise<Record<R, PDFFont>> {
  const out = {} as Record<R, PDFFont>;
  const byFace = new Map<string, PDFFont>();
  for (const role of roles) {
    const resolved = resolveCjkFont(role, overrides);
    const key = `${resolved.path}#${resolved.face ?? ''}`;
    let font = byFace.get(key);
    if (!font) {
      font = await embedCjkFont(pdfDoc, role, overrides);
      byFace.set(key, font);
    }
    out[role] = font;
  }
  return out;
}
