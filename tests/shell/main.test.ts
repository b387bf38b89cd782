/**
 * The Electron main entry (src/main/shell/index.ts) with `electron`, `electron-updater` and the
 * services replaced at their boundaries: what it registers before `ready`, how it builds the window,
 * how a bad deployment.json becomes an error screen instead of the app, and the single-instance lock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const state = vi.hoisted(() => ({
  userData: '',
  lock: true,
  windows: [] as Array<{ options: Record<string, unknown>; url: string }>,
  ipc: new Map<string, unknown>(),
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  calls: [] as Array<[string, ...unknown[]]>,
  appEvents: new Map<string, Array<(...args: unknown[]) => void>>(),
  servicesCreated: [] as Array<{ serverUrl: string }>,
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const { join } = await import('node:path');
  const record = (name: string) => (...args: unknown[]) => {
    state.calls.push([name, ...args]);
  };
  class BrowserWindow extends EventEmitter {
    static getAllWindows = () => [];
    readonly webContents = { send: record('send'), getURL: () => '' };
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.windows.push({ options, url: '' });
    }
    loadURL(url: string) {
      state.windows[state.windows.length - 1]!.url = url;
      return Promise.resolve();
    }
    maximize = record('maximize');
    show = record('show');
    isDestroyed = () => false;
    isMaximized = () => false;
    isMinimized = () => false;
    restore = record('restore');
    focus = record('focus');
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 820 });
  }
  const app = {
    enableSandbox: record('enableSandbox'),
    setAppUserModelId: record('setAppUserModelId'),
    requestSingleInstanceLock: () => state.lock,
    quit: record('quit'),
    exit: record('exit'),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? state.userData : join(state.userData, name)),
    getVersion: () => '0.1.0',
    getAppPath: () => '/opt/xietong/resources/app.asar',
    setBadgeCount: record('setBadgeCount'),
    setLoginItemSettings: record('setLoginItemSettings'),
    isPackaged: true,
    on: (event: string, listener: (...args: unknown[]) => void) => {
      state.appEvents.set(event, [...(state.appEvents.get(event) ?? []), listener]);
    },
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: record('setPermissionRequestHandler'),
      setPermissionCheckHandler: record('setPermissionCheckHandler'),
      setDevicePermissionHandler: record('setDevicePermissionHandler'),
      webRequest: { onHeadersReceived: record('onHeadersReceived') },
    },
  };
  class Tray {
    constructor(readonly icon: string) {
      state.calls.push(['Tray', icon]);
    }
    setToolTip = record('setToolTip');
    setContextMenu = record('setContextMenu');
    on = record('trayOn');
    destroy = record('trayDestroy');
  }
  class Notification {
    static isSupported = () => true;
    show = record('notificationShow');
  }
  return {
    app,
    BrowserWindow,
    Tray,
    Notification,
    session,
    dialog: {
      showMessageBox: (...args: unknown[]) => {
        state.calls.push(['showMessageBox', args.at(-1)]);
        return Promise.resolve({ response: 1 });
      },
      showErrorBox: record('showErrorBox'),
    },
    ipcMain: { handle: (channel: string, handler: unknown) => state.ipc.set(channel, handler), removeHandler: (channel: string) => state.ipc.delete(channel) },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: record('setApplicationMenu') },
    protocol: {
      registerSchemesAsPrivileged: record('registerSchemesAsPrivileged'),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, handler),
    },
    safeStorage: { isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'gnome_libsecret', encryptString: (text: string) => Buffer.from(text), decryptString: (data: Buffer) => data.toString() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] },
    shell: { openExternal: () => Promise.resolve(), showItemInFolder: record('showItemInFolder') },
  };
});

vi.mock('electron-updater', () => ({
  autoUpdater: {
    setFeedURL: (options: unknown) => state.calls.push(['setFeedURL', options]),
    checkForUpdates: () => Promise.resolve(null),
    on: () => undefined,
    quitAndInstall: () => undefined,
  },
}));

vi.mock('../../src/main/services/app', async () => {
  const { createDispatcher } = await import('../../src/main/services/api/dispatcher');
  const { apiContract } = await import('../../src/shared/api');
  return {
    createAppServices: (host: { serverUrl: string }) => {
      state.servicesCreated.push({ serverUrl: host.serverUrl });
      const badge = { current: () => ({ todo: 3, unread: 0, total: 3 }), subscribe: () => () => undefined };
      return Promise.resolve({ dispatcher: createDispatcher(apiContract, {} as never, {}), badge, close: () => Promise.resolve() });
    },
  };
});

const called = (name: string) => state.calls.filter(([call]) => call === name);

describe('Electron main entry', () => {
  let dir: string;
  const savedEnv = process.env.XIETONG_DEPLOYMENT;

  beforeEach(() => {
    vi.resetModules();
    // Electron sets this in the main process; the installed tray icon is found under it.
    Object.assign(process, { resourcesPath: '/opt/xietong/resources' });
    dir = mkdtempSync(join(tmpdir(), 'xietong-main-'));
    state.userData = join(dir, 'userData');
    state.lock = true;
    state.windows.length = 0;
    state.ipc.clear();
    state.protocolHandlers.clear();
    state.calls.length = 0;
    state.appEvents.clear();
    state.servicesCreated.length = 0;
  });
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.XIETONG_DEPLOYMENT;
    else process.env.XIETONG_DEPLOYMENT = savedEnv;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts hardened: privileged app scheme, sandbox everywhere, checked IPC, the deployment’s server', async () => {
    const deployment = join(dir, 'deployment.json');
    writeFileSync(deployment, JSON.stringify({ serverUrl: 'https://oa.example.gov.cn', organisationName: '某市人民政府办公室', updateUrl: 'https://oa.example.gov.cn/updates/' }));
    process.env.XIETONG_DEPLOYMENT = deployment;
    await import('../../src/main/shell/index');

    expect(called('registerSchemesAsPrivileged')[0]![1]).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }]);
    expect(called('enableSandbox')).toHaveLength(1);
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));

    const window = state.windows[0]!;
    expect(window.url).toBe('app://xietong/index.html');
    expect(window.options.title).toBe('协同办公 — 某市人民政府办公室');
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.js$/);

    expect(state.servicesCreated).toEqual([{ serverUrl: 'https://oa.example.gov.cn' }]);
    const { apiContract, channelsOf } = await import('../../src/shared/api');
    expect([...state.ipc.keys()].sort()).toEqual([...channelsOf(apiContract).keys()].sort());
    expect(state.ipc.has('diagnostics:export')).toBe(true);
    expect(state.protocolHandlers.has('app')).toBe(true);
    expect(called('setPermissionRequestHandler')).toHaveLength(1);
    expect(called('setDevicePermissionHandler')).toHaveLength(1);
    expect(called('onHeadersReceived')).toHaveLength(1);
    expect(state.appEvents.has('web-contents-created')).toBe(true);
    expect(state.appEvents.has('second-instance')).toBe(true);
    expect(called('setApplicationMenu')).toHaveLength(1);
    expect(called('setFeedURL')[0]![1]).toEqual({ provider: 'generic', url: 'https://oa.example.gov.cn/updates/' });
    // The tray and the taskbar badge show the services' 待办 count, with the installed icon.
    expect(called('Tray')).toEqual([['Tray', join('/opt/xietong/resources', 'icons', '32x32.png')]]);
    expect(called('setToolTip')).toEqual([['setToolTip', '协同办公 — 待办 3 件']]);
    expect(called('setBadgeCount')).toEqual([['setBadgeCount', 3]]);

    // A PDF opened from the file manager while running: verified, and the verdict shown.
    const pdf = join(dir, '通知.pdf');
    writeFileSync(pdf, '%PDF-1.7 not really');
    for (const listener of state.appEvents.get('second-instance')!) listener({}, ['xietong', pdf], dir);
    await vi.waitFor(() => expect(called('showMessageBox')).toHaveLength(1));
    expect(called('focus')).toHaveLength(1);
    expect(called('showMessageBox')[0]![1]).toMatchObject({ title: '签名验证 — 通知.pdf', message: '未配置信任的根证书，无法验证签名' });
    await vi.waitFor(() => expect(called('showItemInFolder')).toEqual([['showItemInFolder', pdf]]));
    expect(state.appEvents.has('open-file')).toBe(true);

    // An IPC call from a foreign frame is refused by the wrapper.
    const handler = state.ipc.get('session:current') as (event: unknown, input: unknown) => Promise<unknown>;
    expect(await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('shows what is wrong with a bad deployment.json instead of starting the app', async () => {
    const deployment = join(dir, 'deployment.json');
    writeFileSync(deployment, JSON.stringify({ serverUrl: 'oa.example.gov.cn' }));
    process.env.XIETONG_DEPLOYMENT = deployment;
    await import('../../src/main/shell/index');
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));

    expect(state.windows[0]!.url).toBe('app://xietong/deployment-error.html');
    expect(state.windows[0]!.options.webPreferences).not.toHaveProperty('preload');
    expect(state.servicesCreated).toEqual([]);
    expect(state.ipc.size).toBe(0);
    const page = await state.protocolHandlers.get('app')!(new Request('app://xietong/deployment-error.html'));
    const html = await page.text();
    expect(html).toContain('部署配置有误');
    expect(html).toContain(deployment);
    expect(html).toContain('serverUrl');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('hands over to the running instance when one exists', async () => {
    state.lock = false;
    await import('../../src/main/shell/index');
    await new Promise((resolve) => setImmediate(resolve));
    expect(called('quit')).toHaveLength(1);
    expect(state.windows).toHaveLength(0);
    expect(state.appEvents.has('second-instance')).toBe(false);
  });
});
