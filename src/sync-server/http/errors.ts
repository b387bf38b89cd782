/**
 * Errors a route throws to end a request with a specific status. Anything else thrown becomes a 500
 * with a generic message (details go to the log, never to the client).
 */
import { httpStatusOfCode, type HttpErrorCode } from '../../shared/http/errors';
import { KeyedError, errorText, type ErrorText } from '../../shared/errors';

/** `text` is a catalogue text (errorText(…)) so clients can word it in the person's language. */
export class HttpError extends KeyedError {
  readonly status: number;
  constructor(
    readonly code: HttpErrorCode,
    text: string | ErrorText,
    options: { status?: number; retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(text);
    this.name = 'HttpError';
    this.status = options.status ?? httpStatusOfCode[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string> | undefined;
}

export const badRequest = (text: string | ErrorText): HttpError => new HttpError('invalid_input', text);
export const unauthenticated = (text: string | ErrorText = errorText('http.signInFirst')): HttpError => new HttpError('unauthenticated', text);
/** 403 with the reason the person may not do this, in words they understand. */
export const forbidden = (reason: string | ErrorText): HttpError => new HttpError('forbidden', reason);
export const notFound = (text: string | ErrorText = errorText('http.notFound')): HttpError => new HttpError('not_found', text);
export const conflict = (text: string | ErrorText): HttpError => new HttpError('conflict', text);
export const rejected = (text: string | ErrorText): HttpError => new HttpError('rejected', text);
