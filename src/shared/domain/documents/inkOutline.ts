/**
 * The geometry of handwriting (手写签批): one function turns a stroke's sampled points into the
 * outline of variable-width ink, used by the signing pad (canvas), the document view (inline SVG)
 * and the server's 处理笺 (filled PDF paths), so the ink has the same shape and proportions
 * everywhere. Pure: no DOM, no Node.
 */
import { getStroke, type StrokeOptions } from 'perfect-freehand';
import type { InkColor, InkDrawing, InkStroke } from './opinion';

/** The most points one opinion's handwriting may carry (the server refuses more with a clear reason). */
export const MAX_INK_POINTS = 50_000;

/** Ink colours as drawn: a deep black, a seal-like red and a blue-black, as fountain-pen inks look. */
export const inkColorHex: Readonly<Record<InkColor, string>> = { black: '#1a1a1a', red: '#c8161d', blue: '#1f3f99' };

/** The same colours as 0–1 RGB components (for PDF operators). */
export function inkColorRgb(color: InkColor): [number, number, number] {
  const hex = inkColorHex[color];
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/** How many points a drawing holds in all its strokes. */
export function countInkPoints(drawing: Pick<InkDrawing, 'strokes'>): number {
  let total = 0;
  for (const stroke of drawing.strokes) total += stroke.points.length;
  return total;
}

/** Pressure the schema stores where the device reports none (mouse, most touch screens). */
const NO_PRESSURE = 0.5;

/**
 * perfect-freehand's options for a stroke. A pen's real pressure drives the width; where every
 * sample carries the placeholder 0.5 (mouse, touch) the width follows the speed instead, as a
 * brush does. `complete` is false while the hand is still moving (the end is not tapered yet).
 */
export function inkStrokeOptions(stroke: Pick<InkStroke, 'size' | 'points'>, complete = true): StrokeOptions {
  const simulatePressure = stroke.points.every((p) => p[2] === NO_PRESSURE);
  return {
    size: stroke.size,
    thinning: 0.6,
    smoothing: 0.5,
    streamline: 0.4,
    simulatePressure,
    start: { taper: 0, cap: true },
    end: { taper: 0, cap: true },
    last: complete,
  };
}

/** The outline polygon of one stroke, in the drawing's units: `[x, y]` points, clockwise or not. */
export function inkStrokeOutline(stroke: Pick<InkStroke, 'size' | 'points'>, complete = true): Array<[number, number]> {
  const input = stroke.points.map((p) => [p[0], p[1], p[2]]);
  return getStroke(input, inkStrokeOptions(stroke, complete));
}

const fmt = (n: number): string => (Math.round(n * 100) / 100).toString();

/**
 * An outline polygon as an SVG path: quadratic curves through the midpoints of its points, closed.
 * Drawn with the nonzero fill rule it is the ink of the stroke.
 */
export function outlineToSvgPath(outline: ReadonlyArray<readonly [number, number]>): string {
  const n = outline.length;
  if (n === 0) return '';
  const first = outline[0]!;
  if (n < 3) return `M${fmt(first[0])} ${fmt(first[1])}Z`;
  const parts: string[] = [];
  const mid = (a: readonly [number, number], b: readonly [number, number]): string => `${fmt((a[0] + b[0]) / 2)} ${fmt((a[1] + b[1]) / 2)}`;
  parts.push(`M${mid(outline[n - 1]!, first)}`);
  for (let i = 0; i < n; i++) {
    const p = outline[i]!;
    const next = outline[(i + 1) % n]!;
    parts.push(`Q${fmt(p[0])} ${fmt(p[1])} ${mid(p, next)}`);
  }
  parts.push('Z');
  return parts.join('');
}

/** One stroke of a drawing as an SVG path in the drawing's units, with its colour. */
export interface InkPath {
  readonly color: InkColor;
  readonly d: string;
}

/** Every stroke of a drawing as a filled SVG path (drawing units, origin top left). */
export function inkDrawingPaths(drawing: Pick<InkDrawing, 'strokes'>): InkPath[] {
  return drawing.strokes.map((stroke) => ({ color: stroke.color, d: outlineToSvgPath(inkStrokeOutline(stroke)) })).filter((p) => p.d !== '');
}

/** The area a drawing's ink actually covers (drawing units), or null for an empty drawing. */
export function inkBounds(drawing: Pick<InkDrawing, 'strokes'>): { left: number; top: number; right: number; bottom: number } | null {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const stroke of drawing.strokes)
    for (const [x, y] of inkStrokeOutline(stroke)) {
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  return left === Infinity ? null : { left, top, right, bottom };
}

/**
 * Where a `width` × `height` drawing goes inside a frame of `frameWidth` × `frameHeight`: scaled
 * uniformly (the same proportions as on the pad) to fit, anchored top left.
 */
export function fitDrawing(drawing: Pick<InkDrawing, 'width' | 'height'>, frameWidth: number, frameHeight: number): { scale: number; width: number; height: number } {
  const scale = Math.min(frameWidth / drawing.width, frameHeight / drawing.height);
  return { scale, width: drawing.width * scale, height: drawing.height * scale };
}
