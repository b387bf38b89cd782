import { describe, expect, it } from 'vitest';
import { CSS_PER_POINT, MAX_CANVAS_PIXELS, outputScale, pageAtScroll, pageForKey, pointsToMm, scaleFor } from './previewLogic';

const A4 = { width: 595.28, height: 841.89 };

describe('zoom', () => {
  it('draws 100 % at real size, 200 % twice that, and fit-width to the space there is', () => {
    expect(scaleFor('actual', A4.width, 500) * A4.width).toBeCloseTo(793.7, 1); // 210 mm at 96 dpi
    expect(scaleFor('double', A4.width, 500)).toBeCloseTo(2 * CSS_PER_POINT);
    expect(scaleFor('fit', A4.width, 500) * A4.width).toBeCloseTo(500);
    expect(scaleFor('fit', A4.width, 1200) * A4.width).toBeCloseTo(1200);
    // Not laid out yet: real size rather than a zero-width page.
    expect(scaleFor('fit', A4.width, 0)).toBe(CSS_PER_POINT);
  });

  it('keeps canvases within the pixel budget on high-density screens', () => {
    expect(outputScale(2, 800, 1130)).toBe(2);
    const big = outputScale(3, 1588, 2245); // 200 % A4 on a 3× screen
    expect(1588 * big * 2245 * big).toBeLessThanOrEqual(MAX_CANVAS_PIXELS + 1);
    expect(big).toBeLessThan(3);
    expect(outputScale(Number.NaN, 100, 100)).toBe(1);
  });

  it('prints pages at their own size', () => {
    expect(pointsToMm(A4.width)).toBeCloseTo(210, 0);
    expect(pointsToMm(A4.height)).toBeCloseTo(297, 0);
  });
});

describe('keyboard paging', () => {
  it('moves one page, jumps to the ends, and stays inside the document', () => {
    expect(pageForKey('PageDown', 1, 3)).toBe(2);
    expect(pageForKey('ArrowRight', 3, 3)).toBe(3);
    expect(pageForKey('PageUp', 2, 3)).toBe(1);
    expect(pageForKey('ArrowLeft', 1, 3)).toBe(1);
    expect(pageForKey('End', 1, 3)).toBe(3);
    expect(pageForKey('Home', 3, 3)).toBe(1);
    expect(pageForKey('a', 1, 3)).toBeNull();
    expect(pageForKey('PageDown', 1, 0)).toBeNull();
  });
});

describe('the current page while scrolling', () => {
  const tops = [16, 1160, 2304];
  it('is the page filling the view', () => {
    expect(pageAtScroll(tops, 0, 900)).toBe(1);
    expect(pageAtScroll(tops, 1100, 900)).toBe(2);
    expect(pageAtScroll(tops, 900, 900)).toBe(2); // page 2's top is a third of the way down
    expect(pageAtScroll(tops, 700, 900)).toBe(1);
    expect(pageAtScroll(tops, 2300, 900)).toBe(3);
    expect(pageAtScroll([], 100, 900)).toBe(1);
  });
});
