/**
 * Results cross every process boundary (IPC, the web host's WebSocket) as data, never as thrown
 * errors: a renderer can always show `error.message` to the person and branch on `error.code`.
 */
import { z } from 'zod';

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

export const ApiErrorSchema = z.object({ code: ApiErrorCodeSchema, message: z.string() });
export type ApiError = z.infer<typeof ApiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ApiErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

/** Thrown by a service to end a call with a specific error code; the dispatcher turns it into data. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}
