/**
 * Documents for the renderer: the handlers of documents/exchange/directory/outbox and 用印, built
 * on OFFLINE's per-person offline services (replica, outbox, search). `createDocumentServices`
 * composes them for one app instance (src/main/services/app.ts).
 */
import type { EventSink } from '../appServices';
import type { ServerClient } from '../serverClient';
import type { SessionService } from '../session';
import type { OfflineController } from '../sync/offlineController';
import { createSealingHandlers, type SealingHandlers } from '../sealing/sealingService';
import { createDocumentsService, type DocumentHandlers, type DocumentsService } from './documentsService';
import { createServerCalls } from './serverCalls';

export { createDocumentsService, type DocumentHandlers, type DocumentsService } from './documentsService';
export { createServerCalls, type ServerCalls } from './serverCalls';

export interface DocumentServicesOptions {
  readonly serverClient: ServerClient;
  readonly session: SessionService;
  readonly offline: OfflineController;
  readonly emit: EventSink;
  /** How often 待办 is re-read while online (default 15 s). */
  readonly pollIntervalMs?: number;
}

export interface DocumentServices {
  readonly documents: DocumentsService;
  readonly handlers: DocumentHandlers & { sealing: SealingHandlers };
  close(): void;
}

export function createDocumentServices(options: DocumentServicesOptions): DocumentServices {
  const { session, offline } = options;
  const server = createServerCalls({
    client: options.serverClient,
    token: () => session.token(),
    onUnauthorized: (reason) => session.reportUnauthorized(reason),
    onUnreachable: () => offline.connection.reportFailure(),
  });
  const documents = createDocumentsService({
    server,
    offline: () => offline.current(),
    emit: options.emit,
    isOnline: () => offline.connection.state === 'online',
    isSignedIn: () => session.current() != null,
    userId: () => session.current()?.user.id ?? null,
    pollIntervalMs: options.pollIntervalMs,
  });
  const sealing = createSealingHandlers({ server, documents, unitName: () => session.current()?.user.unitName ?? null });

  // Back online or signed in again: re-read 待办 at once rather than at the next tick.
  const offConnection = offline.connection.subscribe((state) => {
    if (state === 'online') documents.refresh();
  });
  const offSession = session.onSessionChange((current) => {
    if (current) documents.refresh();
  });

  return {
    documents,
    handlers: { ...documents.handlers, sealing },
    close() {
      offConnection();
      offSession();
      documents.close();
    },
  };
}
