/**
 * Builds the object the preload exposes as `window.xietong`: one function per call of the shared
 * contract and `on(event, listener)` for its events — nothing else. Kept free of `electron` so it
 * can be tested without it; `index.ts` supplies the two IPC primitives.
 */
import { apiContract, apiEvents, fail, type ApiEvents, type ContractShape, type EventPayloadOf, type Result, type XietongApi } from '../shared/api';
import { errorText } from '../shared/errors';

/** Sends one call to main and resolves to its Result (`ipcRenderer.invoke` in the app). */
export type Invoke = (channel: string, input: unknown) => Promise<unknown>;
/** Subscribes to one channel; returns the unsubscribe (`ipcRenderer.on/removeListener` in the app). */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

const isResult = (value: unknown): value is Result<unknown> =>
  typeof value === 'object' && value !== null && 'ok' in value && typeof value.ok === 'boolean';

export function createBridgeApi(invoke: Invoke, subscribe: Subscribe): XietongApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const [domain, group] of Object.entries(apiContract as ContractShape)) {
    const calls: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
    for (const [name, call] of Object.entries(group)) {
      const channel = call.channel;
      calls[name] = async (input: unknown) => {
        try {
          const result = await invoke(channel, input ?? {});
          // Main always answers with a Result; anything else means the IPC layer itself broke.
          return isResult(result) ? result : fail('internal', errorText('bridge.mainAnswerInvalid'));
        } catch {
          return fail('unavailable', errorText('bridge.mainUnreachable'));
        }
      };
    }
    api[domain] = Object.freeze(calls);
  }

  const on = <K extends keyof ApiEvents>(event: K, listener: (payload: EventPayloadOf<ApiEvents, K>) => void): (() => void) => {
    const contract = apiEvents[event] as ApiEvents[keyof ApiEvents] | undefined;
    // Only contract events can be subscribed: the renderer must not listen on arbitrary channels.
    if (!contract) throw new Error(`unknown event: ${String(event)}`);
    return subscribe(contract.channel, (payload) => {
      const parsed = contract.payload.safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayloadOf<ApiEvents, K>);
    });
  };

  return Object.freeze({ ...api, on }) as unknown as XietongApi;
}
