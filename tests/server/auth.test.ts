/** Login, tokens, throttling, disabled accounts and one-time passwords, against a real server on SQLite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyString, call, containing, login, startTestServer, type TestServer } from './helpers';

const ERROR = { code: 'unauthenticated', key: 'auth.wrongPassword', message: '用户名或密码错误' };

describe('login and tokens', () => {
  let clock = Date.parse('2026-11-22T08:00:00Z');
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      now: () => clock,
      tokenTtlSeconds: 3600,
      loginThrottle: {
        user: { slowAfter: 2, lockAfter: 4, lockSeconds: 600, windowSeconds: 900, maxDelaySeconds: 8 },
        ip: { slowAfter: 1000, lockAfter: 1000, lockSeconds: 600, windowSeconds: 900, maxDelaySeconds: 8 },
      },
    });
  });
  afterAll(() => server.stop());

  it('signs a demo person in with the shape INTERFACES.md gives', async () => {
    const response = await call(server.url, 'POST', '/api/auth/login', { json: { username: 'li', password: 'demo1234' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      token: anyString(),
      user: { id: 'user-li', name: '李文', unitId: 'unit-szfb', unitName: '市政府办公室', roles: ['staff'], username: 'li', mustChangePassword: false },
    });
    const me = await call(server.url, 'GET', '/api/me', { token: response.body.token as string });
    expect(me.body).toMatchObject({ id: 'user-li', name: '李文' });
  });

  it('accepts the username in any case and with spaces around it', async () => {
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: ' WANG ', password: 'demo1234' } })).status).toBe(200);
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await call(server.url, 'POST', '/api/auth/login', { json: { username: 'zhao', password: 'nope' } });
    const unknown = await call(server.url, 'POST', '/api/auth/login', { json: { username: 'nobody', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: ERROR });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: ERROR });
    // The admin can see refused logins in /metrics.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/xietong_login_failures_total\{reason="unauthenticated"\} 2/);
  });

  it('slows repeated failures down, then locks the account even for the right password, then lets it in again', async () => {
    const attempt = (password: string) => call(server.url, 'POST', '/api/auth/login', { json: { username: 'sun', password } });
    expect((await attempt('x1')).status).toBe(401);
    expect((await attempt('x2')).status).toBe(401);
    // Third attempt straight away: too soon.
    const tooSoon = await attempt('demo1234');
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body).toMatchObject({ error: { code: 'too_many_requests', message: containing('秒后重试') } });
    clock += 1_500;
    expect((await attempt('x3')).status).toBe(401);
    clock += 3_000;
    expect((await attempt('x4')).status).toBe(401); // fourth failure: locked
    clock += 60_000;
    const locked = await attempt('demo1234');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('540');
    expect(locked.body).toMatchObject({ error: { message: containing('9 分钟后重试'), retryAfterSeconds: 540 } });
    // Other people are not affected.
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'liu', password: 'demo1234' } })).status).toBe(200);
    clock += 541_000;
    expect((await attempt('demo1234')).status).toBe(200);
    // Success cleared the count: one more failure is an ordinary 401.
    expect((await attempt('x5')).status).toBe(401);
  });

  it('forgets failures once they no longer count', async () => {
    expect(Number((await server.deps.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM login_failures'))?.n)).toBeGreaterThan(1);
    clock += 16 * 60_000;
    await call(server.url, 'POST', '/api/auth/login', { json: { username: 'made-up-name', password: 'x' } });
    const keys = (await server.deps.db.all<{ key: string }>('SELECT key FROM login_failures ORDER BY key')).map((r) => r.key);
    expect(keys).toEqual(['ip:127.0.0.1', 'user:made-up-name']);
  });

  it('stops accepting a token when it expires', async () => {
    const token = await login(server.url, 'chen');
    expect((await call(server.url, 'GET', '/api/me', { token })).status).toBe(200);
    clock += 3_601_000;
    const expired = await call(server.url, 'GET', '/api/me', { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { code: 'unauthenticated', key: 'auth.sessionExpired', message: '登录已失效，请重新登录' } });
  });

  it('refuses a tampered or foreign token', async () => {
    const token = await login(server.url, 'li');
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'user-admin' })).toString('base64url');
    // The signature tampered in its first character: its last one holds two padding bits, so changing the
    // end could decode to the same bytes (this test failed about once in a thousand runs that way).
    const tampered = `${version}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    for (const bad of [`${version}.${forged}.${signature}`, tampered, 'v1.e30.AAAA', 'garbage']) {
      expect((await call(server.url, 'GET', '/api/me', { token: bad })).status).toBe(401);
    }
    const other = await startTestServer();
    try {
      // Another store has another secret: its tokens mean nothing here.
      const foreign = await login(other.url, 'admin');
      expect((await call(server.url, 'GET', '/api/me', { token: foreign })).status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('ends every session of a disabled account and refuses its login', async () => {
    const token = await login(server.url, 'zhao');
    await server.deps.accounts.setDisabled('zhao', true);
    expect((await call(server.url, 'GET', '/api/me', { token })).status).toBe(401);
    const refused = await call(server.url, 'POST', '/api/auth/login', { json: { username: 'zhao', password: 'demo1234' } });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { message: '该账号已停用，请联系管理员' } });
    await server.deps.accounts.setDisabled('zhao', false);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'zhao', password: 'demo1234' } })).status).toBe(200);
    // Re-enabling does not revive the old token.
    expect((await call(server.url, 'GET', '/api/me', { token })).status).toBe(401);
  });

  it('makes a one-time password usable only to change it, then issues a working token', async () => {
    const oldToken = await login(server.url, 'wang');
    const otp = await server.deps.accounts.resetPassword('wang');
    expect((await call(server.url, 'GET', '/api/me', { token: oldToken })).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'wang', password: 'demo1234' } })).status).toBe(401);
    const first = await call<{ token: string; user: { mustChangePassword: boolean } }>(server.url, 'POST', '/api/auth/login', { json: { username: 'wang', password: otp } });
    expect(first.status).toBe(200);
    expect(first.body.user.mustChangePassword).toBe(true);
    const pending = first.body.token;
    expect((await call(server.url, 'GET', '/api/me', { token: pending })).status).toBe(200);
    const blocked = await call(server.url, 'GET', '/api/directory/units', { token: pending });
    expect(blocked.status).toBe(403);
    expect(blocked.body).toEqual({ error: { code: 'password_change_required', key: 'auth.passwordChangeRequired', message: '请先修改初始密码' } });

    const weak = await call(server.url, 'POST', '/api/auth/password', { token: pending, json: { currentPassword: otp, newPassword: '12345678' } });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: { code: 'invalid_input', message: containing('不能全是数字') } });
    const wrongCurrent = await call(server.url, 'POST', '/api/auth/password', { token: pending, json: { currentPassword: 'wrong', newPassword: 'new-pass-2026' } });
    expect(wrongCurrent.status).toBe(403);

    const changed = await call<{ token: string; user: { mustChangePassword: boolean } }>(server.url, 'POST', '/api/auth/password', {
      token: pending,
      json: { currentPassword: otp, newPassword: 'new-pass-2026' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    expect((await call(server.url, 'GET', '/api/directory/units', { token: changed.body.token })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/me', { token: pending })).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'wang', password: 'new-pass-2026' } })).status).toBe(200);
  });
});
