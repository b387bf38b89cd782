/** Rasterise a PDF with pdftoppm and read the pixels back in millimetres. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../support/systemTools';

export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  pixel(x: number, y: number): [number, number, number];
}

/** Parses binary PPM (P6, maxval 255). */
export function parsePpm(data: Buffer, dpi: number): Raster {
  let offset = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (data[offset] === 0x20 || data[offset] === 0x0a || data[offset] === 0x0d || data[offset] === 0x09) offset++;
    if (data[offset] === 0x23) {
      while (data[offset] !== 0x0a) offset++;
      continue;
    }
    let token = '';
    while (data[offset] !== undefined && ![0x20, 0x0a, 0x0d, 0x09].includes(data[offset]!)) token += String.fromCharCode(data[offset++]!);
    tokens.push(token);
  }
  offset++;
  const [magic, w, h, max] = tokens;
  if (magic !== 'P6' || max !== '255') throw new Error(`unexpected PPM header ${tokens.join(' ')}`);
  const width = Number(w);
  const height = Number(h);
  const pixels = data.subarray(offset);
  return {
    width,
    height,
    dpi,
    pixel(x, y) {
      const i = (y * width + x) * 3;
      return [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
    },
  };
}

/** Every page of the PDF as a raster. */
export function rasterise(pdf: Uint8Array, dpi = 150): Raster[] {
  const dir = mkdtempSync(join(tmpdir(), 'xt-render-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    requireTools('pdftoppm');
    execFileSync('pdftoppm', ['-r', String(dpi), file, join(dir, 'p')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.ppm'))
      .sort()
      .map((f) => parsePpm(readFileSync(join(dir, f)), dpi));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'xt-text-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const isRed = ([r, g, b]: [number, number, number]) => r > 170 && g < 90 && b < 90;
export const isInk = ([r, g, b]: [number, number, number]) => r + g + b < 600;
export const isDark = ([r, g, b]: [number, number, number]) => r < 120 && g < 120 && b < 120;

export const toMm = (px: number, dpi: number) => (px * 25.4) / dpi;
export const toPx = (mm: number, dpi: number) => Math.round((mm * dpi) / 25.4);

/** Bounding box (mm) of the pixels matching `test` inside an optional region (mm). */
export function inkBox(
  r: Raster,
  test: (p: [number, number, number]) => boolean,
  region: { x0?: number; x1?: number; y0?: number; y1?: number } = {},
): { left: number; right: number; top: number; bottom: number } | null {
  const x0 = toPx(region.x0 ?? 0, r.dpi);
  const x1 = Math.min(r.width, toPx(region.x1 ?? 1000, r.dpi));
  const y0 = toPx(region.y0 ?? 0, r.dpi);
  const y1 = Math.min(r.height, toPx(region.y1 ?? 1000, r.dpi));
  let left = Infinity;
  let right = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++)
      if (test(r.pixel(x, y))) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
  if (left === Infinity) return null;
  return { left: toMm(left, r.dpi), right: toMm(right + 1, r.dpi), top: toMm(top, r.dpi), bottom: toMm(bottom + 1, r.dpi) };
}

/** Rows (mm from top) where the matching pixels span at least `minWidthMm` horizontally. */
export function wideRows(r: Raster, test: (p: [number, number, number]) => boolean, minWidthMm: number): number[] {
  const rows: number[] = [];
  for (let y = 0; y < r.height; y++) {
    let count = 0;
    for (let x = 0; x < r.width; x++) if (test(r.pixel(x, y))) count++;
    if (toMm(count, r.dpi) >= minWidthMm) rows.push(toMm(y, r.dpi));
  }
  return rows;
}

/** Bands of consecutive rows holding ink within a horizontal region: one per printed text line. */
export function inkBands(r: Raster, region: { x0: number; x1: number; y0: number; y1: number }): Array<{ top: number; bottom: number }> {
  const bands: Array<{ top: number; bottom: number }> = [];
  let start = -1;
  const x0 = toPx(region.x0, r.dpi);
  const x1 = toPx(region.x1, r.dpi);
  const y1 = toPx(region.y1, r.dpi);
  for (let y = toPx(region.y0, r.dpi); y <= y1; y++) {
    let inked = false;
    if (y < y1) for (let x = x0; x < x1 && !inked; x++) inked = isInk(r.pixel(x, y));
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      bands.push({ top: toMm(start, r.dpi), bottom: toMm(y, r.dpi) });
      start = -1;
    }
  }
  return bands;
}
