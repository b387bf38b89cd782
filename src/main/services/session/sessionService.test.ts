import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure, type ApiEvents, type EventPayloadOf } from '../../../shared/api';
import { silentLogger, startServer, type RunningServer } from '../../../sync-server/index';
import type { EventSink, SecretBox } from '../appServices';
import { createServerClient } from '../serverClient';
import { createReachabilityMonitor, type ConnectionSource } from './connectionMonitor';
import { createSessionService, type SessionService } from './sessionService';

/** A SecretBox that really transforms the token, so a test can tell sealed from plain on disk. */
const reversingBox: SecretBox = {
  available: true,
  encrypt: (plain) => Buffer.from([...plain].reverse().join(''), 'utf8'),
  decrypt: (sealed) => [...sealed.toString('utf8')].reverse().join(''),
};

type Emitted = { [K in keyof ApiEvents]: { event: K; payload: EventPayloadOf<ApiEvents, K> } }[keyof ApiEvents];

let server: RunningServer;
let serverDir: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'xietong-session-server-'));
  server = await startServer({
    dataDir: serverDir,
    port: 0,
    demo: true,
    demoCertificates: false,
    log: silentLogger,
    // Lock after two failures so the locked-account answer can be tested without waiting.
    loginThrottle: {
      user: { slowAfter: 100, lockAfter: 2, lockSeconds: 600, windowSeconds: 600, maxDelaySeconds: 1 },
      ip: { slowAfter: 1_000_000, lockAfter: 1_000_000, lockSeconds: 1, windowSeconds: 600, maxDelaySeconds: 1 },
    },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(serverDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openSession(
  options: { userDataDir?: string; serverUrl?: string; connection?: ConnectionSource; verifyIntervalMs?: number; secrets?: SecretBox; fetch?: typeof fetch; now?: () => number } = {},
) {
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'xietong-session-client-'));
  if (!options.userDataDir) cleanups.push(() => rmSync(userDataDir, { recursive: true, force: true }));
  const client = createServerClient(options.serverUrl ?? server.url, { timeoutMs: 3_000, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const connection = options.connection ?? createReachabilityMonitor({ isReachable: () => client.isHealthy(1_000), intervalMs: 60_000, retryMinMs: 50, retryMaxMs: 200 });
  const events: Emitted[] = [];
  const emit: EventSink = (event, payload) => events.push({ event, payload } as Emitted);
  const session: SessionService = createSessionService({
    userDataDir,
    secrets: options.secrets ?? reversingBox,
    emit,
    client,
    connection,
    verifyIntervalMs: options.verifyIntervalMs,
    ...(options.now ? { now: options.now } : {}),
  });
  cleanups.push(async () => {
    await session.close();
    connection.close();
  });
  return { session, events, userDataDir, connection };
}

async function failureOf(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiFailure) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('session service against the real sync server', () => {
  it('signs li in with the name and unit the server knows, and keeps the token sealed on disk', async () => {
    const { session, userDataDir } = openSession();
    const signedIn = await session.login({ username: 'li', password: 'demo1234' });
    expect(signedIn.user).toMatchObject({ username: 'li', name: '李文', unitName: '市政府办公室', roles: ['staff'] });
    expect(signedIn.serverUrl).toBe(server.url);
    expect(session.current()).toEqual(signedIn);
    const token = session.token();
    expect(token).toBeTruthy();
    const onDisk = readFileSync(join(userDataDir, 'session.json'), 'utf8');
    expect(onDisk).not.toContain(token);
  });

  it('says 用户名或密码错误 for a wrong password and stays signed out', async () => {
    const { session } = openSession();
    const failure = await failureOf(session.login({ username: 'wang', password: 'wrong-password' }));
    expect(failure.code).toBe('unauthenticated');
    expect(failure.message).toBe('用户名或密码错误');
    expect(session.current()).toBeNull();
  });

  it('passes on the server’s explanation when an account is locked', async () => {
    const { session } = openSession();
    await failureOf(session.login({ username: 'sun', password: 'wrong-1' }));
    await failureOf(session.login({ username: 'sun', password: 'wrong-2' }));
    const failure = await failureOf(session.login({ username: 'sun', password: 'demo1234' }));
    expect(failure.code).toBe('rejected');
    expect(failure.message).toMatch(/锁定/);
  });

  it('remembers the session across a restart and forgets it on logout', async () => {
    const first = openSession();
    await first.session.login({ username: 'zhao', password: 'demo1234' });
    const second = openSession({ userDataDir: first.userDataDir });
    expect(second.session.current()?.user.name).toBe('赵敏');
    expect(second.session.token()).toBe(first.session.token());
    await second.session.logout();
    expect(second.session.current()).toBeNull();
    const third = openSession({ userDataDir: first.userDataDir });
    expect(third.session.current()).toBeNull();
  });

  it('keeps the token in memory only when the host has no real protection for it', async () => {
    // Electron on Linux without a keyring: safeStorage only obfuscates.
    const weakBox: SecretBox = { ...reversingBox, available: false };
    const first = openSession({ secrets: weakBox });
    await first.session.login({ username: 'li', password: 'demo1234' });
    expect(first.session.current()?.user.name).toBe('李文');
    expect(existsSync(join(first.userDataDir, 'session.json'))).toBe(false);
    const second = openSession({ userDataDir: first.userDataDir, secrets: weakBox });
    expect(second.session.current()).toBeNull();

    // The web host accepts an unprotected token in its own data folder.
    const plainBox: SecretBox = { ...weakBox, allowUnprotected: true };
    const third = openSession({ userDataDir: first.userDataDir, secrets: plainBox });
    await third.session.login({ username: 'li', password: 'demo1234' });
    expect(openSession({ userDataDir: first.userDataDir, secrets: plainBox }).session.current()?.user.name).toBe('李文');
  });

  it('ends a remembered session the server no longer accepts and tells the renderer', async () => {
    const first = openSession();
    await first.session.login({ username: 'chen', password: 'demo1234' });
    await server.deps.accounts.setDisabled('chen', true);
    cleanups.push(() => server.deps.accounts.setDisabled('chen', false));
    // A restart: the remembered token is checked as soon as the server is reachable.
    const second = openSession({ userDataDir: first.userDataDir });
    expect(second.session.current()?.user.name).toBe('陈静');
    await until(() => second.events.some((e) => e.event === 'signedOut'), 'signed-out event');
    expect(second.session.current()).toBeNull();
    expect(second.events).toContainEqual({ event: 'signedOut', payload: { reason: '登录已失效，请重新登录', key: 'auth.sessionExpired' } });
  });

  it('notices while running that the account was disabled', async () => {
    const { session, events } = openSession({ verifyIntervalMs: 50 });
    await session.login({ username: 'wang', password: 'demo1234' });
    await until(() => session.connectionState() === 'online', 'online');
    expect(session.current()).not.toBeNull();
    await server.deps.accounts.setDisabled('wang', true);
    cleanups.push(() => server.deps.accounts.setDisabled('wang', false));
    await until(() => events.some((e) => e.event === 'signedOut'), 'signed-out event');
    expect(session.current()).toBeNull();
  });

  it('reports online while the server answers and a clear offline error when it does not', async () => {
    const online = openSession();
    await until(() => online.session.connectionState() === 'online', 'online');
    expect(online.events).toContainEqual({ event: 'connectionChanged', payload: { state: 'online' } });

    // A port nothing listens on: a stopped server.
    const stoppedDir = mkdtempSync(join(tmpdir(), 'xietong-stopped-'));
    cleanups.push(() => rmSync(stoppedDir, { recursive: true, force: true }));
    const stopped = await startServer({ dataDir: stoppedDir, port: 0, log: silentLogger });
    const stoppedUrl = stopped.url;
    await stopped.close();
    const offline = openSession({ serverUrl: stoppedUrl });
    const failure = await failureOf(offline.session.login({ username: 'li', password: 'demo1234' }));
    expect(failure.code).toBe('offline');
    expect(failure.message).toBe('无法连接服务器，请检查网络后重试');
    await until(() => offline.session.connectionState() === 'offline', 'offline');
    expect(offline.events).toContainEqual({ event: 'connectionChanged', payload: { state: 'offline' } });
  });

  it('ends the session when another service reports a 401', async () => {
    const { session, events } = openSession();
    await session.login({ username: 'liu', password: 'demo1234' });
    session.reportUnauthorized();
    expect(session.current()).toBeNull();
    expect(events.filter((e) => e.event === 'signedOut')).toHaveLength(1);
    // Reporting again (several services failing at once) does not repeat the event.
    session.reportUnauthorized();
    expect(events.filter((e) => e.event === 'signedOut')).toHaveLength(1);
  });

  it('replaces a one-time password and continues with the new token', async () => {
    const oneTime = await server.deps.accounts.resetPassword('admin');
    const { session } = openSession();
    const signedIn = await session.login({ username: 'admin', password: oneTime });
    expect(signedIn.mustChangePassword).toBe(true);
    const oldToken = session.token();

    const wrong = await failureOf(session.changePassword({ currentPassword: 'not-it', newPassword: 'gongwen-2026' }));
    expect(wrong.code).toBe('rejected');
    expect(wrong.message).toBe('当前密码不正确');

    const changed = await session.changePassword({ currentPassword: oneTime, newPassword: 'gongwen-2026' });
    expect(changed.mustChangePassword).toBe(false);
    expect(session.token()).not.toBe(oldToken);
    expect(session.current()?.mustChangePassword).toBe(false);
    // The new password is the one that works now.
    const again = openSession();
    await expect(again.session.login({ username: 'admin', password: 'gongwen-2026' })).resolves.toMatchObject({ user: { name: '系统管理员' } });
  });

  it('退出登录 revokes the token on the server: it gets 401 at once', async () => {
    const { session } = openSession();
    await session.login({ username: 'liu', password: 'demo1234' });
    const token = session.token()!;
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await session.logout();
    expect(session.current()).toBeNull();
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect(session.pendingLogouts()).toBe(0);
  });

  it('signed out while offline, revokes the token once the server is reachable again — even after a restart', async () => {
    let reachable = true;
    const gated: typeof fetch = (input, init) => (reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: network down')));
    const listeners = new Set<(state: 'online' | 'offline') => void>();
    const connection: ConnectionSource & { set(next: 'online' | 'offline'): void } = {
      state: 'online',
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      reportFailure: () => undefined,
      reportSuccess: () => undefined,
      close: () => listeners.clear(),
      set(next) {
        (this as { state: string }).state = next;
        for (const listener of [...listeners]) listener(next);
      },
    };
    const first = openSession({ fetch: gated, connection });
    await first.session.login({ username: 'li', password: 'demo1234' });
    const token = first.session.token()!;
    reachable = false;
    connection.set('offline');
    await first.session.logout();
    expect(first.session.current()).toBeNull();
    expect(first.session.pendingLogouts()).toBe(1);
    // Still valid on the server while it could not be told.
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // The app is closed and opened again, still offline: the pending sign-out survives (sealed on disk).
    await first.session.close();
    expect(readFileSync(join(first.userDataDir, 'pending-logout.json'), 'utf8')).not.toContain(token);
    const second = openSession({ userDataDir: first.userDataDir, fetch: gated, connection });
    expect(second.session.pendingLogouts()).toBe(1);
    reachable = true;
    connection.set('online');
    await until(() => second.session.pendingLogouts() === 0, 'pending sign-out sent');
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('refreshes the token while in use, so the session outlives the idle limit of one token', async () => {
    let clock = Date.now();
    const { session, events } = openSession({ verifyIntervalMs: 30, now: () => clock });
    await session.login({ username: 'zhao', password: 'demo1234' });
    await until(() => session.connectionState() === 'online', 'online');
    const first = session.token();
    // Tokens carry their issue time in seconds: a renewal within the same second would be identical.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Half of the 8 hours has gone by (on the client's clock): the next check renews the token.
    clock += 4 * 3600 * 1000 + 1000;
    await until(() => session.token() !== first, 'token refreshed');
    const renewed = session.token()!;
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${renewed}` } })).status).toBe(200);
    expect(session.current()?.user.name).toBe('赵敏');
    expect(events.filter((e) => e.event === 'signedOut')).toEqual([]);
    // Signing out ends the refreshed token too (one session).
    await session.logout();
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${renewed}` } })).status).toBe(401);
  });

  it('lets its owner in from this device while someone else has locked the username', async () => {
    const desk = openSession();
    await desk.session.login({ username: 'wang', password: 'demo1234' });
    await desk.session.logout();
    // Two wrong passwords from elsewhere lock wang (this server locks after two).
    const elsewhere = openSession();
    await failureOf(elsewhere.session.login({ username: 'wang', password: 'guess-1' }));
    await failureOf(elsewhere.session.login({ username: 'wang', password: 'guess-2' }));
    expect((await failureOf(elsewhere.session.login({ username: 'wang', password: 'demo1234' }))).message).toMatch(/锁定/);
    // The same desk (same user-data folder, same device id) gets in with the right password.
    const again = openSession({ userDataDir: desk.userDataDir });
    await expect(again.session.login({ username: 'wang', password: 'demo1234' })).resolves.toMatchObject({ user: { name: '王建国' } });
  });
});
