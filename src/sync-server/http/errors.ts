/**
 * Errors a route throws to end a request with a specific status. Anything else thrown becomes a 500
 * with a generic message (details go to the log, never to the client).
 */
import { httpStatusOfCode, type HttpErrorCode } from '../../shared/http/errors';

export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    options: { status?: number; retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = options.status ?? httpStatusOfCode[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string> | undefined;
}

export const badRequest = (message: string): HttpError => new HttpError('invalid_input', message);
export const unauthenticated = (message = '请先登录'): HttpError => new HttpError('unauthenticated', message);
/** 403 with the reason the person may not do this, in words they understand. */
export const forbidden = (reason: string): HttpError => new HttpError('forbidden', reason);
export const notFound = (message = '找不到请求的内容'): HttpError => new HttpError('not_found', message);
export const conflict = (message: string): HttpError => new HttpError('conflict', message);
export const rejected = (message: string): HttpError => new HttpError('rejected', message);
