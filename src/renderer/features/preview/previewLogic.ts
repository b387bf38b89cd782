/**
 * The preview's arithmetic, kept apart from React and pdf.js so it is tested on its own: how large a
 * page is drawn at each zoom, which page a key leads to, which page is on screen while scrolling.
 */

/** The zoom choices: 适合宽度, 100 %, 200 %. */
export type ZoomMode = 'fit' | 'actual' | 'double';

/** CSS pixels per PDF point at 100 %: a point is 1/72 inch, a CSS pixel 1/96 inch (real size). */
export const CSS_PER_POINT = 96 / 72;

/** A canvas never exceeds this many pixels: a 200 % A4 page on a 3× screen would be ~60 MP otherwise. */
export const MAX_CANVAS_PIXELS = 16_777_216;

/**
 * CSS pixels per PDF point for `mode`. `fit` fills `availableWidth` with the widest page; an
 * unknown or zero width (not laid out yet) falls back to 100 %.
 */
export function scaleFor(mode: ZoomMode, pageWidthPoints: number, availableWidth: number): number {
  if (mode === 'actual') return CSS_PER_POINT;
  if (mode === 'double') return 2 * CSS_PER_POINT;
  if (!(pageWidthPoints > 0) || !(availableWidth > 0)) return CSS_PER_POINT;
  return availableWidth / pageWidthPoints;
}

/**
 * How many canvas pixels per CSS pixel to draw: the screen's ratio (sharp text on high-DPI screens),
 * lowered when the canvas would be larger than MAX_CANVAS_PIXELS.
 */
export function outputScale(devicePixelRatio: number, cssWidth: number, cssHeight: number): number {
  const ratio = devicePixelRatio > 0 && Number.isFinite(devicePixelRatio) ? devicePixelRatio : 1;
  const pixels = cssWidth * ratio * cssHeight * ratio;
  if (pixels <= MAX_CANVAS_PIXELS || pixels <= 0) return ratio;
  return Math.max(0.25, Math.sqrt(MAX_CANVAS_PIXELS / (cssWidth * cssHeight)));
}

/**
 * The page (1-based) a key leads to from `current` in a document of `count` pages, or null when the
 * key does not page: PageDown / ArrowRight next, PageUp / ArrowLeft previous,
 * Home first, End last. Clamped to the document.
 */
export function pageForKey(key: string, current: number, count: number): number | null {
  if (count < 1) return null;
  const clamp = (page: number) => Math.min(count, Math.max(1, page));
  switch (key) {
    case 'PageDown':
    case 'ArrowRight':
      return clamp(current + 1);
    case 'PageUp':
    case 'ArrowLeft':
      return clamp(current - 1);
    case 'Home':
      return 1;
    case 'End':
      return count;
    default:
      return null;
  }
}

/**
 * The page (1-based) shown at scroll position `scrollTop` in a viewport `viewportHeight` tall, given
 * each page's top offset (ascending, in the same coordinates): the last page whose top is at or
 * above a third of the way down the viewport, so a page counts as current once it fills the view.
 */
export function pageAtScroll(pageTops: readonly number[], scrollTop: number, viewportHeight: number): number {
  if (pageTops.length === 0) return 1;
  const line = scrollTop + viewportHeight / 3;
  let page = 1;
  for (let i = 0; i < pageTops.length; i += 1) {
    if ((pageTops[i] ?? Infinity) <= line) page = i + 1;
    else break;
  }
  return page;
}

/** Millimetres of a length in PDF points (for printing each page at its own size). */
export const pointsToMm = (points: number): number => (points * 25.4) / 72;
