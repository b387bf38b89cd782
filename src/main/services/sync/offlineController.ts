/**
 * Ties the offline services to the session: when a person signs in, their own replica
 * (`<userData>/users/<userId>`, so two people sharing a computer never see each other's cache)
 * is opened with the sync client and outbox; when they sign out it is closed (what is queued
 * stays on disk for their next sign-in). It also provides the session's ConnectionSource: the
 * state of the open rooms' sync connections while any is open, the /healthz probe otherwise.
 */
import { join } from 'node:path';
import type { ConnectionState } from '../../../shared/api/session.contract';
import type { OutboxEntry, RoomRefusal } from '../../../shared/api/offline.contract';
import { ApiFailure } from '../../../shared/api/result';
import type { ConnectionSource } from '../session/connectionMonitor';
import { createOfflineServices, type OfflineServices } from './offlineServices';
import { errorText, type ErrorText } from '../../../shared/errors';

/** The part of the session service the offline services use. */
export interface OfflineSession {
  token(): string | null;
  current(): { readonly user: { readonly id: string } } | null;
  reportUnauthorized(reason?: string | ErrorText): void;
  onSessionChange(listener: (session: { readonly user: { readonly id: string } } | null) => void): () => void;
}

export interface OfflineControllerOptions {
  readonly userDataDir: string;
  readonly serverUrl: string;
  /** The /healthz monitor: decides 在线/离线 while no room is open. */
  readonly fallback: ConnectionSource;
  readonly onOutboxChanged?: (entry: OutboxEntry) => void;
  readonly onRoomUpdate?: (room: string, update: string) => void;
  readonly onRoomRefused?: (room: string, reason: RoomRefusal) => void;
  readonly onRoomAwareness?: (room: string, update: string) => void;
  readonly onError?: (error: unknown) => void;
}

export interface OfflineController {
  /** Give this to the session service as its `connection`. */
  readonly connection: ConnectionSource;
  /** Starts following the session (call once, right after creating the session service). */
  attach(session: OfflineSession): void;
  /** The signed-in person's offline services, or null. */
  current(): OfflineServices | null;
  /** Resolves once a pending sign-in or sign-out has opened or closed the services. */
  ready(): Promise<void>;
  /** Handlers of the `offline:*` calls; they fail with `unauthenticated` while signed out. */
  readonly handlers: OfflineServices['handlers'];
  close(): Promise<void>;
}

export function createOfflineController(options: OfflineControllerOptions): OfflineController {
  let services: OfflineServices | null = null;
  let userId: string | null = null;
  /** Serialises opening and closing, so a quick sign-out/sign-in never runs two at once. */
  let switching: Promise<void> = Promise.resolve();
  let session: OfflineSession | null = null;
  let closed = false;

  const listeners = new Set<(state: ConnectionState) => void>();
  let unsubscribeSync: (() => void) | null = null;
  const compute = (): ConnectionState => (services && services.sync.openRooms > 0 ? services.sync.state : options.fallback.state);
  let state = compute();
  const update = (): void => {
    const next = compute();
    if (next === state) return;
    state = next;
    for (const listener of [...listeners]) listener(next);
  };
  const offFallback = options.fallback.subscribe(update);

  const connection: ConnectionSource = {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportFailure: () => options.fallback.reportFailure(),
    reportSuccess: () => options.fallback.reportSuccess(),
    close() {
      offFallback();
      options.fallback.close();
    },
  };

  const stop = async (): Promise<void> => {
    const running = services;
    services = null;
    userId = null;
    unsubscribeSync?.();
    unsubscribeSync = null;
    update();
    if (running) await running.close();
  };

  const start = async (forUser: string): Promise<void> => {
    if (closed) return;
    const opened = await createOfflineServices({
      userDataDir: join(options.userDataDir, 'users', encodeURIComponent(forUser)),
      serverUrl: options.serverUrl,
      getToken: () => session?.token() ?? null,
      currentUserId: () => forUser,
      onSignedOut: (reason, text) => session?.reportUnauthorized(text ?? reason),
      onReachability: (reachable) => (reachable ? options.fallback.reportSuccess() : options.fallback.reportFailure()),
      onOutboxChanged: options.onOutboxChanged,
      onRoomUpdate: options.onRoomUpdate,
      onRoomRefused: options.onRoomRefused,
      onRoomAwareness: options.onRoomAwareness,
      onError: options.onError,
    });
    if (closed) {
      await opened.close();
      return;
    }
    services = opened;
    userId = forUser;
    unsubscribeSync = opened.sync.subscribe((syncState) => {
      if (syncState === 'offline') options.fallback.reportFailure();
      update();
    });
    update();
  };

  const follow = (next: { readonly user: { readonly id: string } } | null): void => {
    switching = switching
      .then(async () => {
        const nextUser = next?.user.id ?? null;
        if (nextUser === userId) {
          // Same person, new token (signed in again): reconnect and send what waited.
          services?.resume();
          return;
        }
        await stop();
        if (nextUser) await start(nextUser);
      })
      .catch((error: unknown) => options.onError?.(error));
  };

  const require = async (): Promise<OfflineServices> => {
    await switching;
    if (!services) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    return services;
  };

  return {
    connection,
    attach(target) {
      session = target;
      target.onSessionChange(follow);
      follow(target.current());
    },
    current: () => services,
    ready: () => switching,
    handlers: {
      box: async (input, ctx) => (await require()).handlers.box(input, ctx),
      search: async (input, ctx) => (await require()).handlers.search(input, ctx),
      outbox: async (input, ctx) => (await require()).handlers.outbox(input, ctx),
      enqueue: async (input, ctx) => (await require()).handlers.enqueue(input, ctx),
      openRoom: async (input, ctx) => {
        const result = await (await require()).handlers.openRoom(input, ctx);
        update();
        return result;
      },
      updateRoom: async (input, ctx) => (await require()).handlers.updateRoom(input, ctx),
      roomAwareness: async (input, ctx) => (await require()).handlers.roomAwareness(input, ctx),
      closeRoom: async (input, ctx) => {
        const result = await (await require()).handlers.closeRoom(input, ctx);
        update();
        return result;
      },
    },
    async close() {
      closed = true;
      await switching;
      await stop();
      connection.close();
    },
  };
}
