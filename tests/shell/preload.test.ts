/**
 * The preload's bridge: exactly the contract on `window.xietong`, nothing else — checked on the
 * builder and on the real preload entry with `electron` replaced.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiContract, type ContractShape } from '../../src/shared/api';
import { createBridgeApi } from '../../src/preload/bridge';

const exposed = new Map<string, unknown>();
const ipcRenderer = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() };
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer,
}));

describe('bridge object', () => {
  it('has one function per contract call, invoking that call’s channel', async () => {
    const invoke = vi.fn((channel: string, input: unknown) => Promise.resolve({ ok: true, value: { channel, input } }));
    const api = createBridgeApi(invoke, () => () => undefined);
    for (const [domain, group] of Object.entries(apiContract as ContractShape)) {
      for (const [name, call] of Object.entries(group)) {
        const fn = (api as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[domain]![name]!;
        expect(await fn({ probe: name })).toEqual({ ok: true, value: { channel: call.channel, input: { probe: name } } });
      }
    }
    expect(Object.keys(api).sort()).toEqual([...Object.keys(apiContract), 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('turns IPC failures and malformed answers into errors the UI can show', async () => {
    const broken = createBridgeApi(() => Promise.reject(new Error('ipc down')), () => () => undefined);
    // Keyed, so the renderer words it in the person's language; the zh-CN message stays.
    expect(await broken.session.current({})).toEqual({ ok: false, error: { code: 'unavailable', message: '无法连接主进程，请重新启动应用', key: 'bridge.mainUnreachable' } });
    const odd = createBridgeApi(() => Promise.resolve('surprise'), () => () => undefined);
    expect(await odd.session.current({})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('subscribes only to contract events and passes on only payloads that match the contract', () => {
    let delivered: ((payload: unknown) => void) | undefined;
    const unsubscribe = vi.fn();
    const subscribe = vi.fn((_channel: string, listener: (payload: unknown) => void) => ((delivered = listener), unsubscribe));
    const api = createBridgeApi(() => Promise.resolve({ ok: true, value: null }), subscribe);
    const seen: unknown[] = [];
    const off = api.on('connectionChanged', (payload) => seen.push(payload));
    expect(subscribe.mock.calls[0]![0]).toBe('session:connection-changed');
    delivered!({ state: 'online' });
    delivered!({ state: 'hacked' });
    expect(seen).toEqual([{ state: 'online' }]);
    off();
    expect(unsubscribe).toHaveBeenCalledOnce();
    expect(() => api.on('nonsense' as never, () => undefined)).toThrow(/unknown event/);
  });
});

describe('preload entry', () => {
  beforeEach(() => {
    exposed.clear();
    vi.resetModules();
  });

  it('exposes only `xietong`, and never ipcRenderer itself', async () => {
    await import('../../src/preload/index');
    expect([...exposed.keys()]).toEqual(['xietong']);
    const api = exposed.get('xietong') as Record<string, unknown>;
    const reachable = JSON.stringify(Object.keys(api)) + Object.values(api).map((value) => (typeof value === 'object' && value ? Object.keys(value).join() : '')).join();
    expect(reachable).not.toMatch(/ipcRenderer|invoke|send/);

    ipcRenderer.invoke.mockResolvedValue({ ok: true, value: null });
    await (api.session as Record<string, (input: unknown) => Promise<unknown>>).current!({});
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('session:current', {});

    // The listener the page registers never receives Electron's event object (it carries `sender`).
    const seen: unknown[] = [];
    const off = (api.on as (event: string, listener: (payload: unknown) => void) => () => void)('signedOut', (payload) => seen.push(payload));
    const [channel, handler] = ipcRenderer.on.mock.calls[0] as [string, (event: unknown, payload: unknown) => void];
    expect(channel).toBe('session:signed-out');
    handler({ sender: ipcRenderer }, { reason: '令牌已过期' });
    expect(seen).toEqual([{ reason: '令牌已过期' }]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('session:signed-out', handler);
  });
});
