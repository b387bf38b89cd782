/**
 * Delivery of messaging events to connected people, on this instance and (through Redis pub/sub)
 * on every other instance of the same deployment, and presence (在线 / 离开 / 离线) derived from
 * those connections.
 *
 * Callers publish only after the store's transaction has committed, so nothing is delivered that
 * is not stored. This instance's sockets are served at once; other instances get the event over one
 * Redis channel and serve their own sockets (an instance ignores its own events coming back).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { ChatServerMessageSchema, PresenceStateSchema, type ChatServerMessage, type PresenceState } from '../../shared/http/messaging';
import type { Logger } from '../log';

/** One connected socket as the hub sees it. */
export interface ChatConnection {
  readonly userId: string;
  readonly unitId: string;
  /** `online`, or `away` when the client said its person is away. */
  state: 'online' | 'away';
  /** Writes one serialised event; the connection decides what to do when its buffer is full. */
  send(text: string): void;
}

const BusEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), origin: z.string(), recipients: z.array(z.string()), event: ChatServerMessageSchema }),
  z.object({ kind: z.literal('presence'), origin: z.string(), userId: z.string(), unitId: z.string(), state: PresenceStateSchema }),
]);
type BusEvent = z.infer<typeof BusEventSchema>;

const rank: Record<PresenceState, number> = { offline: 0, away: 1, online: 2 };

export class ChatHub {
  readonly instanceId = randomUUID();
  private readonly byUser = new Map<string, Set<ChatConnection>>();
  /** Presence reported by other instances: instance → person → state. */
  private readonly remote = new Map<string, Map<string, PresenceState>>();
  private readonly publisher: Redis | null;
  private readonly subscriber: Redis | null;
  private readonly channel: string;
  private ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: Logger,
    redis?: { url: string; prefix: string },
  ) {
    this.channel = `${redis?.prefix ?? ''}messaging`;
    if (!redis) {
      this.publisher = null;
      this.subscriber = null;
      return;
    }
    this.publisher = new Redis(redis.url);
    this.publisher.on('error', (error: Error) => this.log.warn('messaging: redis publisher', { error: error.message }));
    // A subscribing connection can do nothing else, hence a second one. No ready check: its INFO
    // probe would race the SUBSCRIBE.
    this.subscriber = this.publisher.duplicate({ enableReadyCheck: false });
    this.subscriber.on('error', (error: Error) => this.log.warn('messaging: redis subscriber', { error: error.message }));
    this.subscriber.on('message', (_channel: string, text: string) => this.fromBus(text));
    this.ready = this.subscriber.subscribe(this.channel).then(() => undefined);
  }

  /** Resolves once events of other instances arrive here. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Sends `event` to every connection of every recipient, here and on the other instances. */
  async publish(recipients: readonly string[], event: ChatServerMessage): Promise<void> {
    this.deliverLocal(recipients, JSON.stringify(event));
    if (this.publisher) await this.publisher.publish(this.channel, JSON.stringify({ kind: 'event', origin: this.instanceId, recipients: [...recipients], event } satisfies BusEvent));
  }

  /** Registers a connection; announces the person's presence when it changed. */
  add(connection: ChatConnection): void {
    const before = this.localState(connection.userId);
    let set = this.byUser.get(connection.userId);
    if (!set) this.byUser.set(connection.userId, (set = new Set<ChatConnection>()));
    set.add(connection);
    this.presenceMaybeChanged(connection.userId, connection.unitId, before);
  }

  remove(connection: ChatConnection): void {
    const before = this.localState(connection.userId);
    const set = this.byUser.get(connection.userId);
    set?.delete(connection);
    if (set?.size === 0) this.byUser.delete(connection.userId);
    this.presenceMaybeChanged(connection.userId, connection.unitId, before);
  }

  /** A connection's person went away or came back. */
  setState(connection: ChatConnection, state: 'online' | 'away'): void {
    const before = this.localState(connection.userId);
    connection.state = state;
    this.presenceMaybeChanged(connection.userId, connection.unitId, before);
  }

  /** A person's presence across every instance: online if any device is, away if any is away, else offline. */
  presenceOf(userId: string): PresenceState {
    let best = this.localState(userId);
    for (const states of this.remote.values()) {
      const state = states.get(userId);
      if (state && rank[state] > rank[best]) best = state;
    }
    return best;
  }

  /** Everyone connected here (for the periodic token check and shutdown). */
  connections(): ChatConnection[] {
    return [...this.byUser.values()].flatMap((set) => [...set]);
  }

  connectionCount(): number {
    let count = 0;
    for (const set of this.byUser.values()) count += set.size;
    return count;
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
    await this.publisher?.quit().catch(() => undefined);
  }

  private localState(userId: string): PresenceState {
    const set = this.byUser.get(userId);
    if (!set || set.size === 0) return 'offline';
    for (const connection of set) if (connection.state === 'online') return 'online';
    return 'away';
  }

  private presenceMaybeChanged(userId: string, unitId: string, before: PresenceState): void {
    const after = this.localState(userId);
    if (after === before) return;
    this.announcePresence(userId, unitId);
    if (this.publisher) {
      void this.publisher
        .publish(this.channel, JSON.stringify({ kind: 'presence', origin: this.instanceId, userId, unitId, state: after } satisfies BusEvent))
        .catch((error: unknown) => this.log.warn('messaging: presence not published', { error: String(error) }));
    }
  }

  /** Presence goes to the connected people of the same unit (the people one chats with most). */
  private announcePresence(userId: string, unitId: string): void {
    const text = JSON.stringify({ type: 'presence', userId, state: this.presenceOf(userId) } satisfies ChatServerMessage);
    for (const set of this.byUser.values()) for (const connection of set) if (connection.unitId === unitId && connection.userId !== userId) connection.send(text);
  }

  private deliverLocal(recipients: readonly string[], text: string): void {
    for (const userId of new Set(recipients)) for (const connection of this.byUser.get(userId) ?? []) connection.send(text);
  }

  private fromBus(text: string): void {
    let parsed: BusEvent;
    try {
      parsed = BusEventSchema.parse(JSON.parse(text));
    } catch (error) {
      this.log.warn('messaging: malformed bus event ignored', { error: String(error) });
      return;
    }
    if (parsed.origin === this.instanceId) return;
    if (parsed.kind === 'event') {
      this.deliverLocal(parsed.recipients, JSON.stringify(parsed.event));
      return;
    }
    let states = this.remote.get(parsed.origin);
    if (!states) this.remote.set(parsed.origin, (states = new Map<string, PresenceState>()));
    if (parsed.state === 'offline') states.delete(parsed.userId);
    else states.set(parsed.userId, parsed.state);
    this.announcePresence(parsed.userId, parsed.unitId);
  }
}
