/**
 * The messages the web host's WebSocket bridge (`ws://<host>/bridge`) carries between the renderer
 * and the main-process services. They mirror Electron IPC: a request names a contract channel and
 * its raw input, the response carries the call's Result, and events are pushed by the services.
 * Both ends parse every message with these schemas: the socket is a trust boundary in both
 * directions (a bad page must not drive the services, a bad host must not crash the UI).
 */
import { z } from 'zod';
import { ApiErrorSchema } from './result';

/**
 * Largest message either side accepts. Most calls carry small JSON, but attachments and PDFs cross
 * as base64 (IPC carries them the same way), so the limit follows the server's 50 MB attachment
 * limit: its base64 plus room for the JSON around it. The bridge only listens on 127.0.0.1.
 */
export const BRIDGE_MAX_MESSAGE_BYTES = Math.ceil((50 * 1024 * 1024 * 4) / 3) + 64 * 1024;

/** The path the web host serves the bridge on. */
export const BRIDGE_PATH = '/bridge';

export const BridgeRequestIdSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const BridgeRequestSchema = z.object({
  id: BridgeRequestIdSchema,
  channel: z.string().min(1).max(128),
  input: z.unknown(),
});
export type BridgeRequest = z.infer<typeof BridgeRequestSchema>;

export const BridgeResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }),
]);

export const BridgeResponseSchema = z.object({
  /** The request's id; null when the request was too malformed to tell which one it was. */
  id: BridgeRequestIdSchema.nullable(),
  result: BridgeResultSchema,
});
export type BridgeResponse = z.infer<typeof BridgeResponseSchema>;

export const BridgeEventSchema = z.object({
  /** The event's channel, e.g. `session:connection-changed`. */
  event: z.string().min(1).max(128),
  payload: z.unknown(),
});
export type BridgeEvent = z.infer<typeof BridgeEventSchema>;

/** Anything the host may send to the renderer. */
export const BridgeServerMessageSchema = z.union([BridgeResponseSchema, BridgeEventSchema]);
export type BridgeServerMessage = z.infer<typeof BridgeServerMessageSchema>;

/** WebSocket close code the host uses when it refuses a connection (wrong Origin). */
export const BRIDGE_CLOSE_FORBIDDEN = 4403;
