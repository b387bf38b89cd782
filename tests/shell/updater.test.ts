/**
 * Intranet updates with electron-updater replaced: no network without a URL, fail closed on an
 * unsigned Windows build, a notice when an update is ready, install on restart or on quit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/main/services/logging';
import { adaptElectronUpdater, hasPublisherName } from '../../src/main/shell/electronUpdaterAdapter';
import { setupAutoUpdates, type UpdateChoice, type UpdaterLike } from '../../src/main/shell/updater';
import type { UpdateProgress, UpdateStatus } from '../../src/shared/api';

function fakeUpdater() {
  const listeners: { downloaded?: (version: string) => void; error?: (error: Error) => void; progress?: (progress: UpdateProgress) => void } = {};
  const updater = {
    configure: vi.fn(),
    checkForUpdates: vi.fn((): Promise<string | undefined> => Promise.resolve(undefined)),
    onUpdateDownloaded: vi.fn((listener: (version: string) => void) => (listeners.downloaded = listener)),
    onError: vi.fn((listener: (error: Error) => void) => (listeners.error = listener)),
    onDownloadProgress: vi.fn((listener: (progress: UpdateProgress) => void) => (listeners.progress = listener)),
    quitAndInstall: vi.fn(),
  } satisfies UpdaterLike;
  return { updater, listeners };
}

const base = (updater: UpdaterLike, overrides: Partial<Parameters<typeof setupAutoUpdates>[0]> = {}) => ({
  updater,
  updateUrl: 'https://oa.example.gov.cn/updates/',
  enabled: true,
  platform: 'linux' as NodeJS.Platform,
  publisherNameKnown: () => false,
  notify: () => Promise.resolve<UpdateChoice>('later'),
  log: silentLogger,
  schedule: () => () => undefined,
  ...overrides,
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('automatic updates', () => {
  it('never touches the updater when no update URL is deployed', async () => {
    const { updater } = fakeUpdater();
    const updates = setupAutoUpdates(base(updater, { updateUrl: undefined }));
    expect(await updates.check()).toMatchObject({ status: 'disabled' });
    expect(updates.active).toBe(false);
    expect(updates.reasonText?.message).toMatch(/updateUrl/);
    expect(updater.configure).not.toHaveBeenCalled();
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
  });

  it('stays off when the person turned it off (as policy allowed)', () => {
    const { updater } = fakeUpdater();
    expect(setupAutoUpdates(base(updater, { enabled: false })).active).toBe(false);
    expect(updater.configure).not.toHaveBeenCalled();
  });

  it('refuses to update an unsigned Windows build, whose installers could not be signature-checked', () => {
    const { updater } = fakeUpdater();
    const updates = setupAutoUpdates(base(updater, { platform: 'win32', publisherNameKnown: () => false }));
    expect(updates.active).toBe(false);
    expect(updates.reasonText?.message).toMatch(/签名/);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    expect(setupAutoUpdates(base(fakeUpdater().updater, { platform: 'win32', publisherNameKnown: () => true })).active).toBe(true);
  });

  it('points the generic feed at the deployment URL, checks at once and on a schedule', async () => {
    const { updater } = fakeUpdater();
    let scheduled: (() => void) | undefined;
    const cancel = vi.fn();
    const updates = setupAutoUpdates(base(updater, { schedule: (run) => ((scheduled = run), cancel), intervalMs: 1000 }));
    expect(updates.active).toBe(true);
    expect(updater.configure).toHaveBeenCalledWith({ feedUrl: 'https://oa.example.gov.cn/updates/', autoDownload: true, autoInstallOnAppQuit: true });
    await flush();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    scheduled!();
    await flush();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);
    updates.dispose();
    expect(cancel).toHaveBeenCalledOnce();
  });

  it('survives an unreachable feed', async () => {
    const { updater } = fakeUpdater();
    updater.checkForUpdates.mockRejectedValue(new Error('net::ERR_CONNECTION_REFUSED'));
    const updates = setupAutoUpdates(base(updater));
    await expect(updates.check()).resolves.toEqual({ status: 'failed', message: 'net::ERR_CONNECTION_REFUSED' });
  });

  it('answers the menu’s 检查更新 with what the feed offers', async () => {
    const { updater } = fakeUpdater();
    const updates = setupAutoUpdates(base(updater));
    expect(await updates.check()).toEqual({ status: 'current' });
    updater.checkForUpdates.mockResolvedValue('0.2.0');
    expect(await updates.check()).toEqual({ status: 'available', version: '0.2.0' });
  });

  it('tells the person once and restarts into the update only if they choose to', async () => {
    const { updater, listeners } = fakeUpdater();
    const notify = vi.fn(() => Promise.resolve<UpdateChoice>('restart'));
    setupAutoUpdates(base(updater, { notify }));
    listeners.downloaded!('0.2.0');
    listeners.downloaded!('0.2.0');
    await flush();
    expect(notify.mock.calls).toEqual([['0.2.0']]);
    expect(updater.quitAndInstall).toHaveBeenCalledOnce();

    const later = fakeUpdater();
    setupAutoUpdates(base(later.updater, { notify: () => Promise.resolve<UpdateChoice>('later') }));
    later.listeners.downloaded!('0.2.0');
    await flush();
    expect(later.updater.quitAndInstall).not.toHaveBeenCalled();
  });
});

describe('electron-updater adapter', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('configures the generic provider without downgrades or prereleases and installs on quit', async () => {
    const on = vi.fn();
    const result = { isUpdateAvailable: true, updateInfo: { version: '0.3.0' } };
    const fake = { setFeedURL: vi.fn(), checkForUpdates: vi.fn(() => Promise.resolve(result)), on, quitAndInstall: vi.fn() } as Record<string, unknown>;
    const logged: string[] = [];
    const log = { ...silentLogger, info: (message: string) => void logged.push(message) };
    const adapter = adaptElectronUpdater(fake as unknown as AppUpdater, log);
    (fake.logger as { info: (message: string) => void }).info('Checking for update');
    expect(logged).toEqual(['Checking for update']);
    adapter.configure({ feedUrl: 'https://oa/updates/', autoDownload: true, autoInstallOnAppQuit: true });
    expect(fake).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: false, allowPrerelease: false });
    expect(fake.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://oa/updates/' });
    expect(await adapter.checkForUpdates()).toBe('0.3.0');
    result.isUpdateAvailable = false;
    expect(await adapter.checkForUpdates()).toBeUndefined();
    const seen: string[] = [];
    adapter.onUpdateDownloaded((version) => seen.push(version));
    const [event, listener] = on.mock.calls[0] as [string, (info: { version: string }) => void];
    expect(event).toBe('update-downloaded');
    listener({ version: '0.3.0' });
    expect(seen).toEqual(['0.3.0']);
    adapter.quitAndInstall();
    expect(fake.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('knows a signed build by the publisher name electron-builder wrote into app-update.yml', () => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-update-'));
    expect(hasPublisherName(dir)).toBe(false);
    writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: https://oa/updates\n');
    expect(hasPublisherName(dir)).toBe(false);
    writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: https://oa/updates\npublisherName:\n  - 某市大数据中心\n');
    expect(hasPublisherName(dir)).toBe(true);
  });

  it('reports the download’s progress to the renderer, then offers 重启并更新', async () => {
    const { updater, listeners } = fakeUpdater();
    updater.checkForUpdates.mockResolvedValueOnce(undefined).mockResolvedValueOnce('0.2.0');
    const statuses: UpdateStatus[] = [];
    const progress: UpdateProgress[] = [];
    const updates = setupAutoUpdates(base(updater, { currentVersion: '0.1.0', onStatus: (status) => statuses.push(status), onProgress: (p) => progress.push(p) }));
    await flush();
    expect(updates.service.status()).toEqual({ state: 'current', version: '0.1.0' });
    // Nothing to restart into yet.
    expect(() => updates.service.restart()).toThrow('没有已下载的更新');

    expect(await updates.service.check()).toEqual({ state: 'downloading', version: '0.2.0' });
    listeners.progress!({ percent: 37.5, transferred: 3_000_000, total: 8_000_000, bytesPerSecond: 1_000_000 });
    expect(progress).toEqual([{ percent: 37.5, transferred: 3_000_000, total: 8_000_000, bytesPerSecond: 1_000_000 }]);
    expect(updates.service.status()).toMatchObject({ state: 'downloading', progress: { percent: 37.5 } });
    // Asking again while it downloads does not start another download.
    expect(await updates.service.check()).toMatchObject({ state: 'downloading' });
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);

    listeners.downloaded!('0.2.0');
    expect(updates.service.status()).toEqual({ state: 'downloaded', version: '0.2.0' });
    expect(statuses.map((status) => status.state)).toEqual(['checking', 'current', 'checking', 'downloading', 'downloaded']);
    updates.service.restart();
    expect(updater.quitAndInstall).toHaveBeenCalledOnce();
  });

  it('says why there is nothing to check when updates are off', async () => {
    const { updater } = fakeUpdater();
    const updates = setupAutoUpdates(base(updater, { updateUrl: undefined }));
    expect(await updates.service.check()).toMatchObject({ state: 'disabled', message: '部署配置未设置更新地址（updateUrl）' });
    // With its key, so 设置 says it in the person's language.
    expect(await updates.service.check()).toMatchObject({ key: 'updates.noFeed' });
    expect(() => updates.service.restart()).toThrow();
  });
});
