/**
 * The client's rooms when the server revokes sessions (issue 15): a password changed on this desk
 * closes the sockets of the old token, and the rooms carry on with the new one; a token signed out
 * elsewhere closes them for good and the session ends here.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfflineServices } from '../../src/main/services/sync/offlineServices';
import { useDemoServer, waitFor as waitUpTo } from './helpers/demoServer';

const demo = useDemoServer('xt-revoked-server-');
const dirs = demo.dirs;
// At most 3 s: a revoked socket is closed and reopened within that.
const waitFor = (check: () => boolean | Promise<boolean>, what: string) => waitUpTo(check, what, 300);

async function post<T>(path: string, token: string | null, body: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${demo.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
}

describe('rooms of a revoked session', () => {
  it('carry on with the new token after a password change here, and end with the session after a sign-out elsewhere', async () => {
    const login = await post<{ token: string; user: { id: string } }>('/api/auth/login', null, { username: 'li', password: 'demo1234' });
    let token = login.json.token;
    const signedOut: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'xt-revoked-client-'));
    dirs.push(dir);
    const services = await createOfflineServices({
      userDataDir: dir,
      serverUrl: demo.server.url,
      getToken: () => token,
      currentUserId: () => login.json.user.id,
      onSignedOut: (reason) => signedOut.push(reason),
      backoff: { baseMs: 20, maxMs: 200 },
    });
    try {
      const room = await services.sync.open(`user:${login.json.user.id}`);
      await waitFor(() => room.synced && services.sync.state === 'online', 'room synced');
      const revokedClosings = async () => Number(/xietong_sync_connections_closed_total\{reason="revoked"\} (\d+)/.exec(await (await fetch(`${demo.server.url}/metrics`)).text())?.[1] ?? 0);
      const closedBefore = await revokedClosings();

      // The password is changed on this desk: the session adopts the new token (as sessionService does).
      const changed = await post<{ token: string }>('/api/auth/password', token, { currentPassword: 'demo1234', newPassword: 'li-new-pass-2026' });
      expect(changed.status).toBe(200);
      token = changed.json.token;
      // The server closed the old token's socket; the room connects again with the new one.
      await waitFor(async () => (await revokedClosings()) === closedBefore + 1, 'old socket closed as revoked');
      await waitFor(() => services.sync.state === 'online', 'reconnected with the new token');
      expect(signedOut).toEqual([]);

      // Signed out elsewhere with that token: the socket closes and the session ends here.
      expect((await post('/api/auth/logout', token, {})).status).toBe(204);
      await waitFor(() => signedOut.length > 0, 'signed out');
      expect(signedOut).toEqual(['登录已失效，请重新登录']);
      expect(services.sync.state).not.toBe('online');
    } finally {
      await services.close();
    }
  });
});
