/**
 * Documents for the renderer: the handlers of documents/exchange/directory/outbox and 用印, built
 * on OFFLINE's per-person offline services (replica, outbox, search). `createDocumentServices`
 * composes them for one app instance (src/main/services/app.ts).
 */
import type { UkeyModule } from '../../../shared/deployment';
import type { EventSink } from '../appServices';
import type { ServerClient } from '../serverClient';
import type { SessionService } from '../session';
import type { OfflineController } from '../sync/offlineController';
import { createSealingHandlers, type SealingHandlers } from '../sealing/sealingService';
import { createBatchSignoffService, type BatchSignoffHandlers, type BatchSignoffService } from '../batchSignoff';
import { createDocumentsService, type DocumentHandlers, type DocumentsService } from './documentsService';
import { createServerCalls } from './serverCalls';

export { createDocumentsService, type DocumentHandlers, type DocumentsService } from './documentsService';
export { createServerCalls, type ServerCalls } from './serverCalls';

export interface DocumentServicesOptions {
  readonly serverClient: ServerClient;
  readonly session: SessionService;
  readonly offline: OfflineController;
  readonly emit: EventSink;
  /** The UKey drivers the deployment allows, for 批量签批. */
  readonly ukeyModules?: readonly UkeyModule[];
  /** How often 待办 is re-read when the server has no change feed (default 60 s). */
  readonly pollIntervalMs?: number;
}

export interface DocumentServices {
  readonly documents: DocumentsService;
  readonly handlers: DocumentHandlers & { sealing: SealingHandlers; batchSignoff: BatchSignoffHandlers };
  /** 批量签批; its `outboxChanged` is fed beside the documents service's. */
  readonly batchSignoff: BatchSignoffService;
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
    currentUser: () => session.current()?.user ?? null,
    pollIntervalMs: options.pollIntervalMs,
  });
  const sealing = createSealingHandlers({ server, documents, unitName: () => session.current()?.user.unitName ?? null });
  const batchSignoff = createBatchSignoffService({
    server,
    offline: () => offline.current(),
    emit: options.emit,
    person: () => {
      const user = session.current()?.user;
      return user ? { id: user.id, name: user.name, unitName: user.unitName } : null;
    },
    ukeyModules: () => options.ukeyModules ?? [],
  });

  // Every change of connection or session: follow the change feed again (from the person's own
  // cursor), or stop it — a signed-out or offline app keeps no long-poll open.
  const offConnection = offline.connection.subscribe(() => documents.refresh());
  const offSession = session.onSessionChange(() => documents.refresh());

  return {
    documents,
    handlers: { ...documents.handlers, sealing, batchSignoff: batchSignoff.handlers },
    batchSignoff,
    close() {
      offConnection();
      offSession();
      documents.close();
      batchSignoff.close();
    },
  };
}
