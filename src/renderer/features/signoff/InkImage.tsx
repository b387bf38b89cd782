/**
 * Handwriting shown as inline SVG: each stroke's outline as a filled path in the drawing's own
 * units (viewBox), so it stays crisp at any zoom and keeps the proportions it was written in.
 */
import { useMemo } from 'react';
import { inkColorHex, inkDrawingPaths } from '../../../shared/domain/documents/inkOutline';
import type { InkDrawing } from '../../../shared/domain/documents/opinion';

export function InkImage({ drawing, label, className }: { drawing: InkDrawing; label: string; className?: string }) {
  const paths = useMemo(() => inkDrawingPaths(drawing), [drawing]);
  return (
    <svg
      className={className ?? 'ink-image'}
      viewBox={`0 0 ${drawing.width} ${drawing.height}`}
      preserveAspectRatio="xMinYMin meet"
      role="img"
      aria-label={label}
    >
      {paths.map((p, i) => (
        <path key={i} d={p.d} fill={inkColorHex[p.color]} />
      ))}
    </svg>
  );
}
