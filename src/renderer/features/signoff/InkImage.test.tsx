import { afterEach, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { InkDrawing } from '../../../shared/domain/documents/opinion';
import { InkImage } from './InkImage';

afterEach(cleanup);

it('draws handwriting as vector paths in the drawing’s own units, one filled path per stroke in its colour', () => {
  const drawing: InkDrawing = {
    width: 800,
    height: 400,
    strokes: [
      { color: 'red', size: 9, points: [[100, 100, 0.4, 0, 0, 0], [200, 120, 0.6, 16, 0, 0], [300, 110, 0.8, 32, 0, 0]] },
      { color: 'blue', size: 9, points: [[400, 300, 0.5, 0, 0, 0], [450, 310, 0.5, 16, 0, 0]] },
    ],
  };
  render(<InkImage drawing={drawing} label="王建国的手写签批" />);
  const svg = screen.getByRole('img', { name: '王建国的手写签批' });
  expect(svg.getAttribute('viewBox')).toBe('0 0 800 400');
  const paths = [...svg.querySelectorAll('path')];
  expect(paths.map((p) => p.getAttribute('fill'))).toEqual(['#c8161d', '#1f3f99']);
  expect(paths.every((p) => /^M[\d.]+ [\d.]+(Q[\d. ]+)+Z$/.test(p.getAttribute('d') ?? ''))).toBe(true);
  // Nothing raster: no <image>, no canvas.
  expect(svg.querySelector('image')).toBeNull();
});
