/**
 * The page of GB/T 9704-2012 in numbers: A4, 天头 37 mm, 订口 28 mm, type area 156 × 225 mm,
 * 22 lines of 28 characters of 3号 (16 pt) type. Everything the renderer places derives from here.
 */

/** Points per millimetre (PDF user space is 1/72 inch). */
export const PT_PER_MM = 72 / 25.4;
export const mm = (value: number): number => value * PT_PER_MM;
export const toMm = (points: number): number => points / PT_PER_MM;

export const page = {
  widthMm: 210,
  heightMm: 297,
  topMarginMm: 37,
  leftMarginMm: 28,
  typeWidthMm: 156,
  typeHeightMm: 225,
  linesPerPage: 22,
  charsPerLine: 28,
} as const;

/** Font sizes in points: 2号 22, 3号 16, 4号 14. */
export const sizes = { hao2: 22, hao3: 16, hao4: 14 } as const;

/** Line pitch of the 22-line grid (≈ 10.23 mm) and character pitch of the 28-character grid (≈ 5.57 mm). */
export const linePitchMm = page.typeHeightMm / page.linesPerPage;
export const charPitchMm = page.typeWidthMm / page.charsPerLine;

/** Type area edges in millimetres from the page's top-left corner. */
export const typeArea = {
  leftMm: page.leftMarginMm,
  rightMm: page.leftMarginMm + page.typeWidthMm,
  topMm: page.topMarginMm,
  bottomMm: page.topMarginMm + page.typeHeightMm,
} as const;

/** 发文机关标志: its top this far below the top of the type area (GB/T 9704 7.2.3). */
export const orgMarkTopOffsetMm = 35;
/** Red separator line this far below the 发文字号 (7.2.5). */
export const separatorGapMm = 4;
/** Page number dashes this far below the type area (7.5). */
export const pageNumberOffsetMm = 7;
/** 版记 rules: first and last 0.35 mm, middle 0.25 mm (7.4.1). */
export const colophonRuleMm = { outer: 0.35, inner: 0.25 } as const;
/** Red separator line thickness (the standard fixes its width, not its weight; common practice). */
export const separatorThicknessMm = 0.5;
/** The usual official round seal, 42 mm across. */
export const defaultSealDiameterMm = 42;

/**
 * Ideographic em box relative to the baseline, as a fraction of the font size: CJK faces put their
 * ink between about −0.09 and +0.85 em; centring this box in a grid line centres the characters.
 */
export const emTop = 0.88;
export const emBottom = 0.12;

/** Official red for 标志, separator line and seal (GB/T 9704 leaves the shade to practice). */
export const officialRed = { r: 0.9, g: 0, b: 0.07 } as const;
