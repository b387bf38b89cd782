/**
 * A Yjs provider for Lexical's CollaborationPlugin that speaks to main instead of the network:
 * main owns the sync connection and the replica (OFFLINE's `offline:*` room calls), so the body can
 * be edited offline and every edit is stored before it is sent. Local updates go to main in order,
 * one call at a time: those made while a call is in flight are merged into the next call (a burst of
 * keystrokes costs one round trip, not one each), and whatever waits is sent at once when the page is
 * hidden or unloaded. Remote ones arrive as `roomUpdate` events.
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

/** The page whose lifecycle ends the editor; none when the provider runs in Node (integration tests). */
const browserPage = (): Window | null => (typeof window === 'undefined' ? null : window);

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
  /** Local updates not yet handed to main, oldest first. */
  private queued: Uint8Array[] = [];
  /** True while a drain of `queued` is scheduled or running (it ends when `queued` is empty). */
  private draining = false;
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
    /** Pauses before each new try of an edit main did not get (about 40 s in all by default). */
    private readonly retryDelaysMs: readonly number[] = [250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000],
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
      this.applyRemote(fromBase64(payload.update));
    });
    this.offRefused = this.api.on('roomRefused', (payload) => {
      if (payload.room === this.room) this.onRefused?.(payload.reason);
    });
    this.offPresence = this.api.on('roomAwareness', (payload) => {
      if (payload.room === this.room) applyAwarenessUpdate(this.yAwareness, fromBase64(payload.update), this.remoteOrigin);
    });
    const opening = this.api.offline.openRoom({ room: this.room });
    this.opened = opening.then((r) => r.ok);
    // Local edits made meanwhile wait for the room to be open in main (and for a close still on its way).
    this.sending = Promise.all([this.sending, opening]).then(() => undefined);
    const page = browserPage();
    page?.addEventListener('pagehide', this.sendQueuedNow);
    page?.document.addEventListener('visibilitychange', this.onVisibility);
    const opened = await opening;
    if (!opened.ok) {
      this.onError(opened.error);
      this.emit('status', { status: 'disconnected' });
      return;
    }
    this.applyRemote(fromBase64(opened.value.state));
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
    const page = browserPage();
    page?.removeEventListener('pagehide', this.sendQueuedNow);
    page?.document.removeEventListener('visibilitychange', this.onVisibility);
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

  /**
   * Applies an update from main without our `update` listener attached: Yjs encodes every
   * transaction again for `update` listeners, and ours ignores main's updates anyway — for a body
   * with a long history that second encoding was a good part of opening it.
   */
  private applyRemote(update: Uint8Array): void {
    this.doc.off('update', this.handleLocalUpdate);
    try {
      Y.applyUpdate(this.doc, update, this.remoteOrigin);
    } finally {
      this.doc.on('update', this.handleLocalUpdate);
    }
  }

  private readonly handleLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.remoteOrigin || !this.connected) return;
    this.queued.push(update);
    if (this.draining) return;
    this.draining = true;
    this.sending = this.sending.then(() => this.drain());
  };

  /**
   * Hands the queued updates to main one call at a time, in order: main appends each to the
   * replica before sending it on. Whatever queued up during a call goes as one merged update.
   */
  private async drain(): Promise<void> {
    try {
      // After an edit main could not take, the rest waits for the next edit rather than spinning.
      for (let call = this.takeQueued(); call; call = this.takeQueued()) if (!(await this.send(call))) break;
    } finally {
      this.draining = false;
    }
  }

  private takeQueued(): Uint8Array | null {
    const batch = this.queued.splice(0);
    if (batch.length === 0) return null;
    return batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
  }

  /**
   * Hands `update` to main. A call that did not get through (the web host's socket dropped, main
   * busy or restarting) is tried again with backoff, carrying the edits made meanwhile: an edit main
   * never stored would be lost, and every later one would wait in main for it. After the last try it
   * goes back to the head of the queue, so the next edit carries it, and the person is told (false:
   * stop draining). A refusal (the body is no longer theirs to edit, a bad update) is reported at
   * once and not repeated.
   */
  private async send(first: Uint8Array): Promise<boolean> {
    let update = first;
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.api.offline.updateRoom({ room: this.room, update: toBase64(update) });
      if (result.ok) return true;
      const transient = result.error.code === 'unavailable' || result.error.code === 'internal';
      if (!transient) {
        this.onError(result.error);
        return true;
      }
      if (attempt >= this.retryDelaysMs.length) {
        this.queued.unshift(update);
        this.onError(result.error);
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, this.retryDelaysMs[attempt]));
      const meanwhile = this.takeQueued();
      if (meanwhile) update = Y.mergeUpdates([update, meanwhile]);
    }
  }

  /**
   * The page is going away (closed, reloaded, or hidden and maybe never shown again): what waits
   * behind a call in flight is sent now rather than after its answer, which may never be read.
   * Yjs does not need the two in order (main holds an update until what it builds on arrives).
   */
  private readonly sendQueuedNow = (): void => {
    const update = this.takeQueued();
    if (!update) return;
    const sent = this.opened.then((open) => (open ? this.send(update) : undefined));
    this.sending = Promise.all([this.sending, sent]).then(() => undefined);
  };

  private readonly onVisibility = (): void => {
    if (browserPage()?.document.visibilityState === 'hidden') this.sendQueuedNow();
  };
}
