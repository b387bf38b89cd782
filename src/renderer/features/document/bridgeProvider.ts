/**
 * A Yjs provider for Lexical's CollaborationPlugin that speaks to main instead of the network:
 * main owns the sync connection and the replica (OFFLINE's `offline:*` room calls), so the body can
 * be edited offline and every edit is stored before it is sent. Local updates go to main in order;
 * remote ones arrive as `roomUpdate` events.
 */
import type { Provider } from '@lexical/yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { XietongApi } from '../../../shared/api';
import type { RoomRefusal } from '../../../shared/api/offline.contract';
import type { ErrorText } from '../../../shared/errors';
import { fromBase64, toBase64 } from './base64';

type Listener = (...args: never[]) => void;
type EventName = 'sync' | 'status' | 'update' | 'reload';

/** What the provider needs of the API: the room calls and the remote-update event. */
export type RoomApi = Pick<XietongApi, 'offline' | 'on'>;

export class BridgeProvider implements Provider {
  /** y-protocols' Awareness (what y-websocket uses); Lexical types only the user-state fields it reads. */
  readonly awareness: Provider['awareness'];
  private readonly yAwareness: Awareness;
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private offRemote: (() => void) | null = null;
  private offRefused: (() => void) | null = null;
  private offPresence: (() => void) | null = null;
  /** Resolves once main has the room open (presence waits for it; edits wait in `sending`). */
  private opened: Promise<boolean> = Promise.resolve(false);
  /** The last presence sent (closing the room waits for it, so our leaving reaches the others). */
  private presenceSent: Promise<void> = Promise.resolve();
  private sending: Promise<void> = Promise.resolve();
  private connected = false;
  /**
   * Called just before a remote edit is applied: the editor adopts the caret the person sees, so
   * Lexical's collaboration does not restore one the browser has not reported yet.
   */
  beforeRemoteUpdate: (() => void) | null = null;
  /** Marks updates that came from main, so they are not sent back. */
  private readonly remoteOrigin = Symbol('remote');

  constructor(
    private readonly api: RoomApi,
    private readonly room: string,
    readonly doc: Y.Doc,
    /** A failed call, as key/params and message; the owner words it in the person's language. */
    private readonly onError: (error: ErrorText) => void,
    /** The server refused this person's edits to the room (the document moved on). */
    private readonly onRefused?: (reason: RoomRefusal) => void,
  ) {
    this.yAwareness = new Awareness(doc);
    this.awareness = this.yAwareness as unknown as Provider['awareness'];
    doc.on('update', this.handleLocalUpdate);
    this.yAwareness.on('update', this.handleLocalPresence);
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    this.connected = true;
    this.offRemote = this.api.on('roomUpdate', (payload) => {
      if (payload.room !== this.room) return;
      this.beforeRemoteUpdate?.();
      Y.applyUpdate(this.doc, fromBase64(payload.update), this.remoteOrigin);
    });
    this.offRefused = this.api.on('roomRefused', (payload) => {
      if (payload.room === this.room) this.onRefused?.(payload.reason);
    });
    this.offPresence = this.api.on('roomAwareness', (payload) => {
      if (payload.room === this.room) applyAwarenessUpdate(this.yAwareness, fromBase64(payload.update), this.remoteOrigin);
    });
    const opening = this.api.offline.openRoom({ room: this.room });
    this.opened = opening.then((r) => r.ok);
    // Local edits made meanwhile wait for the room to be open in main.
    this.sending = opening.then(() => undefined);
    const opened = await opening;
    if (!opened.ok) {
      this.onError(opened.error);
      this.emit('status', { status: 'disconnected' });
      return;
    }
    Y.applyUpdate(this.doc, fromBase64(opened.value.state), this.remoteOrigin);
    this.emit('status', { status: 'connected' });
    this.emit('sync', true);
    // Our presence as it is now (the editor may have set it before the room was open).
    if (this.yAwareness.getLocalState() !== null) this.sendPresence();
  }

  disconnect(): void {
    if (!this.connected) return;
    // Leaving: the others stop seeing our caret now, not when the presence times out.
    removeAwarenessStates(this.yAwareness, [this.doc.clientID], 'leaving');
    this.connected = false;
    this.offPresence?.();
    this.offPresence = null;
    const left = this.presenceSent;
    this.offRemote?.();
    this.offRemote = null;
    this.offRefused?.();
    this.offRefused = null;
    // Close after whatever is still being sent, so no edit is cut off.
    this.sending = this.sending.then(async () => {
      await left;
      await this.api.offline.closeRoom({ room: this.room });
    });
  }

  /** Resolves once every local edit so far is stored by main (and so on its way to the server). */
  flush(): Promise<void> {
    return this.sending;
  }

  /** Stops listening to the doc for good (the editor unmounted). */
  destroy(): void {
    this.disconnect();
    this.doc.off('update', this.handleLocalUpdate);
    this.yAwareness.off('update', this.handleLocalPresence);
    this.yAwareness.destroy();
  }

  on(type: EventName, cb: Listener): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(cb);
  }

  off(type: EventName, cb: Listener): void {
    this.listeners.get(type)?.delete(cb);
  }

  private emit(type: EventName, value: unknown): void {
    for (const cb of [...(this.listeners.get(type) ?? [])]) (cb as (value: unknown) => void)(value);
  }

  /** Our own presence changed (caret, selection, leaving): main relays it to the server. */
  private readonly handleLocalPresence = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === this.remoteOrigin || !this.connected) return;
    if (added.concat(updated, removed).includes(this.doc.clientID)) this.sendPresence();
  };

  private sendPresence(): void {
    const update = toBase64(encodeAwarenessUpdate(this.yAwareness, [this.doc.clientID]));
    this.presenceSent = this.opened.then(async (open) => {
      // Presence is best effort: a lost one is renewed by the awareness heartbeat.
      if (open) await this.api.offline.roomAwareness({ room: this.room, update });
    }).catch(() => undefined);
  }

  private readonly handleLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.remoteOrigin || !this.connected) return;
    const encoded = toBase64(update);
    // One at a time, in order: main appends each to the replica before sending it on.
    this.sending = this.sending.then(async () => {
      const result = await this.api.offline.updateRoom({ room: this.room, update: encoded });
      if (!result.ok) this.onError(result.error);
    });
  };
}
