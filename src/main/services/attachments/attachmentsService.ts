/**
 * 附件 in main: the renderer's base64 file goes to the server as the raw body (the server stores it
 * content-addressed and lists it in `fields.attachments`); downloads come back as base64. The
 * server decides who may add or remove (the holder, while the text may change) and who may read;
 * its refusals (403/409/413…) reach the person as its own Chinese message.
 *
 * Offline (or behind this document's unsent commands) an added file is queued in the outbox as
 * `document.attachment` with its bytes in the replica, and goes out in order on reconnect; a
 * refusal then stays in the document's command list with the server's reason.
 *
 * ServerClient speaks JSON only, so the binary requests are made here with fetch and the person's
 * token, the same way the documents service sends the sealed PDF.
 */
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import type { attachmentsCalls } from '../../../shared/api/attachments.contract';
import type { LocalDocument } from '../../../shared/api/documents.contract';
import { HttpErrorBodySchema } from '../../../shared/http';
import { DocumentViewSchema } from '../../../shared/http/documents';
import type { DocumentsService } from '../documents/documentsService';
import { targetOf } from '../documents/commands';
import type { OfflineServices } from '../sync/offlineServices';
import { failureOf } from '../documents/serverCalls';
import { ServerHttpError, ServerProtocolError, ServerUnreachableError, type ServerClient } from '../serverClient';
import { errorText, type ErrorText } from '../../../shared/errors';

export type AttachmentsHandlers = HandlersOf<{ attachments: typeof attachmentsCalls }, unknown>['attachments'];

export interface AttachmentsServiceOptions {
  readonly serverClient: ServerClient;
  readonly session: { token(): string | null; reportUnauthorized(reason?: string | ErrorText): void };
  /** The 在线/离线 indicator re-checks at once when the server could not be reached. */
  readonly offline?: { readonly connection: { reportFailure(): void } };
  /** Re-reads the document after a change, so the answer carries this client's unsent commands too; queues commands. */
  readonly documents: Pick<DocumentsService, 'get' | 'submit'>;
  /**
   * The person's replica and outbox: every added file is kept in the replica's blob store, and when
   * the server cannot be reached — or commands on the document still wait — the upload is queued as
   * an outbox command (`document.attachment`) and sent in order on reconnect.
   */
  readonly local?: () => Pick<OfflineServices, 'replica' | 'outbox'> | null;
  readonly fetch?: typeof fetch;
}

const seg = encodeURIComponent;

/** `filename*=UTF-8''…` of a Content-Disposition header (RFC 5987), or null. */
function dispositionName(header: string | null): string | null {
  const match = header ? /filename\*=UTF-8''([^;]+)/i.exec(header) : null;
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export function createAttachmentsHandlers(options: AttachmentsServiceOptions): AttachmentsHandlers {
  const doFetch = options.fetch ?? fetch;

  /** One authed request; a non-2xx answer becomes a ServerHttpError with the server's message. */
  const send = async (path: string, init: RequestInit): Promise<Response> => {
    const token = options.session.token();
    if (!token) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    let response: Response;
    try {
      response = await doFetch(`${options.serverClient.baseUrl}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
        redirect: 'error',
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      options.offline?.connection.reportFailure();
      throw new ServerUnreachableError(errorText('client.unreachableAt', { url: options.serverClient.baseUrl }), { cause: error });
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    const parsed = HttpErrorBodySchema.safeParse(body);
    const error = parsed.success
      ? new ServerHttpError(response.status, parsed.data.error.code, parsed.data.error)
      : new ServerHttpError(response.status, `http_${response.status}`, response.status === 413 ? errorText('attachments.tooLarge') : errorText('client.serverStatus', { status: response.status }));
    if (response.status === 401) options.session.reportUnauthorized(error);
    throw error;
  };

  /** The server answers the document view; re-read it through the documents service for the LocalDocument. */
  const viewThenDocument = async (documentId: string, response: Response, path: string): Promise<LocalDocument> => {
    const parsed = DocumentViewSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ServerProtocolError(errorText('client.protocolMismatch', { path }));
    return options.documents.get(documentId);
  };

  return {
    async add({ documentId, name, base64 }) {
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length === 0) throw new ApiFailure('invalid_input', errorText('attachments.empty'));
      const local = options.local?.() ?? null;
      // A copy stays in the replica: it is what a queued upload sends, and what 下载 offers offline.
      const sha256 = local ? await local.replica.putBlob(bytes, 'application/octet-stream') : null;
      const waiting = local ? (await local.outbox.list('pending')).some((entry) => targetOf(entry) === documentId) : false;
      if (!waiting) {
        const path = `/api/documents/${seg(documentId)}/attachments?name=${seg(name)}`;
        try {
          const response = await send(path, { method: 'POST', headers: { 'content-type': 'application/octet-stream', accept: 'application/json' }, body: bytes });
          return await viewThenDocument(documentId, response, path);
        } catch (error) {
          if (!(error instanceof ServerUnreachableError) || !sha256) throw failureOf(error);
        }
      }
      if (!sha256) throw new ApiFailure('unavailable', errorText('client.replicaNotReady'));
      // Offline, or behind commands on this document that have not gone out yet: queued in order.
      const { command } = await options.documents.submit({ type: 'document.attachment', documentId, sha256, name });
      if (command.status === 'rejected') throw new ApiFailure('rejected', command.reason ?? errorText('attachments.refused'));
      return options.documents.get(documentId);
    },
    async get({ documentId, sha256 }) {
      const path = `/api/documents/${seg(documentId)}/attachments/${seg(sha256)}`;
      try {
        const response = await send(path, { headers: { accept: 'application/octet-stream' } });
        const bytes = Buffer.from(await response.arrayBuffer());
        return { name: dispositionName(response.headers.get('content-disposition')) ?? '附件', base64: bytes.toString('base64') };
      } catch (error) {
        // Offline: the copy kept when it was added (or queued) here, under its listed name.
        if (error instanceof ServerUnreachableError) {
          const kept = await options.local?.()?.replica.getBlob(sha256);
          if (kept) {
            const document = await options.documents.get(documentId).catch(() => null);
            const listed = document?.document.fields.attachments.find((a) => a.sha256 === sha256)?.name;
            return { name: listed ?? '附件', base64: Buffer.from(kept.data).toString('base64') };
          }
        }
        throw failureOf(error);
      }
    },
    async remove({ documentId, sha256 }) {
      const path = `/api/documents/${seg(documentId)}/attachments/${seg(sha256)}`;
      try {
        const response = await send(path, { method: 'DELETE', headers: { accept: 'application/json' } });
        return await viewThenDocument(documentId, response, path);
      } catch (error) {
        throw failureOf(error);
      }
    },
  };
}
