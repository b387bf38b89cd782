import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/app/App';
import { createFakeApi, liSession } from './fakeApi';
import { renderWithApi } from './render';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const sections = ['待办', '已办', '发文', '收文', '交换', '消息', '印章'];

describe('application', () => {
  it('opens on the login screen when nobody is signed in', async () => {
    const fake = createFakeApi();
    await renderWithApi(<App />, fake.api);
    expect(await screen.findByRole('button', { name: '登录' })).toBeTruthy();
  });

  it('shows the signed-in person, their unit, the connection and every section', async () => {
    const fake = createFakeApi({ current: liSession, connection: 'online' });
    await renderWithApi(<App />, fake.api);
    const banner = await screen.findByRole('banner');
    expect(within(banner).getByText('李文')).toBeTruthy();
    expect(within(banner).getByText('市政府办公室')).toBeTruthy();
    expect(screen.getByRole('status', { name: '连接状态' }).textContent).toBe('在线');

    const nav = screen.getByRole('navigation', { name: '主导航' });
    expect(within(nav).getAllByRole('button').map((button) => button.textContent)).toEqual(sections);
    for (const section of sections) {
      fireEvent.click(within(nav).getByRole('button', { name: section }));
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(section);
      expect(within(nav).getByRole('button', { name: section }).getAttribute('aria-current')).toBe('page');
    }
  });

  it('follows the connection state pushed by the services', async () => {
    const fake = createFakeApi({ current: liSession, connection: 'online' });
    await renderWithApi(<App />, fake.api);
    const indicator = await screen.findByRole('status', { name: '连接状态' });
    await screen.findByText('在线');
    act(() => fake.emit('connectionChanged', { state: 'offline' }));
    expect(indicator.textContent).toBe('离线');
    act(() => fake.emit('connectionChanged', { state: 'online' }));
    expect(indicator.textContent).toBe('在线');
  });

  it('returns to the login screen with the reason when the server ends the session', async () => {
    const fake = createFakeApi({ current: liSession });
    await renderWithApi(<App />, fake.api);
    await screen.findByRole('banner');
    act(() => fake.emit('signedOut', { reason: '登录已失效，请重新登录' }));
    expect(await screen.findByRole('button', { name: '登录' })).toBeTruthy();
    expect(screen.getByText('登录已失效，请重新登录')).toBeTruthy();
  });

  it('signs out with 退出登录', async () => {
    const fake = createFakeApi({ current: liSession });
    await renderWithApi(<App />, fake.api);
    fireEvent.click(await screen.findByRole('button', { name: '退出登录' }));
    expect(await screen.findByText('您已退出登录')).toBeTruthy();
    expect(fake.calls.map((c) => c.channel)).toContain('session:logout');
    expect(fake.current).toBeNull();
  });

  it('warns a person still using a one-time password', async () => {
    const fake = createFakeApi({ current: { ...liSession, mustChangePassword: true } });
    await renderWithApi(<App />, fake.api);
    expect(await screen.findByText('您正在使用一次性密码，请尽快修改密码。')).toBeTruthy();
  });

  it('switches the whole interface to English and remembers the choice', async () => {
    const fake = createFakeApi({ current: liSession });
    await renderWithApi(<App />, fake.api);
    fireEvent.change(await screen.findByRole('combobox', { name: '界面语言' }), { target: { value: 'en' } });
    expect(await screen.findByRole('navigation', { name: 'Main navigation' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('xietong.language')).toBe('en');
  });
});
