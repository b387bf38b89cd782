/**
 * The one IPC registration: every contract channel handled, calls from anything but our own top
 * frame refused before a service sees them, input parsed by the contract, events only to our pages.
 */
import { describe, expect, it, vi } from 'vitest';
import { apiContract, channelsOf } from '../../src/shared/api';
import { createDispatcher } from '../../src/main/services/api/dispatcher';
import { createDiagnosticsHandlers } from '../../src/main/services/diagnostics';
import type { DiagnosticsService } from '../../src/main/services/diagnostics';
import { silentLogger } from '../../src/main/services/logging';
import { createEventSink, registerIpcHandlers, type IpcMainLike } from '../../src/main/shell/ipc';
import { isTrustedSender } from '../../src/main/shell/senderCheck';

type Listener = Parameters<IpcMainLike['handle']>[1];

function setup() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const exportCalls = vi.fn(() => Promise.resolve({ path: '/tmp/x.zip', fileName: 'x.zip', sizeBytes: 10, entries: ['README.txt'] }));
  const diagnostics: DiagnosticsService = { export: exportCalls, about: () => ({ appVersion: '0.1.0', nodeVersion: 'v20', platform: 'linux', arch: 'x64' }) };
  const login = vi.fn(() => Promise.reject(new Error('not in this test')));
  const dispatcher = createDispatcher(
    apiContract,
    {
      session: { login, logout: () => Promise.resolve({}), current: () => Promise.resolve(null), connection: () => Promise.resolve({ state: 'offline' as const }) },
      diagnostics: createDiagnosticsHandlers(diagnostics),
    } as never,
    {},
  );
  const dispose = registerIpcHandlers(ipcMain, apiContract, dispatcher, silentLogger);
  const call = (channel: string, frame: { url: string; parent: unknown } | null, input: unknown) =>
    handlers.get(channel)!({ senderFrame: frame }, input) as Promise<unknown>;
  return { handlers, call, dispose, exportCalls, login };
}

const appFrame = { url: 'app://xietong/index.html', parent: null };

describe('IPC registration', () => {
  it('handles every channel of the contract, and removes them all again', () => {
    const { handlers, dispose } = setup();
    expect([...handlers.keys()].sort()).toEqual([...channelsOf(apiContract).keys()].sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('passes calls from our own top frame to the services', async () => {
    const { call, exportCalls } = setup();
    expect(await call('diagnostics:export', appFrame, {})).toEqual({ ok: true, value: { path: '/tmp/x.zip', fileName: 'x.zip', sizeBytes: 10, entries: ['README.txt'] } });
    expect(exportCalls).toHaveBeenCalledOnce();
    expect(await call('session:current', appFrame, undefined)).toEqual({ ok: true, value: null });
  });

  it('refuses subframes, other origins and unknown senders before any service runs', async () => {
    const { call, exportCalls } = setup();
    const refused = [
      { url: 'app://xietong/index.html', parent: {} },
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///home/li/evil.html', parent: null },
      { url: 'app://other/index.html', parent: null },
      null,
    ];
    for (const frame of refused) {
      expect(await call('diagnostics:export', frame, {})).toEqual({ ok: false, error: { code: 'forbidden', key: 'client.untrustedFrame', message: '拒绝来自非本应用页面的调用' } });
    }
    expect(exportCalls).not.toHaveBeenCalled();
  });

  it('turns input that does not parse into an error the renderer can show', async () => {
    const { call, login } = setup();
    const result = (await call('session:login', appFrame, { username: '', password: 5 })) as { ok: boolean; error: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toMatch(/username/);
    expect(login).not.toHaveBeenCalled();
  });

  it('checks the frame, not a URL the page could claim', () => {
    expect(isTrustedSender(appFrame)).toBe(true);
    expect(isTrustedSender({ url: 'app://xietong.evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('events to the renderer', () => {
  it('go to every live window showing our app, on the contract channel', () => {
    const sent: Array<[string, string, unknown]> = [];
    const window = (name: string, url: string, destroyed = false) => ({
      isDestroyed: () => destroyed,
      webContents: { getURL: () => url, send: (channel: string, payload: unknown) => sent.push([name, channel, payload]) },
    });
    const emit = createEventSink(() => [
      window('main', 'app://xietong/index.html'),
      window('closed', 'app://xietong/index.html', true),
      window('foreign', 'https://evil.example/'),
      window('second', 'app://xietong/inbox'),
    ]);
    emit('connectionChanged', { state: 'online' });
    expect(sent).toEqual([
      ['main', 'session:connection-changed', { state: 'online' }],
      ['second', 'session:connection-changed', { state: 'online' }],
    ]);
  });
});
