/** Turning outlines and strokes into PDF path operators. */
import { num } from '../pdf/pdfText';

/** A glyph outline in font units as PDF path operators (quadratic curves raised to cubic). */
export function glyphPathOperators(commands: ReadonlyArray<{ command: string; args: number[] }>): string {
  const out: string[] = [];
  let x = 0;
  let y = 0;
  for (const { command, args } of commands) {
    switch (command) {
      case 'moveTo':
        [x = 0, y = 0] = args;
        out.push(`${num(x)} ${num(y)} m`);
        break;
      case 'lineTo':
        [x = 0, y = 0] = args;
        out.push(`${num(x)} ${num(y)} l`);
        break;
      case 'quadraticCurveTo': {
        const [cx = 0, cy = 0, ex = 0, ey = 0] = args;
        out.push(`${num(x + (2 / 3) * (cx - x))} ${num(y + (2 / 3) * (cy - y))} ${num(ex + (2 / 3) * (cx - ex))} ${num(ey + (2 / 3) * (cy - ey))} ${num(ex)} ${num(ey)} c`);
        x = ex;
        y = ey;
        break;
      }
      case 'bezierCurveTo': {
        const [c1x = 0, c1y = 0, c2x = 0, c2y = 0, ex = 0, ey = 0] = args;
        out.push(`${num(c1x)} ${num(c1y)} ${num(c2x)} ${num(c2y)} ${num(ex)} ${num(ey)} c`);
        x = ex;
        y = ey;
        break;
      }
      case 'closePath':
        out.push('h');
        break;
      default:
        break;
    }
  }
  return out.join('\n');
}

/** A circle of radius r around (cx, cy) as four Bézier arcs. */
export function circlePath(cx: number, cy: number, r: number): string {
  const k = 0.5522847498 * r;
  return [
    `${num(cx + r)} ${num(cy)} m`,
    `${num(cx + r)} ${num(cy + k)} ${num(cx + k)} ${num(cy + r)} ${num(cx)} ${num(cy + r)} c`,
    `${num(cx - k)} ${num(cy + r)} ${num(cx - r)} ${num(cy + k)} ${num(cx - r)} ${num(cy)} c`,
    `${num(cx - r)} ${num(cy - k)} ${num(cx - k)} ${num(cy - r)} ${num(cx)} ${num(cy - r)} c`,
    `${num(cx + k)} ${num(cy - r)} ${num(cx + r)} ${num(cy - k)} ${num(cx + r)} ${num(cy)} c`,
    'h',
  ].join('\n');
}

/** A five-pointed star with one point straight up, as a closed path. */
export function starPath(cx: number, cy: number, outer: number): string {
  const inner = outer * 0.381966; // golden-ratio star: the inner pentagon of a regular pentagram
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${num(cx + radius * Math.cos(angle))} ${num(cy + radius * Math.sin(angle))} ${i === 0 ? 'm' : 'l'}`);
  }
  return `${points.join('\n')}\nh`;
}

/** A point of a handwritten stroke, in the canvas's coordinates (y grows downwards, as on screen). */
export interface StrokePoint {
  readonly x: number;
  readonly y: number;
}

/**
 * Smooth stroke paths: each stroke is a quadratic B-spline through the midpoints of its samples,
 * which is how ink capture is usually rendered; a single sample becomes a dot.
 */
export function strokePaths(strokes: ReadonlyArray<ReadonlyArray<StrokePoint>>, transform: (point: StrokePoint) => [number, number]): string {
  const out: string[] = [];
  for (const stroke of strokes) {
    const points = stroke.map(transform);
    const first = points[0];
    if (!first) continue;
    out.push(`${num(first[0])} ${num(first[1])} m`);
    if (points.length === 1) {
      out.push(`${num(first[0] + 0.01)} ${num(first[1])} l`);
      continue;
    }
    if (points.length === 2) {
      const second = points[1] ?? first;
      out.push(`${num(second[0])} ${num(second[1])} l`);
      continue;
    }
    let current = first;
    for (let i = 1; i < points.length - 1; i += 1) {
      const control = points[i] ?? first;
      const next = points[i + 1] ?? control;
      const end: [number, number] = [(control[0] + next[0]) / 2, (control[1] + next[1]) / 2];
      out.push(
        `${num(current[0] + (2 / 3) * (control[0] - current[0]))} ${num(current[1] + (2 / 3) * (control[1] - current[1]))} ${num(end[0] + (2 / 3) * (control[0] - end[0]))} ${num(end[1] + (2 / 3) * (control[1] - end[1]))} ${num(end[0])} ${num(end[1])} c`,
      );
      current = end;
    }
    const last = points[points.length - 1] ?? current;
    out.push(`${num(last[0])} ${num(last[1])} l`);
  }
  return out.join('\n');
}
