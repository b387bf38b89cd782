/**
 * WebSocket endpoints other than the Yjs rooms (`/sync/…`): a module registers its path here
 * (`deps.upgrades.register('/chat', handler)`) and the server hands it every upgrade request for
 * that exact path. An upgrade for a path nobody registered is answered 404.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export class UpgradeRoutes {
  private readonly handlers = new Map<string, UpgradeHandler>();

  /** Registers the handler of one path (e.g. `/chat`); a path has exactly one handler. */
  register(path: string, handler: UpgradeHandler): void {
    if (!path.startsWith('/') || path.startsWith('/sync/')) throw new Error(`invalid upgrade path: ${path}`);
    if (this.handlers.has(path)) throw new Error(`upgrade path registered twice: ${path}`);
    this.handlers.set(path, handler);
  }

  /** The handler of `pathname`, if any. */
  find(pathname: string): UpgradeHandler | undefined {
    return this.handlers.get(pathname);
  }
}
