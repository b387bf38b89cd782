import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { XietongApi } from '../../src/shared/api';
import { chooseBridge } from '../../src/renderer/bridge/getApi';
import { bridgeUrlFor, createWebSocketBridge } from '../../src/renderer/bridge/webSocketBridge';
import { createFakeApi, liSession } from './fakeApi';
import { asWebSocket, FakeWebSocket } from './fakeWebSocket';

beforeEach(() => FakeWebSocket.reset());
afterEach(() => vi.useRealTimers());

const location = { protocol: 'http:', host: '127.0.0.1:5173' } as Location;

describe('bridge choice at start-up', () => {
  it('uses the preload object when the desktop shell provides one', () => {
    const preload = createFakeApi().api;
    const chosen = chooseBridge({ location, xietong: preload, WebSocket: asWebSocket(FakeWebSocket) } as unknown as Window);
    expect(chosen.kind).toBe('preload');
    expect(chosen.api).toBe(preload);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('falls back to the web host’s socket in a plain browser', async () => {
    const chosen = chooseBridge({ location, WebSocket: asWebSocket(FakeWebSocket) });
    expect(chosen.kind).toBe('websocket');
    const answer = chosen.api.session.current({});
    const socket = FakeWebSocket.instances[0]!;
    expect(socket.url).toBe('ws://127.0.0.1:5173/bridge');
    socket.open();
    const [request] = socket.requests();
    expect(request).toMatchObject({ channel: 'session:current', input: {} });
    socket.receive({ id: request!.id, result: { ok: true, value: null } });
    expect(await answer).toEqual({ ok: true, value: null });
  });

  it('does not take a half-built or foreign `xietong` global for the preload', () => {
    for (const xietong of [{}, { session: {} }, 'xietong', { on: () => undefined, session: { login: 1 } }]) {
      const chosen = chooseBridge({ location, xietong, WebSocket: asWebSocket(FakeWebSocket) } as unknown as Window);
      expect(chosen.kind).toBe('websocket');
    }
  });

  it('uses wss for a page served over https', () => {
    expect(bridgeUrlFor({ protocol: 'https:', host: 'office.example:443' })).toBe('wss://office.example:443/bridge');
  });
});

describe('WebSocket bridge', () => {
  function open(): { api: XietongApi; socket: () => FakeWebSocket; close: () => void } {
    const bridge = createWebSocketBridge({ url: 'ws://127.0.0.1:5173/bridge', WebSocketImpl: asWebSocket(FakeWebSocket), callTimeoutMs: 5_000, reconnectMinMs: 100 });
    return { api: bridge.api, socket: () => FakeWebSocket.instances.at(-1)!, close: bridge.close };
  }

  it('sends calls made before the socket opened once it opens, and matches answers by id', async () => {
    const { api, socket } = open();
    const first = api.session.current({});
    const second = api.session.connection({});
    expect(socket().sent).toHaveLength(0);
    socket().open();
    const [a, b] = socket().requests();
    socket().receive({ id: b!.id, result: { ok: true, value: { state: 'offline' } } });
    socket().receive({ id: a!.id, result: { ok: true, value: liSession } });
    expect(await first).toEqual({ ok: true, value: liSession });
    expect(await second).toEqual({ ok: true, value: { state: 'offline' } });
  });

  it('passes errors through as data', async () => {
    const { api, socket } = open();
    const answer = api.session.login({ username: 'li', password: 'x' });
    socket().open();
    socket().receive({ id: socket().requests()[0]!.id, result: { ok: false, error: { code: 'unauthenticated', message: '用户名或密码错误' } } });
    expect(await answer).toEqual({ ok: false, error: { code: 'unauthenticated', message: '用户名或密码错误' } });
  });

  it('refuses an answer that does not match the call’s output schema', async () => {
    const { api, socket } = open();
    const answer = api.session.current({});
    socket().open();
    socket().receive({ id: socket().requests()[0]!.id, result: { ok: true, value: { user: 'not a user' } } });
    expect(await answer).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('ignores garbage and events it does not know, and delivers valid events to listeners', () => {
    const { api, socket } = open();
    const states: string[] = [];
    api.on('connectionChanged', ({ state }) => states.push(state));
    socket().open();
    socket().receive('not json');
    socket().receive({ event: 'session:connection-changed', payload: { state: 'sideways' } });
    socket().receive({ event: 'fs:changed', payload: {} });
    socket().receive({ event: 'session:connection-changed', payload: { state: 'offline' } });
    expect(states).toEqual(['offline']);
  });

  it('ends pending calls with unavailable when the socket drops, says offline, and reconnects', async () => {
    vi.useFakeTimers();
    const { api, socket } = open();
    const states: string[] = [];
    api.on('connectionChanged', ({ state }) => states.push(state));
    socket().open();
    const pending = api.session.current({});
    const dropped = socket();
    dropped.drop();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(states).toEqual(['offline']);

    await vi.advanceTimersByTimeAsync(100);
    const again = socket();
    expect(again).not.toBe(dropped);
    again.open();
    // After reconnecting, the bridge asks for what the lost events would have said, and reports it.
    const sessions: unknown[] = [];
    api.on('sessionChanged', ({ session }) => sessions.push(session));
    const badges: number[] = [];
    api.on('badgeChanged', (count) => badges.push(count.todo));
    const [askConnection, askSession, askBadge] = again.requests();
    expect(askConnection).toMatchObject({ channel: 'session:connection' });
    expect(askSession).toMatchObject({ channel: 'session:current' });
    expect(askBadge).toMatchObject({ channel: 'badge:get' });
    again.receive({ id: askConnection!.id, result: { ok: true, value: { state: 'online' } } });
    again.receive({ id: askSession!.id, result: { ok: true, value: null } });
    // A 待办 that arrived while the socket was down: the count the lost event carried.
    again.receive({ id: askBadge!.id, result: { ok: true, value: { todo: 3, unread: 1, total: 4 } } });
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual(['offline', 'online']);
    expect(sessions).toEqual([null]);
    expect(badges).toEqual([3]);
  });

  it('ends a call the host never answers with unavailable', async () => {
    vi.useFakeTimers();
    const { api, socket } = open();
    const answer = api.session.current({});
    socket().open();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
