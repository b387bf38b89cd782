/**
 * The one error shape of the sync server's HTTP API: every non-2xx answer is
 * `{"error":{"code","message","key"?,"params"?}}`: a zh-CN message a person can read, and the
 * catalogue key (src/shared/errors) with its parameters so a client words it in the person's
 * language. Clients branch on `code`.
 */
import { z } from 'zod';
import { ErrorTextFieldsSchema } from '../errors/text';

export const HttpErrorCodeSchema = z.enum([
  'invalid_input', // 400
  'unauthenticated', // 401
  'forbidden', // 403
  'password_change_required', // 403: a one-time password must be replaced first
  'not_found', // 404
  'method_not_allowed', // 405
  'conflict', // 409
  'payload_too_large', // 413
  'unsupported_media_type', // 415
  'rejected', // 422
  'too_many_requests', // 429
  'internal', // 500
  'unavailable', // 503
]);
export type HttpErrorCode = z.infer<typeof HttpErrorCodeSchema>;

export const HttpErrorBodySchema = z.object({
  error: z.object({
    code: HttpErrorCodeSchema,
    message: z.string(),
    key: ErrorTextFieldsSchema.shape.key,
    params: ErrorTextFieldsSchema.shape.params,
    /** Seconds until a throttled request may be retried (429 only). */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
  }),
});
export type HttpErrorBody = z.infer<typeof HttpErrorBodySchema>;

/** The usual HTTP status of each error code. */
export const httpStatusOfCode: Record<HttpErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  password_change_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rejected: 422,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
};
