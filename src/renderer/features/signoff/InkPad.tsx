/**
 * 签批板: the signing pad of 手写签批. It captures pointer events from a pen, a finger or a mouse —
 * every coalesced sample with its pressure, tilt and time — and draws smooth variable-width ink
 * (perfect-freehand's outline, the same one the server draws into the 处理笺) once per display
 * frame. Strokes are kept as vectors in a fixed `PAD_WIDTH` × `PAD_HEIGHT` box whatever size the
 * pad is shown at, so enlarging it changes nothing but the room to write.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { countInkPoints, inkColorHex, inkStrokeOutline, MAX_INK_POINTS, outlineToSvgPath } from '../../../shared/domain/documents/inkOutline';
import type { InkColor, InkDrawing, InkPoint, InkStroke } from '../../../shared/domain/documents/opinion';
import './signoff.css';

/** The pad's own units: strokes are recorded in this box (2:1, like the 签发 box of the 处理笺). */
export const PAD_WIDTH = 800;
export const PAD_HEIGHT = 400;
/** The nominal pen width in pad units. */
const PEN_SIZE = 9;
const colours: readonly InkColor[] = ['black', 'red', 'blue'];

export interface InkPadProps {
  /** Strokes to continue from (the opinion's handwriting so far). */
  initial?: InkDrawing | null;
  /** 完成: the drawing, or null when the pad was cleared. */
  onDone: (drawing: InkDrawing | null) => void;
  onCancel: () => void;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number, step: number) => Math.round(v / step) * step;

export function InkPad({ initial, onDone, onCancel }: InkPadProps) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [strokes, setStrokes] = useState<InkStroke[]>(() => initial?.strokes ?? []);
  const [undone, setUndone] = useState<InkStroke[]>([]);
  const [colour, setColour] = useState<InkColor>('black');
  const [enlarged, setEnlarged] = useState(false);
  const [full, setFull] = useState(false);
  /** The stroke under the pen, mutated as samples arrive (a ref: no re-render per sample). */
  const live = useRef<{ pointerId: number; start: number; before: number; stroke: InkStroke } | null>(null);
  /** The strokes as of the last sample: pen events can finish two strokes before React renders once. */
  const strokesRef = useRef(strokes);
  const commit = (next: InkStroke[]) => {
    strokesRef.current = next;
    setStrokes(next);
  };
  const frame = useRef<number | null>(null);
  /** Each finished stroke's outline as a Path2D, computed once. */
  const paths = useRef(new WeakMap<InkStroke, Path2D>());

  const draw = useCallback(() => {
    frame.current = null;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(w / PAD_WIDTH, 0, 0, h / PAD_HEIGHT, 0, 0);
    const fill = (stroke: InkStroke, complete: boolean) => {
      let path = complete ? paths.current.get(stroke) : undefined;
      if (!path) {
        path = new Path2D(outlineToSvgPath(inkStrokeOutline(stroke, complete)));
        if (complete) paths.current.set(stroke, path);
      }
      ctx.fillStyle = inkColorHex[stroke.color];
      ctx.fill(path);
    };
    for (const stroke of strokesRef.current) fill(stroke, true);
    if (live.current) fill(live.current.stroke, false);
  }, []);

  /** Redraws at the next display frame, at most once per frame however many samples arrived. */
  const schedule = useCallback(() => {
    if (frame.current === null) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  useEffect(() => {
    schedule();
  }, [strokes, enlarged, schedule]);
  useEffect(() => {
    const onResize = () => schedule();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, [schedule]);


  const sample = (e: PointerEvent, start: number, rect: DOMRect): InkPoint => {
    // Mouse and most touch screens report no pressure: store the schema's 0.5 so the width follows speed.
    const pressure = e.pointerType === 'pen' ? clamp(e.pressure || 0.05, 0.05, 1) : 0.5;
    return [
      round(((e.clientX - rect.left) * PAD_WIDTH) / rect.width, 0.1),
      round(((e.clientY - rect.top) * PAD_HEIGHT) / rect.height, 0.1),
      round(pressure, 0.001),
      clamp(Math.round(e.timeStamp - start), 0, 600_000),
      clamp(Math.round(e.tiltX || 0), -90, 90),
      clamp(Math.round(e.tiltY || 0), -90, 90),
    ];
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 || live.current) return;
    const before = countInkPoints({ strokes: strokesRef.current });
    if (before >= MAX_INK_POINTS) {
      setFull(true);
      return;
    }
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const rect = e.currentTarget.getBoundingClientRect();
    const start = e.timeStamp;
    live.current = { pointerId: e.pointerId, start, before, stroke: { color: colour, size: PEN_SIZE, points: [sample(e.nativeEvent, start, rect)] } };
    schedule();
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const current = live.current;
    if (!current || current.pointerId !== e.pointerId) return;
    const rect = e.currentTarget.getBoundingClientRect();
    // Every sample the device gave since the last event, not only the last one: smooth, faithful ink.
    const native = e.nativeEvent;
    const samples = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    const points = current.stroke.points;
    for (const s of samples.length > 0 ? samples : [native]) {
      if (current.before + points.length >= MAX_INK_POINTS || points.length >= 10_000) break;
      points.push(sample(s, current.start, rect));
    }
    schedule();
  };

  const finish = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const current = live.current;
    if (!current || current.pointerId !== e.pointerId) return;
    live.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    const stroke = current.stroke;
    const next = [...strokesRef.current, stroke];
    commit(next);
    setUndone([]);
    setFull(countInkPoints({ strokes: next }) >= MAX_INK_POINTS);
  };

  const undo = () => {
    const current = strokesRef.current;
    const last = current[current.length - 1];
    if (!last) return;
    commit(current.slice(0, -1));
    setUndone([...undone, last]);
    setFull(false);
  };
  const redo = () => {
    const again = undone[undone.length - 1];
    if (!again) return;
    commit([...strokesRef.current, again]);
    setUndone(undone.slice(0, -1));
  };
  const clear = () => {
    const current = strokesRef.current;
    if (current.length === 0) return;
    // Clearing can be undone stroke by stroke, most recent first.
    setUndone([...undone, ...[...current].reverse()]);
    commit([]);
    setFull(false);
  };

  return (
    <div className={`ink-pad${enlarged ? ' ink-pad--enlarged' : ''}`} role="dialog" aria-label={t('handwriting.pad')} aria-modal={enlarged}>
      <div className="ink-pad__tools">
        <div className="ink-pad__colours" role="radiogroup" aria-label={t('handwriting.colour')}>
          {colours.map((c) => (
            <button
              key={c}
              type="button"
              role="radio"
              aria-checked={colour === c}
              aria-label={t(`handwriting.colours.${c}`)}
              className={`ink-pad__colour${colour === c ? ' ink-pad__colour--on' : ''}`}
              style={{ color: inkColorHex[c] }}
              onClick={() => setColour(c)}
            >
              ●
            </button>
          ))}
        </div>
        <button type="button" className="button button--secondary" onClick={undo} disabled={strokes.length === 0}>
          {t('handwriting.undo')}
        </button>
        <button type="button" className="button button--secondary" onClick={redo} disabled={undone.length === 0}>
          {t('handwriting.redo')}
        </button>
        <button type="button" className="button button--secondary" onClick={clear} disabled={strokes.length === 0}>
          {t('handwriting.clear')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setEnlarged(!enlarged)} aria-pressed={enlarged}>
          {enlarged ? t('handwriting.shrink') : t('handwriting.enlarge')}
        </button>
        <span className="ink-pad__spacer" />
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('handwriting.cancel')}
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={() => onDone(strokesRef.current.length > 0 ? { width: PAD_WIDTH, height: PAD_HEIGHT, strokes: strokesRef.current } : null)}
        >
          {t('handwriting.done')}
        </button>
      </div>
      <div className="ink-pad__paper">
        <canvas
          ref={canvasRef}
          className="ink-pad__canvas"
          role="application"
          aria-label={t('handwriting.surface')}
          data-strokes={strokes.length}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={finish}
          onPointerCancel={finish}
          onLostPointerCapture={finish}
        />
      </div>
      {full ? (
        <p className="notice notice--warning" role="status">
          {t('handwriting.tooMany', { max: MAX_INK_POINTS })}
        </p>
      ) : null}
    </div>
  );
}
