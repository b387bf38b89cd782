/**
 * Batch signing (批量签批 / 批量用印): many documents with one unlocked signer. The caller opens the
 * signer once (one password or PIN entry) and this closes it when the batch ends, so the key is held
 * only for the batch. A failing document is reported and the rest continue.
 */
import { signPdf, type SignPdfOptions } from './pdf/signPdf';
import type { Signer } from './signers/signer';

/** One document of a batch. */
export interface BatchDocument {
  /** What the caller calls it (file name, document id); echoed in progress and results. */
  readonly id: string;
  /** The PDF bytes, or a function that reads them (so a batch of files is not all in memory at once). */
  readonly pdf: Uint8Array | (() => Promise<Uint8Array>);
  /** Per-document options (e.g. where the seal goes), merged over the batch's options. */
  readonly options?: SignPdfOptions;
}

/** The outcome for one document. */
export type BatchResult =
  | { readonly id: string; readonly ok: true; readonly pdf: Buffer }
  | { readonly id: string; readonly ok: false; readonly error: string };

/** Progress after each document. */
export interface BatchProgress {
  readonly done: number;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly last: BatchResult;
}

/**
 * Signs each document in turn. `onResult` may write the signed file and drop it, so memory stays
 * flat; results keep the signed bytes only when `keepOutput` is true (the default).
 */
export async function signBatch(
  documents: readonly BatchDocument[],
  signer: Signer,
  options: {
    readonly signOptions?: SignPdfOptions;
    readonly onProgress?: (progress: BatchProgress) => void;
    readonly onResult?: (result: BatchResult) => Promise<void> | void;
    readonly keepOutput?: boolean;
    /** Keep the signer open after the batch (default false: the key is dropped when the batch ends). */
    readonly keepSignerOpen?: boolean;
  } = {},
): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  let succeeded = 0;
  let failed = 0;
  try {
    for (const document of documents) {
      let result: BatchResult;
      try {
        const pdf = typeof document.pdf === 'function' ? await document.pdf() : document.pdf;
        const signed = await signPdf(pdf, signer, { ...options.signOptions, ...document.options });
        result = { id: document.id, ok: true, pdf: signed };
        succeeded += 1;
      } catch (error) {
        result = { id: document.id, ok: false, error: error instanceof Error ? error.message : String(error) };
        failed += 1;
      }
      if (options.onResult) {
        try {
          await options.onResult(result);
        } catch (error) {
          // Writing the output failed: that document failed, the batch goes on.
          if (result.ok) {
            succeeded -= 1;
            failed += 1;
          }
          result = { id: document.id, ok: false, error: `signed but not saved (${error instanceof Error ? error.message : String(error)})` };
        }
      }
      results.push(options.keepOutput === false && result.ok ? { ...result, pdf: Buffer.alloc(0) } : result);
      options.onProgress?.({ done: results.length, total: documents.length, succeeded, failed, last: result });
    }
  } finally {
    if (!options.keepSignerOpen) signer.close();
  }
  return results;
}
