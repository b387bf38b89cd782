/**
 * How an outbox command reaches the server. The outbox only needs to know which of four things
 * happened; the HTTP mapping (routes, status codes) lives in ./httpTransport.ts.
 */
import type { OutboxCommand } from '../../../shared/api/offline.contract';

/**
 * Every `reason` is stored as it is in the replica's outbox: an encoded text (src/shared/errors
 * `encodeReason`), the zh-CN message with its catalogue key, so the renderer can word it.
 */
export type SendOutcome =
  /** The server applied it now, or had already (same clientId). */
  | { readonly kind: 'applied'; readonly response: unknown }
  /** The server decided against it (not allowed, stale, invalid); `reason` is shown to the person. */
  | { readonly kind: 'rejected'; readonly reason: string }
  /** Not decided: no network, server down or overloaded. Try again later, in the same order. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** The token is no longer accepted: sign in again, then continue. */
  | { readonly kind: 'unauthenticated'; readonly reason: string };

export interface CommandTransport {
  /** Sends one command; `signal` aborts the attempt (it then counts as unavailable). */
  send(clientId: string, command: OutboxCommand, signal?: AbortSignal): Promise<SendOutcome>;
}
