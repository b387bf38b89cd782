/**
 * Builds the main-process services for one app instance. The Electron shell and the web host both
 * call `createAppServices` with their AppHost and get the same services behind one dispatcher; only
 * the transport to the renderer differs. Wiring of further services (replica, sync, outbox,
 * diagnostics) goes here, each given what it needs from the host and the session.
 */
import { apiContract, type HandlersOf } from '../../shared/api';
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
import { createMessagingService, type MessagingService } from './messaging';

export interface AppServicesOptions {
  /** Replaces the /healthz monitor as the source of the 在线/离线 state (the sync connection, later). */
  connection?: ConnectionSource;
  /** Where unexpected handler errors are logged. */
  logError?: (channel: string, error: unknown) => void;
  /** 导出诊断信息; the Electron shell passes one with its versions and deployment file. */
  diagnostics?: DiagnosticsService;
  /** 设置 under the deployment policy; the Electron shell passes one built from deployment.json. */
  settings?: SettingsService;
}

/** The context every handler receives; empty for now, room for the calling window's identity. */
export type CallContext = Record<string, never>;

export function createAppServices(host: AppHost, options: AppServicesOptions = {}): Promise<AppServices> {
  const serverClient = createServerClient(host.serverUrl);
  // Set right below; the outbox reports only after a sign-in, long after this function returned.
  let documents: DocumentServices | null = null;
  let messaging: MessagingService | null = null;
  const offline = createOfflineController({
    userDataDir: host.userDataDir,
    serverUrl: host.serverUrl,
    fallback: options.connection ?? createReachabilityMonitor({ isReachable: () => serverClient.isHealthy() }),
    onOutboxChanged: (entry) => {
      host.emit('outboxChanged', entry);
      documents?.documents.outboxChanged(entry);
      messaging?.outboxChanged(entry);
    },
    onRoomUpdate: (room, update) => host.emit('roomUpdate', { room, update }),
    onError: (error) => console.error('[offline]', error),
  });
  // The 在线/离线 indicator follows the open rooms' sync connections (the /healthz probe when none is open).
  const connection = offline.connection;
  const session = createSessionService({
    userDataDir: host.userDataDir,
    secrets: host.secrets,
    emit: host.emit,
    client: serverClient,
    connection,
  });
  offline.attach(session);
  documents = createDocumentServices({ serverClient, session, offline, emit: host.emit });
  messaging = createMessagingService({ serverClient, session, offline, emit: host.emit, ...(host.notify ? { notify: host.notify } : {}) });

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
    attachments: createAttachmentsHandlers({ serverClient, session, offline, documents: documents.documents }),
    seals: createSealsServices({ serverClient, session }),
    delegations: createDelegationsServices({ serverClient, session }),
    messaging: messaging.handlers,
  };

  const dispatcher = createDispatcher(apiContract, handlers, {}, {
    logError: options.logError ?? ((channel, error) => console.error(`[services] ${channel}:`, error)),
  });

  return Promise.resolve({
    dispatcher,
    session,
    serverClient,
    async close() {
      documents?.close();
      await messaging?.close();
      await offline.close();
      await session.close();
    },
  });
}
