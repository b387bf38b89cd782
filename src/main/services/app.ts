/**
 * Builds the main-process services for one app instance. The Electron shell and the web host both
 * call `createAppServices` with their AppHost and get the same services behind one dispatcher; only
 * the transport to the renderer differs. Wiring of further services (replica, sync, outbox,
 * diagnostics) goes here, each given what it needs from the host and the session.
 */
import { join } from 'node:path';
import { apiContract, type HandlersOf } from '../../shared/api';
import type { UkeyModule } from '../../shared/deployment';
import { createDispatcher } from './api/dispatcher';
import type { AppHost, AppServices } from './appServices';
import { createServerClient } from './serverClient';
import { createDiagnosticsHandlers, defaultDiagnosticsService, type DiagnosticsService } from './diagnostics';
import { createSettingsHandlers, defaultSettingsService, type SettingsService } from './deployment';
import { createReachabilityMonitor, createSessionService, type ConnectionSource } from './session';
import { createOfflineController } from './sync/offlineController';
import { createDocumentServices, type DocumentServices } from './documents';
import { createSealsServices } from './seals';
import { createAttachmentsHandlers } from './attachments';
import { createDelegationsServices } from './delegations';
import { createVoiceHandlers } from './voice';
import { createRevisionsServices } from './revisions';
import { countByPages, createBadgeService, type BadgeSources } from './badge';
import { browserUpdates, createUpdatesHandlers, type UpdatesService } from './updates';
import type { EventSink } from './appServices';
import { createFileUploadSpool, createMessagingService, type MessagingService } from './messaging';

export interface AppServicesOptions {
  /** Replaces the /healthz monitor as the source of the 在线/离线 state (the sync connection, later). */
  connection?: ConnectionSource;
  /** Where unexpected handler errors are logged. */
  logError?: (channel: string, error: unknown) => void;
  /** 导出诊断信息; the Electron shell passes one with its versions and deployment file. */
  diagnostics?: DiagnosticsService;
  /** 设置 under the deployment policy; the Electron shell passes one built from deployment.json. */
  settings?: SettingsService;
  /**
   * Prints the window through the host's own dialog (the Electron shell: `webContents.print`);
   * resolves once the job is sent or cancelled. Absent in the web host: the page prints itself.
   */
  print?: () => Promise<void>;
  /** 检查更新; the Electron shell passes electron-updater's, the web host answers that the browser updates with the server. */
  updates?: UpdatesService;
  /** The UKey (PKCS#11) drivers the deployment allows for 批量签批 (deployment.json `ukeyModules`). */
  ukeyModules?: readonly UkeyModule[];
  /** Unread messages for the badge, once messaging provides them. */
  unreadMessages?: BadgeSources['unreadMessages'];
}

/** The context every handler receives; empty for now, room for the calling window's identity. */
export type CallContext = Record<string, never>;

export function createAppServices(host: AppHost, options: AppServicesOptions = {}): Promise<AppServices> {
  const serverClient = createServerClient(host.serverUrl);
  // Every event still goes to the renderer; those that can move the 待办 count also re-read it.
  let refreshBadge = (): void => undefined;
  const emit: EventSink = (event, payload) => {
    host.emit(event, payload);
    if (event === 'documentsChanged' || event === 'exchangeChanged' || event === 'signedOut' || event === 'messagingChanged' || event === 'messagingRead') refreshBadge();
  };
  // Set right below; the outbox reports only after a sign-in, long after this function returned.
  let documents: DocumentServices | null = null;
  let messaging: MessagingService | null = null;
  const offline = createOfflineController({
    userDataDir: host.userDataDir,
    serverUrl: host.serverUrl,
    fallback: options.connection ?? createReachabilityMonitor({ isReachable: () => serverClient.isHealthy() }),
    onOutboxChanged: (entry) => {
      emit('outboxChanged', entry);
      documents?.documents.outboxChanged(entry);
      documents?.batchSignoff.outboxChanged(entry);
      messaging?.outboxChanged(entry);
    },
    onRoomUpdate: (room, update) => emit('roomUpdate', { room, update }),
    onRoomRefused: (room, reason) => emit('roomRefused', { room, reason }),
    onRoomAwareness: (room, update) => emit('roomAwareness', { room, update }),
    onError: (error) => console.error('[offline]', error),
  });
  // The 在线/离线 indicator follows the open rooms' sync connections (the /healthz probe when none is open).
  const connection = offline.connection;
  const session = createSessionService({
    userDataDir: host.userDataDir,
    secrets: host.secrets,
    emit,
    client: serverClient,
    connection,
  });
  offline.attach(session);
  const documentServices = createDocumentServices({ serverClient, session, offline, emit, ...(options.ukeyModules ? { ukeyModules: options.ukeyModules } : {}) });
  documents = documentServices;
  const messagingService = createMessagingService({
    serverClient,
    session,
    offline,
    emit,
    // Files sent in chunks wait here (on disk, not in main's memory) until they go to the server.
    uploadSpool: createFileUploadSpool(join(host.userDataDir, 'uploads')),
    ...(host.notify ? { notify: host.notify } : {}),
  });
  messaging = messagingService;

  const badge = createBadgeService(
    {
      todoCount: () =>
        session.current() == null ? Promise.resolve(0) : countByPages(async (cursor) => documentServices.handlers.documents.list({ box: 'todo', ...(cursor ? { cursor } : {}) }, {})),
      // Unread messages: what the 消息 list shows, summed over conversations not set to 免打扰.
      unreadMessages:
        options.unreadMessages ??
        (async () => {
          if (session.current() == null) return 0;
          const { items } = await messagingService.handlers.conversations({}, {});
          return items.reduce((sum, conversation) => sum + (conversation.muted ? 0 : conversation.unread), 0);
        }),
    },
    (error) => console.error('[badge]', error),
  );
  badge.subscribe((count) => host.emit('badgeChanged', count));
  refreshBadge = () => void badge.refresh();
  const offBadgeSession = session.onSessionChange(() => refreshBadge());
  refreshBadge();

  const handlers: HandlersOf<typeof apiContract, CallContext> = {
    session: {
      login: (input) => session.login(input),
      changePassword: (input) => session.changePassword(input),
      logout: async () => {
        await session.logout();
        return {};
      },
      current: () => Promise.resolve(session.current()),
      connection: () => Promise.resolve({ state: session.connectionState() }),
    },
    diagnostics: createDiagnosticsHandlers(options.diagnostics ?? defaultDiagnosticsService(host)),
    settings: createSettingsHandlers(options.settings ?? defaultSettingsService(host)),
    offline: offline.handlers,
    ...documents.handlers,
    attachments: createAttachmentsHandlers({ serverClient, session, offline, documents: documents.documents, local: () => offline.current() }),
    seals: createSealsServices({ serverClient, session }),
    delegations: createDelegationsServices({ serverClient, session }),
    window: {
      print: async () => {
        if (!options.print) return { handled: false };
        await options.print();
        return { handled: true };
      },
    },
    voice: createVoiceHandlers({
      serverUrl: serverClient.baseUrl,
      session,
      replica: () => offline.current()?.replica ?? null,
      reportUnreachable: () => offline.connection.reportFailure(),
    }),
    badge: { get: () => badge.refresh() },
    updates: createUpdatesHandlers(options.updates ?? browserUpdates),
    messaging: messagingService.handlers,
    revisions: createRevisionsServices({ serverClient, session }),
  };

  const dispatcher = createDispatcher(apiContract, handlers, {}, {
    logError: options.logError ?? ((channel, error) => console.error(`[services] ${channel}:`, error)),
  });

  return Promise.resolve({
    dispatcher,
    session,
    serverClient,
    badge,
    async close() {
      offBadgeSession();
      badge.close();
      documents?.close();
      await messaging?.close();
      await offline.close();
      await session.close();
    },
  });
}
