/// <reference types="vite/client" />
/** The URL of pdf.js's worker as the build emits it into `assets/` (Vite's `?url`: the file as is, hashed). */
import url from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

export const workerUrl: string = url;
