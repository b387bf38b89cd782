import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginScreen } from '../../src/renderer/features/login';
import { createFakeApi, liSession } from './fakeApi';
import { renderWithApi } from './render';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function fill(username: string, password: string): void {
  fireEvent.change(screen.getByLabelText('用户名'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

describe('login screen', () => {
  it('signs in with what was typed and hands the session on', async () => {
    const fake = createFakeApi();
    fake.loginAnswers.push({ ok: true, value: liSession });
    const onSignedIn = vi.fn();
    await renderWithApi(<LoginScreen onSignedIn={onSignedIn} />, fake.api);
    fill('  li ', 'demo1234');
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(liSession));
    expect(fake.calls).toContainEqual({ channel: 'session:login', input: { username: 'li', password: 'demo1234' } });
  });

  it('shows 用户名或密码错误 on a wrong password, keeps the username and clears the password', async () => {
    const fake = createFakeApi();
    fake.loginAnswers.push({ ok: false, error: { code: 'unauthenticated', message: '用户名或密码错误' } });
    const onSignedIn = vi.fn();
    await renderWithApi(<LoginScreen onSignedIn={onSignedIn} />, fake.api);
    fill('wang', 'wrong');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', '用户名或密码错误');
    expect(screen.getByLabelText<HTMLInputElement>('用户名').value).toBe('wang');
    expect(screen.getByLabelText<HTMLInputElement>('密码').value).toBe('');
    expect(document.activeElement).toBe(screen.getByLabelText('密码'));
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('shows the server’s own message for a locked account', async () => {
    const fake = createFakeApi();
    const locked = '该账号登录失败次数过多，已暂时锁定，请在 15 分钟后重试';
    fake.loginAnswers.push({ ok: false, error: { code: 'rejected', message: locked } });
    await renderWithApi(<LoginScreen onSignedIn={vi.fn()} />, fake.api);
    fill('sun', 'whatever');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', locked);
  });

  it('says the server cannot be reached when offline', async () => {
    const fake = createFakeApi();
    fake.loginAnswers.push({ ok: false, error: { code: 'offline', message: 'x' } });
    await renderWithApi(<LoginScreen onSignedIn={vi.fn()} />, fake.api);
    fill('li', 'demo1234');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', '无法连接服务器，请检查网络后重试');
  });

  it('asks for both fields before calling the server', async () => {
    const fake = createFakeApi();
    await renderWithApi(<LoginScreen onSignedIn={vi.fn()} />, fake.api);
    fill('li', '');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', '请输入用户名和密码');
    expect(fake.calls.filter((c) => c.channel === 'session:login')).toHaveLength(0);
  });

  it('is available in English with the same behaviour', async () => {
    const fake = createFakeApi();
    fake.loginAnswers.push({ ok: false, error: { code: 'unauthenticated', message: '用户名或密码错误' } });
    await renderWithApi(<LoginScreen onSignedIn={vi.fn()} />, fake.api, 'en');
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'wang' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Wrong username or password');
  });
});
