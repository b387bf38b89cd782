/**
 * Where a preview's PDF comes from. The component takes any source (the document's PDF now; the
 * 处理笺 from `GET /api/documents/:id/sheet` alike), so it knows nothing of documents or transports.
 */
import type { XietongApi } from '../../../shared/api';
import { fromBase64 } from '../document/base64';
import type { ErrorText } from '../../../shared/errors';

/** One copy of a PDF as the preview shows it. */
export interface PdfCopy {
  readonly bytes: Uint8Array;
  /** SHA-256 of the bytes: two copies with the same digest are the same PDF (no reload). */
  readonly sha256: string;
  /** True when it is the copy kept on this computer rather than the server's answer just now. */
  readonly fromReplica: boolean;
  /** When the copy came from the server (ISO time), shown with a kept copy. */
  readonly fetchedAt?: string;
}

/** A PDF to show; a change of `key` loads anew (and ends the previous PDF's work). */
export interface PdfSource {
  readonly key: string;
  /**
   * The copy kept on this computer, if any: shown at once while `fetch` asks the server. Null when
   * there is none. Optional: a source without a local copy shows the first page after `fetch`.
   */
  readonly kept?: () => Promise<PdfCopy | null>;
  /** The current copy: from the server, or (offline) the kept one marked `fromReplica`. Throws with a message fit to show. */
  readonly fetch: () => Promise<PdfCopy>;
}

/** The document's current PDF through `documents:pdf`: the replica's copy first, then the server's. */
export function documentPdfSource(api: XietongApi, id: string, describe: (error: ErrorText) => string = (error) => error.message): PdfSource {
  return {
    key: `document:${id}`,
    kept: async () => {
      const result = await api.documents.pdf({ id, from: 'replica' });
      return result.ok ? copyOf(result.value) : null;
    },
    fetch: async () => {
      const result = await api.documents.pdf({ id, from: 'server' });
      if (!result.ok) throw new Error(describe(result.error));
      return copyOf(result.value);
    },
  };
}

function copyOf(value: { base64: string; sha256: string; fromReplica: boolean; fetchedAt: string }): PdfCopy {
  return { bytes: fromBase64(value.base64), sha256: value.sha256, fromReplica: value.fromReplica, fetchedAt: value.fetchedAt };
}
