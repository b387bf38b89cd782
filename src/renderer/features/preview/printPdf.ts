/**
 * 打印: the PDF shown, through the print dialog of the host — the system's in Electron (the shell's
 * `window:print`, `webContents.print`), the browser's in the web host (`window.print()`). Each page
 * is drawn by pdf.js at print resolution into an image of a print-only layer (hidden on screen;
 * while printing, the only thing on paper), at the page's own size in millimetres. No frame and no
 * `blob:` document: the CSP forbids both (frame-src 'none'); images from `blob:` are allowed.
 */
import type { PDFDocumentProxy } from './pdfEngine';
import { pointsToMm } from './previewLogic';

/** 150 dpi: sharp text on paper, ~1.2 × 1.8 k pixels per A4 page (a 100-page document stays reasonable). */
const PRINT_SCALE = 150 / 72;
const ROOT_CLASS = 'pdf-print-root';
const BODY_CLASS = 'pdf-printing';

let current: { root: HTMLElement; urls: string[] } | null = null;

/** Removes the print layer (after printing, before the next one, when the preview goes away). */
/** A page the browser could not turn into an image for printing; the preview words it. */
export class PrintPageError extends Error {
  constructor(readonly page: number) {
    super(`page ${page} could not be rendered for printing`);
    this.name = 'PrintPageError';
  }
}

export function clearPrintLayer(): void {
  if (!current) return;
  for (const url of current.urls) URL.revokeObjectURL(url);
  current.root.remove();
  document.body.classList.remove(BODY_CLASS);
  current = null;
}

export interface PrintOptions {
  /** Abandons the drawing (the preview unmounted, another PDF was loaded) before the dialog opens. */
  readonly signal?: AbortSignal;
  /**
   * The host's own print dialog (`window:print`): true when the host printed (Electron's shell, once
   * the job is sent or cancelled), false when it has none and the page opens the browser's.
   */
  readonly hostPrint?: () => Promise<boolean>;
}

/** Draws every page of `pdf` into the print layer, then opens the print dialog. */
export async function printPdf(pdf: PDFDocumentProxy, { signal, hostPrint }: PrintOptions = {}): Promise<void> {
  clearPrintLayer();
  const root = document.createElement('div');
  root.className = ROOT_CLASS;
  root.setAttribute('aria-hidden', 'true');
  const urls: string[] = [];
  const layer = { root, urls };
  current = layer;
  try {
    for (let number = 1; number <= pdf.numPages; number += 1) {
      if (signal?.aborted) throw new DOMException('printing cancelled', 'AbortError');
      const page = await pdf.getPage(number);
      const size = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: PRINT_SCALE });
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      await page.render({ canvas, viewport, intent: 'print' }).promise;
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      // The canvas's memory is released at once rather than when the collector gets to it.
      canvas.width = 0;
      canvas.height = 0;
      if (!blob) throw new PrintPageError(number);
      const url = URL.createObjectURL(blob);
      urls.push(url);
      const image = document.createElement('img');
      image.alt = '';
      image.src = url;
      image.style.width = `${pointsToMm(size.width)}mm`;
      image.style.height = `${pointsToMm(size.height)}mm`;
      root.append(image);
      await image.decode();
    }
    if (signal?.aborted) throw new DOMException('printing cancelled', 'AbortError');
  } catch (error) {
    if (current === layer) clearPrintLayer();
    throw error;
  }
  document.body.append(root);
  document.body.classList.add(BODY_CLASS);
  // The layer stays until the dialog is done: Chromium lays the pages out for its preview after
  // print() returns in some hosts, and removing them early would print blank pages.
  window.addEventListener(
    'afterprint',
    () => {
      if (current === layer) clearPrintLayer();
    },
    { once: true },
  );
  if (hostPrint && (await hostPrint())) {
    if (current === layer) clearPrintLayer();
    return;
  }
  window.print();
}
