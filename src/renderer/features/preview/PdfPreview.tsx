/**
 * The document as it prints: any PDF (see PdfSource) drawn by pdf.js, page by page as pages come
 * near the screen (the visible ones first), with thumbnails, zoom (适合宽度, 100%, 200%), keyboard
 * paging while it has focus (PageDown/PageUp, ←/→, Home/End) and 打印 (also Ctrl+P). A copy kept on
 * this computer is shown at once and replaced when the server's differs; offline it stays, marked.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';
import { formatTime } from '../document/labels';
import { openPdf, preloadPdfJs, type PDFDocumentProxy, type RenderTask } from './pdfEngine';
import type { PdfCopy, PdfSource } from './pdfSource';
import { clearPrintLayer, printPdf, PrintPageError } from './printPdf';
import { outputScale, pageAtScroll, pageForKey, scaleFor, type ZoomMode } from './previewLogic';
import '../../styles/preview.css';
import { describeError } from '../../i18n/errors';

type LoadingTask = Awaited<ReturnType<typeof openPdf>>;

export interface PdfPreviewProps {
  source: PdfSource;
  /** The region's accessible name (default 公文预览). */
  label?: string;
  /** Ctrl+P prints this PDF while the preview is on screen (default true; one preview per view should have it). */
  printShortcut?: boolean;
}

interface Shown {
  readonly pdf: PDFDocumentProxy;
  readonly sha256: string;
  /** Page sizes in PDF points. */
  readonly sizes: readonly { width: number; height: number }[];
}

interface Freshness {
  readonly fromReplica: boolean;
  readonly fetchedAt?: string;
  /** Set when the server could not give the current copy; the kept one stays on screen. */
  readonly failure?: string;
  /** True once the server (or, offline, main's fallback) has answered. */
  readonly settled: boolean;
}

/** The mark the benchmark (and devtools) read: the first page of a newly shown PDF is on its canvas. */
export const FIRST_PAGE_MARK = 'xietong:preview:first-page';

const THUMB_WIDTH = 88;
const PAGE_GAP = 16;

export function PdfPreview({ source, label, printShortcut = true }: PdfPreviewProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [shown, setShown] = useState<Shown | null>(null);
  const [freshness, setFreshness] = useState<Freshness>({ fromReplica: false, settled: false });
  const [error, setError] = useState<string | null>(null);
  const [zoom, setZoom] = useState<ZoomMode>('fit');
  const [current, setCurrent] = useState(1);
  const [availableWidth, setAvailableWidth] = useState(0);
  const [firstPainted, setFirstPainted] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [printError, setPrintError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const thumbs = useRef<HTMLOListElement>(null);
  const pageEls = useRef(new Map<number, HTMLElement>());
  const tasks = useRef(new Set<LoadingTask>());
  const generation = useRef(0);
  const shownSha = useRef<string | null>(null);
  const printAbort = useRef<AbortController | null>(null);
  /** Resolves when the first page of the PDF just shown is painted (the load waits on it). */
  const paintedWaiter = useRef<(() => void) | null>(null);
  const sourceRef = useRef(source);
  sourceRef.current = source;

  useEffect(() => preloadPdfJs(), []);

  /** Opens `copy` and shows it once its first page's size is known; older opens are abandoned. */
  const show = useCallback(async (copy: PdfCopy) => {
    const mine = ++generation.current;
    shownSha.current = copy.sha256;
    let task: LoadingTask | undefined;
    const stale = () => mine !== generation.current;
    try {
      task = await openPdf(copy.bytes);
      tasks.current.add(task);
      if (stale()) throw new Stale();
      const pdf = await task.promise;
      if (stale()) throw new Stale();
      const first = (await pdf.getPage(1)).getViewport({ scale: 1 });
      if (stale()) throw new Stale();
      const size = { width: first.width, height: first.height };
      setError(null);
      setFirstPainted(false);
      setShown({ pdf, sha256: copy.sha256, sizes: Array.from({ length: pdf.numPages }, () => size) });
      setCurrent((page) => Math.min(page, pdf.numPages));
      // Every other PDF this preview opened is done with: end its work in the worker.
      for (const other of tasks.current) {
        if (other === task) continue;
        tasks.current.delete(other);
        void other.destroy();
      }
      // The other pages' real sizes (a document may mix A4 and A3), once the first page is on its way.
      const sizes = [size];
      for (let number = 2; number <= pdf.numPages; number += 1) {
        const viewport = (await pdf.getPage(number)).getViewport({ scale: 1 });
        if (stale()) return;
        sizes.push({ width: viewport.width, height: viewport.height });
      }
      if (sizes.some((s) => s.width !== size.width || s.height !== size.height)) {
        setShown((prev) => (prev && prev.pdf === pdf ? { ...prev, sizes } : prev));
      }
    } catch (failure) {
      if (task && stale()) {
        tasks.current.delete(task);
        void task.destroy();
      }
      if (failure instanceof Stale || stale()) return;
      setError(t('preview.renderFailed', { reason: failure instanceof Error ? failure.message : String(failure) }));
    }
  }, [t]);

  // Load: the kept copy at once, then the server's; a change of key loads anew, keeping what is on
  // screen until the new copy is ready (so a document that moved on does not flash empty). The
  // server is asked once the kept copy's first page is on screen (at most 1.5 s later): the server
  // renders a PDF in about half a second, and on a 2-core desk with an embedded server that work
  // would otherwise compete with drawing the page the person is waiting for.
  useEffect(() => {
    let cancelled = false;
    const { kept, fetch } = sourceRef.current;
    setFreshness({ fromReplica: false, settled: false });
    setPrintError(null);
    void (async () => {
      const copy = kept ? await kept().catch(() => null) : null;
      if (cancelled) return;
      if (copy) {
        setFreshness({ fromReplica: true, fetchedAt: copy.fetchedAt, settled: false });
        if (copy.sha256 !== shownSha.current) {
          const painted = new Promise<void>((resolve) => {
            paintedWaiter.current = resolve;
            setTimeout(resolve, 1_500);
          });
          void show(copy);
          await painted;
          if (cancelled) return;
        }
      }
      try {
        const fresh = await fetch();
        if (cancelled) return;
        setFreshness({ fromReplica: fresh.fromReplica, fetchedAt: fresh.fetchedAt, settled: true });
        if (fresh.sha256 !== shownSha.current) void show(fresh);
      } catch (failure) {
        if (cancelled) return;
        const reason = failure instanceof Error ? failure.message : String(failure);
        if (shownSha.current) setFreshness((prev) => ({ ...prev, failure: reason, settled: true }));
        else setError(reason);
      }
    })();
    return () => {
      cancelled = true;
      paintedWaiter.current?.();
    };
  }, [source.key, show]);

  // Unmounting ends every PDF's work and removes a pending print layer.
  useEffect(() => {
    const open = tasks.current;
    return () => {
      generation.current += 1;
      printAbort.current?.abort();
      for (const task of open) void task.destroy();
      open.clear();
      clearPrintLayer();
    };
  }, []);

  // 适合宽度 follows the preview's width.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    const measure = () => setAvailableWidth(Math.max(0, element.clientWidth - 2 * PAGE_GAP));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const widest = useMemo(() => Math.max(0, ...(shown?.sizes.map((s) => s.width) ?? [0])), [shown]);
  const scale = scaleFor(zoom, widest, availableWidth);
  const count = shown?.pdf.numPages ?? 0;

  const goTo = useCallback((page: number) => {
    const element = pageEls.current.get(page);
    const box = scroller.current;
    if (!element || !box) return;
    box.scrollTop = element.offsetTop - PAGE_GAP;
    setCurrent(page);
  }, []);

  const onScroll = () => {
    const box = scroller.current;
    if (!box || count === 0) return;
    if (box.scrollTop + box.clientHeight >= box.scrollHeight - 2) {
      setCurrent(count);
      return;
    }
    const tops = Array.from({ length: count }, (_, i) => pageEls.current.get(i + 1)?.offsetTop ?? Infinity);
    setCurrent(pageAtScroll(tops, box.scrollTop, box.clientHeight));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = pageForKey(event.key, current, count);
    if (target === null) return;
    event.preventDefault();
    goTo(target);
  };

  const print = useCallback(async () => {
    setPrintError(null);
    if (!shown) {
      setPrintError(t('preview.notLoaded'));
      return;
    }
    printAbort.current?.abort();
    const abort = new AbortController();
    printAbort.current = abort;
    setPrinting(true);
    try {
      await printPdf(shown.pdf, {
        signal: abort.signal,
        hostPrint: async () => {
          const result = await api.window.print({});
          if (!result.ok) throw new Error(describeError(result.error, t));
          return result.value.handled;
        },
      });
    } catch (failure) {
      const reason = failure instanceof PrintPageError ? t('preview.pageNotPrintable', { page: failure.page }) : failure instanceof Error ? failure.message : String(failure);
      if (!abort.signal.aborted) setPrintError(t('preview.printFailed', { reason }));
    } finally {
      if (printAbort.current === abort) {
        printAbort.current = null;
        setPrinting(false);
      }
    }
  }, [api, shown, t]);

  const printRef = useRef(print);
  printRef.current = print;
  useEffect(() => {
    if (!printShortcut) return undefined;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.key.toLowerCase() !== 'p') return;
      // Our print, not the browser's: the browser's would print the app's screen, not the document.
      event.preventDefault();
      void printRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [printShortcut]);

  const onFirstPainted = useCallback(() => {
    setFirstPainted((already) => {
      if (!already) performance.mark(FIRST_PAGE_MARK);
      return true;
    });
    paintedWaiter.current?.();
    paintedWaiter.current = null;
  }, []);

  const zoomChoices: { mode: ZoomMode; text: string }[] = [
    { mode: 'fit', text: t('preview.fitWidth') },
    { mode: 'actual', text: t('preview.actualSize') },
    { mode: 'double', text: t('preview.doubleSize') },
  ];

  return (
    <section className="pdf-preview" role="region" aria-label={label ?? t('preview.region')} onKeyDown={onKeyDown}>
      <div className="pdf-preview__bar">
        <span className="pdf-preview__where">{count > 0 ? t('preview.pageOf', { page: current, count }) : t('preview.loading')}</span>
        <div className="pdf-preview__zoom" role="group" aria-label={t('preview.zoom')}>
          {zoomChoices.map((choice) => (
            <button key={choice.mode} type="button" className="pdf-preview__zoom-button" aria-pressed={zoom === choice.mode} onClick={() => setZoom(choice.mode)}>
              {choice.text}
            </button>
          ))}
        </div>
        <button type="button" className="button button--secondary" onClick={() => void print()} disabled={!shown || printing} aria-keyshortcuts="Control+P">
          {printing ? t('preview.printing') : t('preview.print')}
        </button>
      </div>
      {shown && freshness.settled && freshness.fromReplica ? (
        <p className="notice notice--warning pdf-preview__notice" role="status">
          {t('preview.keptCopy', { time: freshness.fetchedAt ? formatTime(freshness.fetchedAt) : '—' })}
        </p>
      ) : null}
      {shown && freshness.failure ? (
        <p className="notice notice--warning pdf-preview__notice" role="status">
          {t('preview.staleCopy', { reason: freshness.failure })}
        </p>
      ) : null}
      {error ? (
        <p className="notice notice--error pdf-preview__notice" role="alert">
          {error}
        </p>
      ) : null}
      {printError ? (
        <p className="notice notice--error pdf-preview__notice" role="alert">
          {printError}
        </p>
      ) : null}
      <div className="pdf-preview__body">
        <ol className="pdf-preview__thumbs" ref={thumbs} aria-label={t('preview.thumbnails')}>
          {shown
            ? shown.sizes.map((size, index) => (
                <li key={index}>
                  <button
                    type="button"
                    className="pdf-preview__thumb"
                    aria-label={t('preview.page', { page: index + 1 })}
                    aria-current={current === index + 1 ? 'page' : undefined}
                    onClick={() => goTo(index + 1)}
                  >
                    <PageCanvas
                      pdf={shown.pdf}
                      number={index + 1}
                      scale={THUMB_WIDTH / size.width}
                      size={size}
                      root={thumbs}
                      enabled={firstPainted}
                      className="pdf-preview__thumb-canvas"
                    />
                    <span className="pdf-preview__thumb-number">{index + 1}</span>
                  </button>
                </li>
              ))
            : null}
        </ol>
        <div className="pdf-preview__pages" ref={scroller} tabIndex={0} onScroll={onScroll} role="group" aria-label={t('preview.pages')}>
          {shown
            ? shown.sizes.map((size, index) => (
                <div
                  key={index}
                  className="pdf-preview__page"
                  ref={(element) => {
                    if (element) pageEls.current.set(index + 1, element);
                    else pageEls.current.delete(index + 1);
                  }}
                >
                  <PageCanvas
                    pdf={shown.pdf}
                    number={index + 1}
                    scale={scale}
                    size={size}
                    root={scroller}
                    enabled
                    label={t('preview.page', { page: index + 1 })}
                    onPainted={index === 0 ? onFirstPainted : undefined}
                  />
                </div>
              ))
            : null}
        </div>
      </div>
    </section>
  );
}

class Stale extends Error {}

interface PageCanvasProps {
  pdf: PDFDocumentProxy;
  /** 1-based. */
  number: number;
  /** CSS pixels per PDF point. */
  scale: number;
  size: { width: number; height: number };
  /** The scrolling element the page must come near before it is drawn. */
  root: RefObject<HTMLElement | null>;
  /** False holds the drawing back (thumbnails wait for the first page). */
  enabled: boolean;
  label?: string;
  className?: string;
  onPainted?: () => void;
}

/**
 * One page on a canvas, drawn only while it is within a screen's height of the view (pages far away
 * give their canvas back, so a long document does not hold every page's pixels). A new drawing goes
 * to a fresh canvas that replaces the old one when done: zooming never shows an empty page.
 */
function PageCanvas({ pdf, number, scale, size, root, enabled, label, className, onPainted }: PageCanvasProps) {
  const holder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  const cssWidth = Math.floor(size.width * scale);
  const cssHeight = Math.floor(size.height * scale);

  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const observer = new IntersectionObserver((entries) => setNear(entries.some((entry) => entry.isIntersecting)), {
      root: root.current,
      rootMargin: '100% 0px',
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [root]);

  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    if (!near || !enabled) {
      if (!near) element.replaceChildren();
      return undefined;
    }
    let cancelled = false;
    let task: RenderTask | null = null;
    void (async () => {
      const page = await pdf.getPage(number);
      if (cancelled) return;
      const viewport = page.getViewport({ scale });
      const ratio = outputScale(window.devicePixelRatio, viewport.width, viewport.height);
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
      canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
      canvas.style.width = `${Math.floor(viewport.width)}px`;
      canvas.style.height = `${Math.floor(viewport.height)}px`;
      if (label) {
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', label);
      }
      task = page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
      await task.promise;
      if (cancelled) return;
      element.replaceChildren(canvas);
      onPainted?.();
    })().catch(() => {
      // Cancelled (zoom changed, page scrolled away, PDF replaced) or the page could not be drawn:
      // the page keeps its blank sheet; the document-level error shows when the PDF itself fails.
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, number, scale, near, enabled, label, onPainted]);

  return <div ref={holder} className={className ?? 'pdf-preview__sheet'} style={{ width: cssWidth, height: cssHeight }} />;
}
