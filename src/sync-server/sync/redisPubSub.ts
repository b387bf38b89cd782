/**
 * Room traffic between server instances over Redis pub/sub (ioredis), one channel per loaded
 * room. Publishing uses the given connection; subscribing needs a connection of its own (a Redis
 * connection in subscriber mode can do nothing else), duplicated from it.
 */
import { Redis } from 'ioredis';

import type { RoomName } from '../../shared/rooms';
import type { RoomPubSub } from './types';

/** Options of {@link RedisRoomPubSub}. */
export interface RedisRoomPubSubOptions {
  /** Prepended to every channel, e.g. `xietong:` or a per-test-run prefix. Default `xietong:sync:`. */
  prefix?: string;
  /** Told about errors of the subscriber connection (ioredis reconnects by itself). */
  onError?: (error: Error) => void;
}

/** {@link RoomPubSub} on Redis. Takes an ioredis client or a `redis://` URL. */
export class RedisRoomPubSub implements RoomPubSub {
  readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly ownsPublisher: boolean;
  private readonly prefix: string;
  private readonly handlers = new Map<string, (message: Uint8Array) => void>();
  private readonly onError: ((error: Error) => void) | undefined;

  constructor(redis: Redis | string, options: RedisRoomPubSubOptions = {}) {
    this.ownsPublisher = typeof redis === 'string';
    this.publisher = typeof redis === 'string' ? new Redis(redis, { lazyConnect: false }) : redis;
    // No ready check on the subscriber: its INFO probe would race the first SUBSCRIBE and be
    // refused ("only subscriber commands may be used"), failing the connection.
    this.subscriber = this.publisher.duplicate({ enableReadyCheck: false });
    this.subscriber.on('error', (error: Error) => this.onError?.(error));
    this.prefix = options.prefix ?? 'xietong:sync:';
    this.onError = options.onError;
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      this.handlers.get(channel.toString())?.(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    });
  }

  async subscribe(room: RoomName, onMessage: (message: Uint8Array) => void): Promise<void> {
    const channel = this.prefix + room;
    this.handlers.set(channel, onMessage);
    await this.subscriber.subscribe(channel);
  }

  async unsubscribe(room: RoomName): Promise<void> {
    const channel = this.prefix + room;
    this.handlers.delete(channel);
    await this.subscriber.unsubscribe(channel);
  }

  async publish(room: RoomName, message: Uint8Array): Promise<void> {
    await this.publisher.publish(this.prefix + room, Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  }

  /** Closes the subscriber connection, and the publisher if this object created it. */
  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => undefined);
    if (this.ownsPublisher) await this.publisher.quit().catch(() => undefined);
  }
}
