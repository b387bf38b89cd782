/**
 * 设置 as a person uses it: the language applies at once and is saved; locked settings are shown
 * locked with the reason and never sent as changes; ignored choices are listed; in the browser,
 * 开机启动 says it is desktop-only; 检查更新 shows the download's progress bar, then 重启并更新.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents, EventPayloadOf, UpdateStatus, XietongApi } from '../../src/shared/api';
import type { SettingsView, UserSettings } from '../../src/shared/deployment';
import { SettingsPanel } from '../../src/renderer/features/settings';
import { renderWithApi } from './render';

afterEach(cleanup);

const baseView = (over: Partial<SettingsView> = {}): SettingsView => ({
  personal: {},
  effective: {
    serverUrl: 'https://oa.example.gov.cn',
    updateUrl: 'https://oa.example.gov.cn/updates/',
    autoUpdate: true,
    rememberPassword: false,
    fonts: {},
    language: 'zh-CN',
    offlineDays: 7,
    notifications: true,
    startOnLogin: false,
    closeToTray: false,
    voiceMaxSeconds: 60,
    trustedRootCount: 0,
  },
  locked: ['serverUrl', 'rememberPassword'],
  ignored: [],
  host: 'desktop',
  restartRequired: false,
  ...over,
});

function fakeSettingsApi(view: SettingsView, updates: UpdateStatus = { state: 'idle' }) {
  const saved: UserSettings[] = [];
  const calls: string[] = [];
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  let checkAnswer: UpdateStatus = { state: 'current', version: '0.1.0' };
  const api = {
    settings: {
      get: () => Promise.resolve({ ok: true as const, value: view }),
      update: (input: UserSettings) => {
        saved.push(input);
        const next = baseView({ ...view, personal: input, effective: { ...view.effective, language: input.language ?? 'zh-CN', notifications: input.notifications ?? true } });
        return Promise.resolve({ ok: true as const, value: next });
      },
    },
    updates: {
      status: () => Promise.resolve({ ok: true as const, value: updates }),
      check: () => {
        calls.push('updates:check');
        return Promise.resolve({ ok: true as const, value: checkAnswer });
      },
      restart: () => {
        calls.push('updates:restart');
        return Promise.resolve({ ok: true as const, value: {} });
      },
    },
    on(event: string, listener: Listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  return {
    api: api as unknown as XietongApi,
    saved,
    calls,
    answerCheckWith: (status: UpdateStatus) => {
      checkAnswer = status;
    },
    emit<K extends keyof ApiEvents>(event: K, payload: EventPayloadOf<ApiEvents, K>) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

describe('设置', () => {
  it('says in English why a personal setting is not in effect', async () => {
    const view = baseView({ personal: { rememberPassword: true }, ignored: [{ setting: 'rememberPassword', reason: '单位部署策略不允许记住密码' }] });
    await renderWithApi(<SettingsPanel />, fakeSettingsApi(view).api, 'en');
    expect(await screen.findByText('Your unit\'s deployment policy does not allow remembering the password', { selector: 'li' })).toBeTruthy();
  });

  it('says in English why automatic updates are off (main sends the reason keyed)', async () => {
    const off: UpdateStatus = { state: 'disabled', message: '已按个人设置关闭自动更新', key: 'updates.turnedOff' };
    await renderWithApi(<SettingsPanel />, fakeSettingsApi(baseView(), off).api, 'en');
    expect(await screen.findByText('Automatic updates are turned off in your settings')).toBeTruthy();
  });

  it('switches the language at once and saves it with the other choices', async () => {
    const fake = fakeSettingsApi(baseView());
    await renderWithApi(<SettingsPanel />, fake.api);
    const language = await screen.findByLabelText('界面语言');
    fireEvent.change(language, { target: { value: 'en' } });
    // The interface is English before anything is saved.
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Notify me of new messages and to-dos'));
    fireEvent.click(screen.getByLabelText('Start on login'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Settings saved')).toBeTruthy();
    expect(fake.saved).toEqual([{ language: 'en', notifications: false, autoUpdate: true, startOnLogin: true }]);
  });

  it('shows locked settings locked with the policy’s reason, and lists ignored choices', async () => {
    const view = baseView({ personal: { rememberPassword: true }, ignored: [{ setting: 'rememberPassword', reason: '单位部署策略不允许记住密码' }] });
    const fake = fakeSettingsApi(view);
    await renderWithApi(<SettingsPanel />, fake.api);
    const server = await screen.findByLabelText(/服务器地址/);
    expect((server as HTMLInputElement).disabled).toBe(true);
    expect((server as HTMLInputElement).value).toBe('https://oa.example.gov.cn');
    expect(screen.getByText('已锁定：单位部署策略不允许更改服务器地址')).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>(/记住密码/).disabled).toBe(true);
    expect(screen.getByLabelText<HTMLInputElement>(/自动更新/).disabled).toBe(false);
    expect(screen.getByText('以下个人设置未生效')).toBeTruthy();
    expect(screen.getByText('单位部署策略不允许记住密码', { selector: 'li' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('设置已保存');
    // The ignored choice is kept as saved, not turned into a change the policy would refuse.
    expect(fake.saved[0]).toMatchObject({ rememberPassword: true });
    expect(fake.saved[0]).not.toHaveProperty('serverUrl');
  });

  it('in the browser shows 开机启动 and updates as desktop-only instead of hiding them; notifications (the browser\'s) stay', async () => {
    const fake = fakeSettingsApi(baseView({ host: 'web' }), { state: 'unsupported', message: '浏览器版本随服务器一同更新，无需单独更新' });
    await renderWithApi(<SettingsPanel />, fake.api);
    await screen.findByLabelText(/开机启动/);
    for (const name of [/开机启动/, /自动更新/]) {
      expect(screen.getByLabelText<HTMLInputElement>(name).disabled).toBe(true);
    }
    expect(screen.getByLabelText<HTMLInputElement>(/新消息和待办通知/).disabled).toBe(false);
    expect(screen.getAllByText('仅桌面版可用：浏览器中不适用')).toHaveLength(2);
    expect(await screen.findByText('浏览器版本随服务器一同更新，无需单独更新')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '检查更新' }).disabled).toBe(true);
    // Saving there sends only what applies in a browser.
    fireEvent.change(screen.getByLabelText('界面语言'), { target: { value: 'en' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    expect(fake.saved).toEqual([{ language: 'en', notifications: true }]);
  });

  it('检查更新 shows the download as a progress bar, then offers 重启并更新', async () => {
    const fake = fakeSettingsApi(baseView());
    fake.answerCheckWith({ state: 'downloading', version: '0.2.0' });
    await renderWithApi(<SettingsPanel />, fake.api);
    fireEvent.click(await screen.findByRole('button', { name: '检查更新' }));
    expect(await screen.findByText('正在下载 协同办公 0.2.0')).toBeTruthy();
    fake.emit('updateProgress', { percent: 42.4, transferred: 42 * 1024 * 1024, total: 100 * 1024 * 1024, bytesPerSecond: 2 * 1024 * 1024 });
    const bar = await screen.findByRole('progressbar', { name: '更新下载进度' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('42'));
    expect(screen.getByText('42%（42.0 MB / 100.0 MB，2.0 MB/秒）')).toBeTruthy();
    fake.emit('updateStatus', { state: 'downloaded', version: '0.2.0' });
    fireEvent.click(await screen.findByRole('button', { name: '重启并更新' }));
    await waitFor(() => expect(fake.calls).toContain('updates:restart'));
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
