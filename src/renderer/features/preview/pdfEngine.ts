/**
 * pdf.js for the renderer, loaded on first use (its ~0.5 MB stays out of the start-up bundle) and set
 * up for the app's strict Content-Security-Policy:
 * - the worker is a file of our own build (`?url` emits it into `assets/` beside the bundle), started
 *   by pdf.js as a module worker from our origin: allowed by `worker-src 'self'` (Electron) and by
 *   `script-src 'self'` (the web host, whose CSP has no worker-src and falls back to it);
 * - `isEvalSupported: false`: pdf.js would otherwise compile PostScript functions with `new Function`,
 *   which the CSP forbids (no 'unsafe-eval');
 * - `useWasm: false`: compiling WebAssembly needs 'wasm-unsafe-eval', which the CSP does not grant;
 *   PDFs with JPEG 2000 or JBIG2 images then show those images blank (ours have none);
 * - CMaps and the standard fonts come from our own origin (`pdfjs/…`, copied into the build by
 *   electron.vite.config.ts), never from a CDN.
 * The legacy build: the modern one calls Math.sumPrecise and Map.prototype.getOrInsertComputed, which
 * Electron 45's Chromium (142) lacks; the legacy build polyfills them without eval.
 */
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist/legacy/build/pdf.mjs';

export type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist/legacy/build/pdf.mjs';

type PdfJs = typeof PdfJsModule;

let loaded: Promise<PdfJs> | null = null;
/**
 * One worker for every PDF the window shows. Starting a worker parses pdf.js's 1.3 MB worker script
 * again (tens of milliseconds on a slow desk); a loading task given a worker leaves it running when
 * destroyed, so opening the next document does not pay that again.
 */
let sharedWorker: InstanceType<PdfJs['PDFWorker']> | null = null;

/** pdf.js, imported once and configured with our worker. */
export function loadPdfJs(): Promise<PdfJs> {
  // The worker's URL is imported lazily too: only a preview on screen needs it.
  loaded ??= Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('./pdfWorkerUrl')]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.workerUrl;
    return pdfjs;
  });
  return loaded;
}

/** Starts loading pdf.js and its worker now (the preview does on mount, so the first page is not kept waiting). */
export function preloadPdfJs(): void {
  void loadPdfJs()
    .then((pdfjs) => {
      if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new pdfjs.PDFWorker();
    })
    .catch(() => undefined);
}

/**
 * Opens a PDF from bytes. The bytes are copied: pdf.js hands its buffer to the worker, which would
 * leave the caller's array empty. Destroy the returned task when the PDF is no longer shown: it
 * ends the document's work in the worker and frees its memory.
 */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentLoadingTask> {
  const pdfjs = await loadPdfJs();
  const base = document.baseURI;
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new pdfjs.PDFWorker();
  return pdfjs.getDocument({
    data: bytes.slice(),
    worker: sharedWorker,
    cMapUrl: new URL('pdfjs/cmaps/', base).href,
    cMapPacked: true,
    standardFontDataUrl: new URL('pdfjs/standard_fonts/', base).href,
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
  });
}
