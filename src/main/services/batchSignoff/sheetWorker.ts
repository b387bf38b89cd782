/**
 * The 处理笺 renderer's worker thread. Laying out a sheet with CJK fonts (parsing a 20 MB font
 * collection once, subsetting, pdf-lib) takes 60–200 ms of synchronous work per document; run on
 * main's event loop it held up every call of the window for that long, dozens of times per batch.
 * Here it runs beside main: main only signs (a few milliseconds) and keeps answering.
 *
 * Messages: `{ id, input }` in (an ApprovalSheetInput, structured-cloned), `{ id, ok, pdf | message }` out.
 */
import { parentPort } from 'node:worker_threads';
import { renderApprovalSheet, type ApprovalSheetInput } from './approvalSheet';

export interface SheetRequest {
  readonly id: number;
  readonly input: ApprovalSheetInput;
}

export type SheetResponse = { readonly id: number; readonly ok: true; readonly pdf: Uint8Array } | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (port) {
  port.on('message', (request: SheetRequest) => {
    void renderApprovalSheet(request.input).then(
      (pdf) => port.postMessage({ id: request.id, ok: true, pdf } satisfies SheetResponse, [pdf.buffer as ArrayBuffer]),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies SheetResponse),
    );
  });
}
