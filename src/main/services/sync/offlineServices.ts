/**
 * The offline services of one signed-in client, composed: the replica (worker thread), the Yjs
 * sync client, the outbox and search, plus the handlers of the `offline:*` calls the renderer
 * makes. The web host and the Electron shell get them through `createAppServices` (../app.ts);
 * tests and crash drills build them directly.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import type { offlineCalls, OutboxEntry, RoomRefusal } from '../../../shared/api/offline.contract';
import { openReplica, type Replica } from '../replica/replica';
import { Outbox } from '../outbox/outbox';
import { createHttpTransport } from '../outbox/httpTransport';
import type { CommandTransport } from '../outbox/transport';
import { createBodyIndexer, type BodyIndexer } from '../search/bodyIndexer';
import { createSearchService, type SearchService } from '../search/searchService';
import type { BackoffOptions } from './backoff';
import { SyncClient } from './syncClient';
import { encodeReason, errorText, errorTextOf, type ErrorText } from '../../../shared/errors';

export interface OfflineServicesOptions {
  /** The app's data folder; the replica lives in `<userDataDir>/replica`. */
  readonly userDataDir: string;
  readonly serverUrl: string;
  readonly getToken: () => string | null;
  readonly refreshToken?: () => Promise<string | null>;
  /** The signed-in person's id ('' when signed out). */
  readonly currentUserId: () => string;
  /** The server refused the token for good: end the session, show the login screen. */
  readonly onSignedOut: (reason: string, text?: ErrorText) => void;
  /** Whether a request reached the server (from the outbox), for the connection indicator. */
  readonly onReachability?: (reachable: boolean) => void;
  readonly onOutboxChanged?: (entry: OutboxEntry) => void;
  /** A stored remote update of a room the renderer has open (base64 for the bridge). */
  readonly onRoomUpdate?: (room: string, update: string) => void;
  /** The server refused this person's edits to a room the renderer may have open. */
  readonly onRoomRefused?: (room: string, reason: RoomRefusal) => void;
  /** Others' presence changed in a room the renderer has open (awareness update, base64). */
  readonly onRoomAwareness?: (room: string, update: string) => void;
  readonly onError?: (error: unknown) => void;
  /** Replaces HTTP (tests). */
  readonly transport?: CommandTransport;
  readonly backoff?: BackoffOptions;
  readonly compactThreshold?: number;
  /** How long one command request may take before it counts as unavailable (default 15 s). */
  readonly requestTimeoutMs?: number;
}

export interface OfflineServices {
  readonly replica: Replica;
  readonly sync: SyncClient;
  readonly outbox: Outbox;
  readonly search: SearchService;
  readonly bodyIndexer: BodyIndexer;
  /** Handlers of the `offline:*` calls. */
  readonly handlers: HandlersOf<{ offline: typeof offlineCalls }, unknown>['offline'];
  /** After a (new) sign-in: reconnect rooms and send what is waiting. */
  resume(): void;
  close(): Promise<void>;
}

const toBase64 = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export async function createOfflineServices(options: OfflineServicesOptions): Promise<OfflineServices> {
  const replica = await openReplica({
    dir: join(options.userDataDir, 'replica'),
    compactThreshold: options.compactThreshold,
    onBackgroundError: (message) => options.onError?.(new Error(message)),
  });
  const bodyIndexer = createBodyIndexer(replica, { onError: options.onError });
  const sync = new SyncClient({
    serverUrl: options.serverUrl,
    replica,
    getToken: options.getToken,
    refreshToken: options.refreshToken,
    onSignedOut: options.onSignedOut,
    onRoomChanged: (room, doc) => bodyIndexer.changed(room, doc),
    onRoomRefused: options.onRoomRefused,
    onError: options.onError,
    backoff: options.backoff,
  });
  /**
   * A draft created offline (`document.create`): its body's room waits until the server has the
   * document — held while the creation is pending or was refused, connected once it is sent.
   */
  const followCreation = (entry: OutboxEntry): void => {
    if (entry.command.type !== 'document.create') return;
    const room = `doc:${entry.command.documentId}`;
    if (entry.status === 'sent') void sync.unhold(room).catch((error: unknown) => options.onError?.(error));
    else sync.hold(room);
  };
  // From an earlier run: rooms of drafts whose creation has not reached the server stay held.
  for (const status of ['pending', 'rejected'] as const) for (const entry of await replica.listOutbox(status)) followCreation(entry);
  const outbox = new Outbox({
    replica,
    transport:
      options.transport ??
      createHttpTransport({
        serverUrl: options.serverUrl,
        getToken: options.getToken,
        readBlob: async (sha256) => (await replica.getBlob(sha256))?.data ?? null,
        timeoutMs: options.requestTimeoutMs,
      }),
    currentUserId: options.currentUserId,
    onChange: (entry) => {
      followCreation(entry);
      options.onOutboxChanged?.(entry);
    },
    onReachability: options.onReachability,
    onUnauthenticated: options.onSignedOut,
    onError: options.onError,
    retry: options.backoff,
    // A workflow step or signed PDF waits until the document's own edits are on the server: 提交
    // must not reach the server before the text it submits (after it, the body may be read-only).
    beforeSend: (command) =>
      command.type === 'document.action' || command.type === 'document.signedPdf' ? sync.roomSynced(`doc:${command.documentId}`, 10_000) : Promise.resolve(true),
  });
  const search = createSearchService(replica);

  // Coming back online (any room synced) is the moment to send what waited.
  const offState = sync.subscribe((state) => {
    if (state === 'online') void outbox.resume();
  });

  /** Rooms the renderer has open, and how to stop relaying each one's updates. */
  const relayed = new Map<string, () => void>();

  const handlers: OfflineServices['handlers'] = {
    box: (input) => replica.listBox(input.box, input.limit, input.after),
    search: (input) => search.search(input.query, input.limit),
    outbox: async (input) => ({ entries: await outbox.list(input.status) }),
    enqueue: (input) => outbox.enqueue(input.command),
    openRoom: async ({ room }) => {
      const handle = await sync.open(room);
      if (relayed.has(room)) await sync.release(room);
      else {
        const offUpdates = handle.onRemoteUpdate((update) => options.onRoomUpdate?.(room, toBase64(update)));
        const offPresence = handle.onRemoteAwareness((update) => options.onRoomAwareness?.(room, toBase64(update)));
        relayed.set(room, () => {
          offUpdates();
          offPresence();
        });
      }
      return { state: toBase64(Y.encodeStateAsUpdate(handle.doc)) };
    },
    updateRoom: async ({ room, update }) => {
      if (!relayed.has(room)) throw new ApiFailure('invalid_input', errorText('sync.roomNotOpen', { room }));
      const handle = await sync.open(room);
      try {
        await handle.applyLocal(fromBase64(update));
      } catch (error) {
        // A keyed failure goes inside as an encoded text, so it is worded in the person's language too.
        const text = errorTextOf(error);
        const reason = text.key === undefined ? text.message : encodeReason(text);
        throw new ApiFailure('internal', errorText('sync.saveFailed', { reason }));
      } finally {
        await sync.release(room);
      }
      return {};
    },
    roomAwareness: async ({ room, update }) => {
      if (!relayed.has(room)) throw new ApiFailure('invalid_input', errorText('sync.roomNotOpen', { room }));
      const handle = await sync.open(room);
      try {
        handle.applyLocalAwareness(fromBase64(update));
      } catch {
        throw new ApiFailure('invalid_input', errorText('sync.awarenessInvalid'));
      } finally {
        await sync.release(room);
      }
      return {};
    },
    closeRoom: async ({ room }) => {
      const stop = relayed.get(room);
      if (!stop) return {};
      relayed.delete(room);
      stop();
      await bodyIndexer.flush();
      await sync.release(room);
      return {};
    },
  };

  // Whatever the last run left pending goes out as soon as possible: edits first, then commands.
  void sync.syncUnsyncedRooms().catch((error: unknown) => options.onError?.(error));
  void outbox.flush();

  return {
    replica,
    sync,
    outbox,
    search,
    bodyIndexer,
    handlers,
    resume() {
      sync.resume();
      void outbox.resume();
    },
    async close() {
      offState();
      for (const stop of relayed.values()) stop();
      relayed.clear();
      await outbox.close();
      await sync.close();
      await bodyIndexer.flush();
      await replica.close();
    },
  };
}
