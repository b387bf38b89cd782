/**
 * The renderer's end of the web host's bridge: the same `XietongApi` the preload offers, built from
 * the same contract, carried over a WebSocket. Every message from the host is parsed (protocol
 * schema first, then the call's own output schema or the event's payload schema) before the UI
 * sees it. Calls made while the socket is (re)connecting wait for it; if the socket drops, pending
 * calls end with `unavailable` instead of hanging, and the socket reconnects with backoff.
 */
import { apiContract, apiEvents, type CallContract, type ContractShape, type EventContract, type Result, type XietongApi } from '../../shared/api';
import { errorText, type ErrorText } from '../../shared/errors';
import { BRIDGE_PATH, BridgeServerMessageSchema, type BridgeRequest } from '../../shared/api/bridgeProtocol';

export interface WebSocketBridgeOptions {
  /** e.g. `ws://127.0.0.1:5173/bridge`. */
  url: string;
  /** Injected in tests; the browser's WebSocket otherwise. */
  WebSocketImpl?: typeof WebSocket;
  /** How long one call may take before it ends with `unavailable`. */
  callTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface WebSocketBridge {
  readonly api: XietongApi;
  /** Closes the socket for good; pending calls end with `unavailable`. */
  close(): void;
}

/** The bridge URL for a page served by the web host at `location`. */
export function bridgeUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`;
}

const unavailable = (text: ErrorText): Result<never> => ({ ok: false, error: { code: 'unavailable', ...text } });

interface Pending {
  call: CallContract;
  resolve: (result: Result<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function createWebSocketBridge(options: WebSocketBridgeOptions): WebSocketBridge {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const reconnectMinMs = options.reconnectMinMs ?? 500;
  const reconnectMaxMs = options.reconnectMaxMs ?? 10_000;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const eventsByChannel = new Map<string, EventContract>(Object.values(apiEvents).map((event) => [event.channel, event]));
  let socket: WebSocket | undefined;
  let nextId = 1;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let everOpened = false;

  const deliver = (channel: string, payload: unknown): void => {
    for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload);
  };

  const failAll = (text: ErrorText): void => {
    for (const [id, entry] of pending) {
      clearTimeout(entry.timer);
      entry.resolve(unavailable(text));
      pending.delete(id);
    }
    queue.length = 0;
  };

  const onMessage = (raw: unknown): void => {
    if (typeof raw !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    const parsed = BridgeServerMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if ('event' in message) {
      const contract = eventsByChannel.get(message.event);
      const payload = contract?.payload.safeParse(message.payload);
      if (payload?.success) deliver(message.event, payload.data);
      return;
    }
    if (message.id === null) return;
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    clearTimeout(entry.timer);
    if (!message.result.ok) {
      entry.resolve({ ok: false, error: message.result.error });
      return;
    }
    const value = entry.call.output.safeParse(message.result.value);
    entry.resolve(value.success ? { ok: true, value: value.data } : { ok: false, error: { code: 'internal', ...errorText('bridge.answerInvalid') } });
  };

  const connect = (): WebSocket => {
    const ws = new Impl(options.url);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      const reconnected = everOpened;
      everOpened = true;
      for (const message of queue.splice(0)) ws.send(message);
      // Events sent while the socket was down are lost: ask for the state they would have carried.
      if (reconnected) {
        void api.session.connection({}).then((result) => {
          if (result.ok) deliver(apiEvents.connectionChanged.channel, result.value);
        });
        void api.session.current({}).then((result) => {
          if (result.ok) deliver(apiEvents.sessionChanged.channel, { session: result.value });
        });
        // The count too: a 待办 that arrived meanwhile still raises the title's badge and notifies.
        void api.badge.get({}).then((result) => {
          if (result.ok) deliver(apiEvents.badgeChanged.channel, result.value);
        });
      }
    };
    ws.onmessage = (event: MessageEvent) => onMessage(event.data);
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      failAll(errorText('bridge.interrupted'));
      if (everOpened) deliver(apiEvents.connectionChanged.channel, { state: 'offline' });
      if (!closed) scheduleReconnect();
    };
    return ws;
  };

  const scheduleReconnect = (): void => {
    if (reconnectTimer || closed) return;
    attempts += 1;
    const delay = Math.min(reconnectMaxMs, reconnectMinMs * 2 ** Math.min(20, attempts - 1));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (!closed && !socket) connect();
    }, delay);
  };

  const invoke = (call: CallContract, input: unknown): Promise<Result<unknown>> => {
    if (closed) return Promise.resolve(unavailable(errorText('bridge.closed')));
    const id = nextId++;
    const request: BridgeRequest = { id, channel: call.channel, input };
    const text = JSON.stringify(request);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(unavailable(errorText('bridge.noAnswer')));
      }, callTimeoutMs);
      pending.set(id, { call, resolve, timer });
      const ws = socket ?? connect();
      if (ws.readyState === Impl.OPEN) ws.send(text);
      else queue.push(text);
    });
  };

  const client: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const [domain, group] of Object.entries(apiContract as ContractShape)) {
    const calls: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
    for (const [name, call] of Object.entries(group)) calls[name] = (input) => invoke(call, input);
    client[domain] = calls;
  }
  const on = (event: string, listener: (payload: unknown) => void): (() => void) => {
    const contract = (apiEvents as Record<string, EventContract | undefined>)[event];
    if (!contract) throw new Error(`unknown event ${event}`);
    const set = listeners.get(contract.channel) ?? new Set();
    set.add(listener);
    listeners.set(contract.channel, set);
    // Events only flow over an open socket: subscribing opens it.
    if (!socket && !closed) connect();
    return () => set.delete(listener);
  };
  const api = { ...client, on } as unknown as XietongApi;

  const close = (): void => {
    closed = true;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    const ws = socket;
    socket = undefined;
    failAll(errorText('bridge.closed'));
    ws?.close();
  };

  return { api, close };
}
