/**
 * The document routes of the sync server as typed calls, with the signed-in person's token. JSON
 * goes through CLIENT's ServerClient (schemas from src/shared/http); the two binary routes (the
 * PDF down and up) use fetch directly, since ServerClient speaks JSON only.
 */
import { ApiFailure } from '../../../shared/api/result';
import { HttpErrorBodySchema } from '../../../shared/http';
import { SealPlacementSchema } from '../../../shared/http/documents';
import type { z } from 'zod';
import type { RequestOptions, ServerClient } from '../serverClient';
import { ServerHttpError, ServerProtocolError, ServerUnreachableError } from '../serverClient';
import { errorText, type ErrorText } from '../../../shared/errors';

/** What a failed server call means to the person, as an ApiFailure the renderer shows as is. */
export function failureOf(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  if (error instanceof ServerUnreachableError) return new ApiFailure('offline', errorText('client.unreachable'));
  if (error instanceof ServerProtocolError) return new ApiFailure('internal', error);
  if (error instanceof ServerHttpError) {
    switch (error.status) {
      case 401:
        return new ApiFailure('unauthenticated', error);
      case 403:
        return new ApiFailure('forbidden', error);
      case 404:
        return new ApiFailure('not_found', error);
      case 409:
        return new ApiFailure('conflict', error);
      case 400:
        return new ApiFailure('invalid_input', error);
      case 422:
        return new ApiFailure('rejected', error);
      default:
        return new ApiFailure('unavailable', error);
    }
  }
  return new ApiFailure('internal', error instanceof Error ? error.message : String(error));
}

export const isUnreachable = (error: unknown): boolean => error instanceof ServerUnreachableError;

export interface ServerCallsOptions {
  readonly client: ServerClient;
  /** The current token; null when signed out. */
  readonly token: () => string | null;
  /** The server refused the token (401): the session ends. */
  readonly onUnauthorized?: (reason: string | ErrorText) => void;
  /** The server could not be reached: the connection indicator re-checks at once. */
  readonly onUnreachable?: () => void;
  readonly fetch?: typeof fetch;
}

export interface PdfDownload {
  readonly bytes: Uint8Array;
  readonly sealPlacement?: z.output<typeof SealPlacementSchema>;
}

export interface ServerCalls {
  json<S extends z.ZodType>(path: string, options: Omit<RequestOptions<S>, 'token'>): Promise<z.output<S>>;
  /** PATCH with a JSON body (ServerClient has no PATCH). */
  patch<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>>;
  getPdf(documentId: string): Promise<PdfDownload>;
  putPdf(documentId: string, pdf: Uint8Array): Promise<void>;
  /** The 处理笺 of a document (`GET /api/documents/:id/sheet`). */
  getSheet(documentId: string): Promise<Uint8Array>;
  /** The sealed PDF of an exchange item as sent (`GET /api/exchange/:id/pdf`). */
  getExchangePdf(exchangeId: string): Promise<Uint8Array>;
  /** Any other binary GET (e.g. the 修订 view as PDF), as bytes. */
  getBytes(path: string, accept: string): Promise<Uint8Array>;
}

const seg = encodeURIComponent;

export function createServerCalls(options: ServerCallsOptions): ServerCalls {
  const doFetch = options.fetch ?? fetch;
  const tokenOrFail = (): string => {
    const token = options.token();
    if (!token) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    return token;
  };
  const observe = (error: unknown): never => {
    if (error instanceof ServerUnreachableError) options.onUnreachable?.();
    if (error instanceof ServerHttpError && error.status === 401) options.onUnauthorized?.(error);
    throw error;
  };
  const binary = async (path: string, init: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await doFetch(`${options.client.baseUrl}${path}`, { ...init, redirect: 'error', signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      return observe(new ServerUnreachableError(errorText('client.unreachableAt', { url: options.client.baseUrl }), { cause: error }));
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
    return observe(
      parsed.success
        ? new ServerHttpError(response.status, parsed.data.error.code, parsed.data.error)
        : new ServerHttpError(response.status, `http_${response.status}`, errorText('client.serverStatus', { status: response.status })),
    );
  };

  return {
    async json(path, opts) {
      try {
        return await options.client.request(path, { ...opts, token: tokenOrFail() });
      } catch (error) {
        // We cancelled it ourselves (close, sign-out): says nothing about the server's reachability.
        if (opts.signal?.aborted) throw error;
        return observe(error);
      }
    },
    async patch(path, body, schema) {
      const response = await binary(path, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${tokenOrFail()}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const parsed = schema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw new ServerProtocolError(errorText('client.protocolMismatch', { path }));
      return parsed.data;
    },
    async getPdf(documentId) {
      const response = await binary(`/api/documents/${seg(documentId)}/pdf`, { headers: { authorization: `Bearer ${tokenOrFail()}`, accept: 'application/pdf' } });
      const bytes = new Uint8Array(await response.arrayBuffer());
      // The placement header is the server's word on where the seal belongs; a malformed one is ignored, not trusted.
      const header = response.headers.get('x-seal-placement');
      let sealPlacement: PdfDownload['sealPlacement'];
      if (header) {
        try {
          const parsed = SealPlacementSchema.safeParse(JSON.parse(header));
          if (parsed.success) sealPlacement = parsed.data;
        } catch {
          sealPlacement = undefined;
        }
      }
      return { bytes, sealPlacement };
    },
    async getSheet(documentId) {
      const response = await binary(`/api/documents/${seg(documentId)}/sheet`, { headers: { authorization: `Bearer ${tokenOrFail()}`, accept: 'application/pdf' } });
      return new Uint8Array(await response.arrayBuffer());
    },
    async getExchangePdf(exchangeId) {
      const response = await binary(`/api/exchange/${seg(exchangeId)}/pdf`, { headers: { authorization: `Bearer ${tokenOrFail()}`, accept: 'application/pdf' } });
      return new Uint8Array(await response.arrayBuffer());
    },
    async getBytes(path, accept) {
      const response = await binary(path, { headers: { authorization: `Bearer ${tokenOrFail()}`, accept } });
      return new Uint8Array(await response.arrayBuffer());
    },
    async putPdf(documentId, pdf) {
      await binary(`/api/documents/${seg(documentId)}/pdf`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${tokenOrFail()}`, 'content-type': 'application/pdf' },
        body: pdf.slice(),
      });
    },
  };
}
