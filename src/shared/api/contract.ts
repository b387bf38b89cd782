/**
 * The shape of the renderer ↔ main contract. Every call is a `domain:verb` channel with a zod input
 * schema and a zod output schema; every event main pushes has a channel and a payload schema. Both
 * transports (Electron IPC, the web host's WebSocket) carry exactly these, and both ends validate.
 */
import type { z } from 'zod';
import type { Result } from './result';

export interface CallContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly channel: string;
  readonly input: I;
  readonly output: O;
}

export interface EventContract<P extends z.ZodType = z.ZodType> {
  readonly channel: string;
  readonly payload: P;
}

export const defineCall = <I extends z.ZodType, O extends z.ZodType>(channel: string, input: I, output: O): CallContract<I, O> => ({
  channel,
  input,
  output,
});

export const defineEvent = <P extends z.ZodType>(channel: string, payload: P): EventContract<P> => ({ channel, payload });

/** A group of calls of one domain, e.g. `{ login: CallContract, logout: CallContract }`. */
export type CallGroup = Readonly<Record<string, CallContract>>;
export type ContractShape = Readonly<Record<string, CallGroup>>;
export type EventShape = Readonly<Record<string, EventContract>>;

/** What the renderer sees: one async function per call, resolving to a Result. */
export type ClientOf<C extends ContractShape> = {
  readonly [D in keyof C]: {
    readonly [K in keyof C[D]]: (input: z.input<C[D][K]['input']>) => Promise<Result<z.output<C[D][K]['output']>>>;
  };
};

/** What main implements: one async function per call, given parsed input; it may throw ApiFailure. */
export type HandlersOf<C extends ContractShape, Ctx> = {
  readonly [D in keyof C]: {
    readonly [K in keyof C[D]]: (input: z.output<C[D][K]['input']>, ctx: Ctx) => Promise<z.input<C[D][K]['output']>>;
  };
};

export type EventPayloadOf<E extends EventShape, K extends keyof E> = z.output<E[K]['payload']>;

/** Subscribing to pushed events; returns the unsubscribe function. */
export interface EventSubscriber<E extends EventShape> {
  on<K extends keyof E>(event: K, listener: (payload: EventPayloadOf<E, K>) => void): () => void;
}

/** Flattens a contract into channel → call, for dispatchers and transports. */
export const channelsOf = (contract: ContractShape): Map<string, { domain: string; name: string; call: CallContract }> => {
  const channels = new Map<string, { domain: string; name: string; call: CallContract }>();
  for (const [domain, group] of Object.entries(contract)) {
    for (const [name, call] of Object.entries(group)) {
      if (channels.has(call.channel)) throw new Error(`duplicate channel ${call.channel}`);
      channels.set(call.channel, { domain, name, call });
    }
  }
  return channels;
};
