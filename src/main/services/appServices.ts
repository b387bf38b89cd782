/**
 * What the main-process services offer to whichever shell hosts them: the Electron shell
 * (src/main/shell) or the web host (src/main/webHost). Both get the same object from
 * `createAppServices` in ./app.ts; neither knows the services' internals.
 */
import type { ApiEvents, EventPayloadOf } from '../../shared/api';
import type { Dispatcher } from './api/dispatcher';
import type { ServerClient } from './serverClient';
import type { SessionService } from './session';
import type { BadgeService } from './badge';
import type { ChatNotification } from './messaging/messagingService';

/** Pushes an event to the renderer(s) of this app instance. */
export type EventSink = <K extends keyof ApiEvents>(event: K, payload: EventPayloadOf<ApiEvents, K>) => void;

/** What the services need from their host; Electron supplies safeStorage, the web host a plain file. */
export interface AppHost {
  /** Folder for this installation's local data (the replica, settings, logs). */
  readonly userDataDir: string;
  /** The sync server to talk to, e.g. `http://127.0.0.1:8787`. */
  readonly serverUrl: string;
  /** Encrypts small secrets at rest (tokens); the web host may store them as-is in its data folder. */
  readonly secrets: SecretBox;
  /** Where pushed events go. */
  readonly emit: EventSink;
  /**
   * Shows a desktop notification (the Electron shell). Without it, new-message notifications go to
   * the renderer as the `messaging:notify` event and the browser shows them (the web host).
   */
  readonly notify?: (notification: ChatNotification) => void;
}

export interface SecretBox {
  /** True when `encrypt` really protects (an OS keychain); false for obfuscation or nothing. */
  readonly available: boolean;
  /**
   * The host accepts secrets kept unprotected when `available` is false (the web host: its data
   * folder is the only protection there is). Otherwise an unavailable box means tokens are not
   * written to disk at all, and a restart asks for the password again.
   */
  readonly allowUnprotected?: boolean;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export interface AppServices {
  readonly dispatcher: Dispatcher;
  /** The signed-in person, their token and the connection state; other services build on it. */
  readonly session: SessionService;
  /** HTTP to the sync server at `AppHost.serverUrl`. */
  readonly serverClient: ServerClient;
  /** The 待办 + unread count for the tray, the badge and the page title. */
  readonly badge: BadgeService;
  close(): Promise<void>;
}
