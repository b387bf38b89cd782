/**
 * Locking out by username (issue 15): six wrong passwords by anyone lock the account, but the right
 * password from a device that signed in to it before still gets in; every attempt on the account is in
 * its audit chain for the administrator. The address lock still stops everyone.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResponse } from '../../src/shared/http/documents';
import { call, containing, login, startTestServer, type TestServer } from './helpers';

const device = (): string => randomBytes(18).toString('base64url');

describe('username lock and known devices', () => {
  let clock = Date.parse('2026-11-24T08:00:00Z');
  let server: TestServer;
  const attempt = (username: string, password: string, deviceId?: string) =>
    call<{ token?: string; error?: { code: string; message: string } }>(server.url, 'POST', '/api/auth/login', {
      json: { username, password, ...(deviceId ? { deviceId } : {}) },
    });
  /** Wrong passwords until the account is locked, waiting out each slow-down as an attacker would. */
  async function lockOut(username: string): Promise<void> {
    for (let i = 0; i < 6; i++) {
      expect((await attempt(username, `guess-${i}`)).status).toBe(401);
      clock += 10_000;
    }
    expect((await attempt(username, 'guess-7')).status).toBe(429);
  }

  beforeAll(async () => {
    server = await startTestServer({ now: () => clock });
  });
  afterAll(() => server.stop());

  it('lets the right password from a device that signed in before past a lock someone else caused', async () => {
    const desk = device();
    expect((await attempt('li', 'demo1234', desk)).status).toBe(200);
    await lockOut('li');
    // The lock holds for the right password without a device, and from a device never seen.
    const plain = await attempt('li', 'demo1234');
    expect(plain.status).toBe(429);
    expect(plain.body.error?.message).toContain('已暂时锁定');
    expect((await attempt('li', 'demo1234', device())).status).toBe(429);
    // A known device with a wrong password learns nothing more than the lock.
    expect((await attempt('li', 'wrong', desk)).status).toBe(429);
    // Li at her own desk gets in, and her count is cleared.
    const own = await attempt('li', 'demo1234', desk);
    expect(own.status).toBe(200);
    expect((await call(server.url, 'GET', '/api/me', { token: own.body.token! })).status).toBe(200);
    expect((await attempt('li', 'demo1234')).status).toBe(200);
  });

  it('keeps a device of one account from opening another', async () => {
    const liDesk = device();
    expect((await attempt('li', 'demo1234', liDesk)).status).toBe(200);
    await lockOut('sun');
    expect((await attempt('sun', 'demo1234', liDesk)).status).toBe(429);
  });

  it('writes the attempts into the account’s audit chain, which only an administrator may read', async () => {
    const admin = await login(server.url, 'admin');
    const audit = await call<AuditResponse>(server.url, 'GET', '/api/admin/accounts/li/login-audit', { token: admin });
    expect(audit.status).toBe(200);
    expect(audit.body.valid).toBe(true);
    const actions = audit.body.entries.map((entry) => entry.action);
    expect(actions.filter((a) => a === 'login.failed')).toHaveLength(5);
    expect(actions).toContain('login.locked');
    expect(actions).toContain('login.refused');
    expect(actions).toContain('login.known-device');
    const failed = audit.body.entries.find((entry) => entry.action === 'login.failed');
    expect(failed).toMatchObject({ actorId: 'user-li', payload: { ip: '127.0.0.1', reason: 'wrong-password' } });
    const lettingIn = audit.body.entries.find((entry) => entry.action === 'login.known-device');
    expect(lettingIn).toMatchObject({ payload: { reason: 'locked' } });

    const refused = await call(server.url, 'GET', '/api/admin/accounts/li/login-audit', { token: await login(server.url, 'wang') });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { message: containing('系统管理员') } });
    expect((await call(server.url, 'GET', '/api/admin/accounts/nobody/login-audit', { token: admin })).status).toBe(404);
  });

  it('refuses a malformed device id with a clear 400', async () => {
    const bad = await call(server.url, 'POST', '/api/auth/login', { json: { username: 'liu', password: 'demo1234', deviceId: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { message: containing('设备标识格式不正确') } });
  });
});

describe('the address lock stops known devices too', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      loginThrottle: {
        user: { slowAfter: 100, lockAfter: 100, lockSeconds: 600, windowSeconds: 900, maxDelaySeconds: 8 },
        ip: { slowAfter: 100, lockAfter: 3, lockSeconds: 600, windowSeconds: 900, maxDelaySeconds: 8 },
      },
    });
  });
  afterAll(() => server.stop());

  it('answers 429 for an address that guessed too often, whatever the device', async () => {
    const desk = device();
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'chen', password: 'demo1234', deviceId: desk } })).status).toBe(200);
    for (const name of ['a1', 'a2', 'a3']) await call(server.url, 'POST', '/api/auth/login', { json: { username: name, password: 'x' } });
    const locked = await call(server.url, 'POST', '/api/auth/login', { json: { username: 'chen', password: 'demo1234', deviceId: desk } });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { message: containing('本机地址') } });
  });
});
