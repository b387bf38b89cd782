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
    // Keyboard users can jump past the header and navigation.
    const skip = screen.getByRole('link', { name: '跳到主要内容' });
    expect(document.getElementById(skip.getAttribute('href')!.slice(1))?.tagName).toBe('MAIN');

    const nav = screen.getByRole('navigation', { name: '主导航' });
    expect(within(nav).getAllByRole('listitem').map((item) => item.textContent)).toEqual(sections);
    for (const section of sections) {
      fireEvent.click(within(nav).getByRole('button', { name: section }));
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(section);
      expect(within(nav).getByRole('button', { name: section }).getAttribute('aria-current')).toBe('page');
    }
  });

  it('goes back to a section\'s list when its navigation item is chosen again', async () => {
    const fake = createFakeApi({ current: liSession, connection: 'online' });
    await renderWithApi(<App />, fake.api);
    const nav = await screen.findByRole('navigation', { name: '主导航' });
    fireEvent.click(within(nav).getByRole('button', { name: '发文' }));
    fireEvent.click(await screen.findByRole('button', { name: '拟稿' }));
    expect(await screen.findByLabelText('标题')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '拟稿' })).toBeNull();
    // 发文 again: the list with 拟稿, not the form it was on.
    fireEvent.click(within(nav).getByRole('button', { name: '发文' }));
    expect(await screen.findByRole('button', { name: '拟稿' })).toBeTruthy();
    expect(screen.queryByLabelText('标题')).toBeNull();
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

  it('words the reason in English when English is chosen (the server sent its key)', async () => {
    const fake = createFakeApi({ current: liSession });
    await renderWithApi(<App />, fake.api, 'en');
    await screen.findByRole('banner');
    act(() => fake.emit('signedOut', { reason: '登录已失效，请重新登录', key: 'auth.sessionExpired' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('Your session has expired. Please sign in again.')).toBeTruthy();
    expect(screen.queryByText('登录已失效，请重新登录')).toBeNull();
  });

  it('follows a sign-in and a sign-out made in another window of the app', async () => {
    const fake = createFakeApi();
    await renderWithApi(<App />, fake.api);
    await screen.findByRole('button', { name: '登录' });
    act(() => fake.emit('sessionChanged', { session: liSession }));
    expect(within(await screen.findByRole('banner')).getByText('李文')).toBeTruthy();
    act(() => fake.emit('sessionChanged', { session: null }));
    expect(await screen.findByRole('button', { name: '登录' })).toBeTruthy();
    expect(screen.getByText('您已退出登录')).toBeTruthy();
  });

  it('shows 关于 with the versions and exports diagnostics', async () => {
    const fake = createFakeApi({ current: liSession });
    await renderWithApi(<App />, fake.api);
    fireEvent.click(await screen.findByRole('button', { name: '关于' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('关于协同办公');
    expect(await screen.findByText('0.1.0')).toBeTruthy();
    expect(screen.getByText('http://127.0.0.1:8787')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '导出诊断信息' }));
    expect((await screen.findByText(/诊断信息已导出/)).textContent).toBe('诊断信息已导出：/home/li/.xietong/diagnostics/xietong-diagnostics.zip（2 个文件，20.0 KB）');
  });

  it('signs out with 退出登录', async () => {
    const fake = createFakeApi({ current: liSession });
    await renderWithApi(<App />, fake.api);
    fireEvent.click(await screen.findByRole('button', { name: '退出登录' }));
    expect(await screen.findByText('您已退出登录')).toBeTruthy();
    expect(fake.calls.map((c) => c.channel)).toContain('session:logout');
    expect(fake.current).toBeNull();
  });

  it('asks for a new password first after a one-time password, then opens the main window', async () => {
    const fake = createFakeApi({ current: { ...liSession, mustChangePassword: true } });
    fake.passwordAnswers.push({ ok: true, value: liSession });
    await renderWithApi(<App />, fake.api);
    expect(await screen.findByRole('heading', { name: '请设置新密码' })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
    fireEvent.change(screen.getByLabelText('当前密码'), { target: { value: 'Otp-123456' } });
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: 'gongwen-2026' } });
    fireEvent.change(screen.getByLabelText('确认新密码'), { target: { value: 'gongwen-2026' } });
    fireEvent.click(screen.getByRole('button', { name: '保存新密码' }));
    expect(await screen.findByRole('navigation', { name: '主导航' })).toBeTruthy();
    expect(fake.calls).toContainEqual({ channel: 'session:change-password', input: { currentPassword: 'Otp-123456', newPassword: 'gongwen-2026' } });
  });

  it('changes the password from the main window and confirms it', async () => {
    const fake = createFakeApi({ current: liSession });
    fake.passwordAnswers.push({ ok: false, error: { code: 'rejected', message: '当前密码不正确' } });
    fake.passwordAnswers.push({ ok: true, value: liSession });
    await renderWithApi(<App />, fake.api);
    fireEvent.click(await screen.findByRole('button', { name: '修改密码' }));
    const fill = (current: string, next: string, confirm: string): void => {
      fireEvent.change(screen.getByLabelText('当前密码'), { target: { value: current } });
      fireEvent.change(screen.getByLabelText('新密码'), { target: { value: next } });
      fireEvent.change(screen.getByLabelText('确认新密码'), { target: { value: confirm } });
      fireEvent.click(screen.getByRole('button', { name: '保存新密码' }));
    };
    fill('demo1234', 'gongwen-2026', 'gongwen-2027');
    expect((await screen.findByRole('alert')).textContent).toBe('两次输入的新密码不一致');
    fill('demo1234', '12345678', '12345678');
    expect((await screen.findByRole('alert')).textContent).toBe('新密码不能全是数字');
    expect(fake.calls.filter((c) => c.channel === 'session:change-password')).toHaveLength(0);
    fill('wrong', 'gongwen-2026', 'gongwen-2026');
    expect((await screen.findByRole('alert')).textContent).toBe('当前密码不正确');
    fill('demo1234', 'gongwen-2026', 'gongwen-2026');
    expect(await screen.findByText('密码已修改')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('待办');
  });

  it('switches the whole interface to English and remembers the choice', async () => {
    const fake = createFakeApi({ current: liSession });
    await renderWithApi(<App />, fake.api);
    fireEvent.change(await screen.findByRole('combobox', { name: '界面语言' }), { target: { value: 'en' } });
    expect(await screen.findByRole('navigation', { name: 'Main navigation' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(document.title).toBe('XieTong Office');
    expect(localStorage.getItem('xietong.language')).toBe('en');
  });
});
