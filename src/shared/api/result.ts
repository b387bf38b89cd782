/**
 * Results cross every process boundary (IPC, the web host's WebSocket) as data, never as thrown
 * errors: a renderer branches on `error.code` and words the error by `key`/`params` in the person's
 * language (src/shared/errors), falling back to the zh-CN `message` when there is no key.
 */
import { z } from 'zod';
import { ErrorTextFieldsSchema, KeyedError, asErrorText, keyFields, type ErrorText } from '../errors';

export const ApiErrorCodeSchema = z.enum([
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'offline',
  'rejected',
  'unavailable',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiErrorSchema = z.object({ code: ApiErrorCodeSchema, message: z.string() }).extend(ErrorTextFieldsSchema.shape);
export type ApiError = z.infer<typeof ApiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
/** A failed result; `text` is a catalogue text (errorText(…)), or a plain message a peer gave. */
export const fail = (code: ApiErrorCode, text: string | ErrorText): Result<never> => {
  const { message } = asErrorText(text);
  return { ok: false, error: { code, message, ...keyFields(asErrorText(text)) } };
};

/** Thrown by a service to end a call with a specific error code; the dispatcher turns it into data. */
export class ApiFailure extends KeyedError {
  constructor(
    readonly code: ApiErrorCode,
    text: string | ErrorText,
  ) {
    super(text);
    this.name = 'ApiFailure';
  }
}
