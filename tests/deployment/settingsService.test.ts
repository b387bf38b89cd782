/**
 * 设置 through the contract: a person sees what the administrator locked, can save what the policy
 * allows, is refused what it does not, and learns when a change needs a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiContract } from '../../src/shared/api';
import { DeploymentConfigSchema, lockedSettings, type SettingsView } from '../../src/shared/deployment';
import { createDispatcher } from '../../src/main/services/api/dispatcher';
import { createSettingsHandlers, createSettingsService, createUserSettingsStore, defaultSettingsService } from '../../src/main/services/deployment';

describe('settings:get and settings:update', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-settings-svc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const deployed = (policies: Record<string, unknown> = {}) =>
    DeploymentConfigSchema.parse({ serverUrl: 'https://oa.example.gov.cn', organisationName: '某市人民政府办公室', updateUrl: 'https://oa.example.gov.cn/updates/', policies });

  const dispatcherFor = (policies: Record<string, unknown> = {}, onSaved?: (view: SettingsView) => void) => {
    const service = createSettingsService({
      deployment: { config: deployed(policies), source: '/etc/xietong/deployment.json' },
      store: createUserSettingsStore(dir),
      running: { serverUrl: 'https://oa.example.gov.cn', autoUpdate: true },
      ...(onSaved ? { onSaved } : {}),
    });
    return createDispatcher(apiContract, { settings: createSettingsHandlers(service) } as never, {});
  };

  it('shows the deployment, the effective values and what is locked', async () => {
    const result = await dispatcherFor().dispatch('settings:get', {});
    expect(result).toMatchObject({
      ok: true,
      value: {
        organisationName: '某市人民政府办公室',
        deploymentFile: '/etc/xietong/deployment.json',
        personal: {},
        effective: { serverUrl: 'https://oa.example.gov.cn', autoUpdate: true, rememberPassword: false, language: 'zh-CN', offlineDays: 7, trustedRootCount: 0 },
        locked: ['serverUrl', 'autoUpdate', 'rememberPassword'],
        ignored: [],
        host: 'desktop',
        restartRequired: false,
      },
    });
  });

  it('saves what the policy allows and keeps it across restarts', async () => {
    const saved = await dispatcherFor().dispatch('settings:update', { language: 'en', fonts: { kaiti: '/home/li/kai.ttf' } });
    expect(saved).toMatchObject({ ok: true, value: { personal: { language: 'en' }, effective: { language: 'en', fonts: { kaiti: '/home/li/kai.ttf' } }, restartRequired: false } });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ language: 'en', fonts: { kaiti: '/home/li/kai.ttf' } });
    expect(await dispatcherFor().dispatch('settings:get', {})).toMatchObject({ ok: true, value: { personal: { language: 'en' } } });
  });

  it('refuses a locked setting with the policy’s reason and keeps the saved file', async () => {
    await dispatcherFor().dispatch('settings:update', { language: 'en' });
    expect(await dispatcherFor().dispatch('settings:update', { serverUrl: 'http://10.1.1.1:8787' })).toEqual({ ok: false, error: { code: 'forbidden', key: 'settings.lockedServerUrl', message: '单位部署策略不允许更改服务器地址' } });
    expect(await dispatcherFor().dispatch('settings:update', { rememberPassword: true })).toEqual({ ok: false, error: { code: 'forbidden', key: 'settings.lockedRememberPassword', message: '单位部署策略不允许记住密码' } });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ language: 'en' });
    // Restating the deployed value is not a change.
    expect(await dispatcherFor().dispatch('settings:update', { serverUrl: 'https://oa.example.gov.cn' })).toMatchObject({ ok: true });
  });

  it('says a restart is needed when the person moves to another server the policy allows', async () => {
    const result = await dispatcherFor({ allowUserServerUrl: true }).dispatch('settings:update', { serverUrl: 'http://10.1.1.1:8787' });
    expect(result).toMatchObject({ ok: true, value: { effective: { serverUrl: 'http://10.1.1.1:8787' }, restartRequired: true, locked: ['autoUpdate', 'rememberPassword'] } });
  });

  it('rejects malformed settings before the policy is even asked', async () => {
    expect(await dispatcherFor().dispatch('settings:update', { serverUrl: 'javascript:alert(1)' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatcherFor().dispatch('settings:update', { theme: 'dark' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('in the web host, fixes the server to the one the host runs with', async () => {
    const service = defaultSettingsService({ userDataDir: dir, serverUrl: 'http://127.0.0.1:8787' });
    const view = await service.get();
    expect(view.locked).toContain('serverUrl');
    expect(view.effective.serverUrl).toBe('http://127.0.0.1:8787');
    await expect(service.update({ serverUrl: 'http://127.0.0.1:9999' })).rejects.toThrow('单位部署策略不允许更改服务器地址');
    // The renderer shows desktop-only settings (开机启动) as such there.
    expect(view.host).toBe('web');
  });

  it('saves notifications and start on login, and tells the shell what now applies', async () => {
    const seen: SettingsView[] = [];
    const result = await dispatcherFor({}, (view) => seen.push(view)).dispatch('settings:update', { notifications: false, startOnLogin: true });
    expect(result).toMatchObject({ ok: true, value: { effective: { notifications: false, startOnLogin: true }, restartRequired: false } });
    expect(seen.map((view) => view.effective.startOnLogin)).toEqual([true]);
  });

  it('refuses to change start on login where the policy decides it, and tells nobody', async () => {
    const seen: SettingsView[] = [];
    const dispatcher = dispatcherFor({ startOnLogin: 'never' }, (view) => seen.push(view));
    expect(await dispatcher.dispatch('settings:get', {})).toMatchObject({ ok: true, value: { locked: ['serverUrl', 'autoUpdate', 'rememberPassword', 'startOnLogin'], effective: { startOnLogin: false } } });
    expect(await dispatcher.dispatch('settings:update', { startOnLogin: true })).toEqual({ ok: false, error: { code: 'forbidden', key: 'settings.lockedStartOnLogin', message: '单位部署策略统一设定了开机启动' } });
    expect(seen).toEqual([]);
    expect(await dispatcher.dispatch('settings:update', { startOnLogin: false, notifications: true })).toMatchObject({ ok: true });
  });

  it('lets a person save other settings while keeping a choice the policy now ignores', async () => {
    await dispatcherFor({ startOnLogin: 'user' }).dispatch('settings:update', { startOnLogin: true });
    const locked = dispatcherFor({ startOnLogin: 'never' });
    expect(await locked.dispatch('settings:update', { startOnLogin: true, language: 'en' })).toMatchObject({
      ok: true,
      value: { effective: { startOnLogin: false, language: 'en' }, ignored: [{ setting: 'startOnLogin', reason: '单位部署策略不允许开机启动' }] },
    });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ startOnLogin: true, language: 'en' });
  });

  it('locks nothing a permissive deployment opens up', () => {
    expect(lockedSettings(deployed({ allowUserServerUrl: true, allowUserDisableUpdates: true, rememberPassword: true, allowUserFonts: true }))).toEqual([]);
    expect(lockedSettings(DeploymentConfigSchema.parse({}))).toEqual(['autoUpdate', 'rememberPassword']);
  });
});
