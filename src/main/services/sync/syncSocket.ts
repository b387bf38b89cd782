/**
 * The WebSocket the y-websocket provider uses in Node: `ws`, plus one thing the provider cannot
 * see on its own — the HTTP status when the server refuses the upgrade. A refused upgrade (401
 * without a valid token, 403 without access to the room) otherwise looks exactly like a network
 * failure (close 1006) and would be retried forever; with the status the sync client can ask for
 * a new token or tell the person to sign in again.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export class SyncSocket extends WebSocket {
  /** The HTTP status of a refused upgrade, or null. */
  rejectedStatus: number | null = null;

  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { handshakeTimeout: 10_000 });
    this.on('unexpected-response', (request: ClientRequest, response: IncomingMessage) => {
      this.rejectedStatus = response.statusCode ?? null;
      response.resume();
      // Ends the handshake; `ws` then reports the close (1006) the provider reacts to.
      request.destroy();
      this.terminate();
    });
  }
}

/** Close codes the sync server uses (INTERFACES.md), and the HTTP statuses of a refused upgrade. */
export const isUnauthorized = (code: number | null, status: number | null): boolean => code === 4401 || status === 401;
export const isForbidden = (code: number | null, status: number | null): boolean => code === 4403 || status === 403;
