/**
 * The main process's HTTP client for the sync server. Every response body is parsed with a schema
 * from src/shared before anyone uses it, and every failure becomes one of two typed errors: the
 * server answered with an error status (`ServerHttpError`), or it could not be reached at all
 * (`ServerUnreachableError`). Callers decide what each means for the person.
 */
import type { z } from 'zod';
import { HealthResponseSchema, HttpErrorBodySchema } from '../../../shared/http';
import { ApiFailure } from '../../../shared/api/result';
import { KeyedError, errorText, type ErrorText } from '../../../shared/errors';

/** The server answered, but with an error status; its text's key and params come along for the renderer. */
export class ServerHttpError extends KeyedError {
  constructor(
    readonly status: number,
    /** The server's error code (`unauthenticated`, `too_many_requests`, …) or `http_<status>` if it sent none. */
    readonly code: string,
    text: string | ErrorText,
  ) {
    super(text);
    this.name = 'ServerHttpError';
  }
}

/** No answer: refused connection, DNS failure, timeout, or a body that was not what we expect. */
export class ServerUnreachableError extends KeyedError {
  constructor(text: string | ErrorText, options?: { cause?: unknown }) {
    super(text, options);
    this.name = 'ServerUnreachableError';
  }
}

/** The server answered 2xx with a body that does not match the contract (e.g. a version mismatch). */
export class ServerProtocolError extends KeyedError {
  constructor(text: string | ErrorText) {
    super(text);
    this.name = 'ServerProtocolError';
  }
}

export interface RequestOptions<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Bearer token; omitted for the public routes (/healthz, login). */
  token?: string | null;
  /** JSON body. */
  body?: unknown;
  /** Schema for a 2xx body. */
  schema: S;
  timeoutMs?: number;
  /** Cancels the request (a long-poll on close or sign-out); it then fails as ServerUnreachableError. */
  signal?: AbortSignal;
}

export interface ServerClient {
  readonly baseUrl: string;
  /** Sends one request and returns the parsed body; throws the errors above. */
  request<S extends z.ZodType>(path: string, options: RequestOptions<S>): Promise<z.output<S>>;
  /** True when GET /healthz answers `{"ok":true}` within the timeout. */
  isHealthy(timeoutMs?: number): Promise<boolean>;
}

export interface ServerClientOptions {
  /** Per-request timeout unless the call gives one. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Normalises `http://host:port/` to `http://host:port` and refuses anything but http(s). */
export function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiFailure('invalid_input', errorText('client.serverUrlInvalid', { url: raw }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiFailure('invalid_input', errorText('client.serverUrlScheme', { url: raw }));
  return url.toString().replace(/\/+$/, '');
}

export function createServerClient(serverUrl: string, options: ServerClientOptions = {}): ServerClient {
  const baseUrl = normaliseServerUrl(serverUrl);
  const doFetch = options.fetch ?? fetch;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function request<S extends z.ZodType>(path: string, opts: RequestOptions<S>): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method: opts.method ?? 'GET',
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal
          ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? defaultTimeout)])
          : AbortSignal.timeout(opts.timeoutMs ?? defaultTimeout),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      throw new ServerUnreachableError(errorText('client.unreachableAt', { url: baseUrl }), { cause: error });
    }
    const json = parseJson(text);
    if (!response.ok) {
      const body = HttpErrorBodySchema.safeParse(json);
      if (body.success) throw new ServerHttpError(response.status, body.data.error.code, body.data.error);
      throw new ServerHttpError(response.status, `http_${response.status}`, errorText('client.serverStatus', { status: response.status }));
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) throw new ServerProtocolError(errorText('client.protocolMismatch', { path }));
    return parsed.data;
  }

  return {
    baseUrl,
    request,
    async isHealthy(timeoutMs = 5_000) {
      try {
        await request('/healthz', { schema: HealthResponseSchema, timeoutMs });
        return true;
      } catch {
        return false;
      }
    },
  };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
