import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfflineController } from '../../src/main/services/sync/offlineController';
import type { ConnectionSource } from '../../src/main/services/session/connectionMonitor';
import type { ConnectionState } from '../../src/shared/api/session.contract';
import { startTestServer, type TestServer } from './helpers/testServer';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const waitFor = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 500; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** A /healthz monitor stand-in whose state the test sets. */
function manualSource(initial: ConnectionState): ConnectionSource & { set(state: ConnectionState): void; failures: number } {
  const listeners = new Set<(state: ConnectionState) => void>();
  const source = {
    state: initial,
    failures: 0,
    set(state: ConnectionState) {
      source.state = state;
      for (const listener of listeners) listener(state);
    },
    subscribe(listener: (state: ConnectionState) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportFailure() {
      source.failures += 1;
    },
    reportSuccess() {},
    close() {},
  };
  return source;
}

/** The session service's surface the controller uses, driven by the test. */
function manualSession() {
  const listeners = new Set<(session: { user: { id: string } } | null) => void>();
  let current: { user: { id: string } } | null = null;
  const unauthorized: string[] = [];
  return {
    unauthorized,
    token: () => (current ? 'token-ok' : null),
    current: () => current,
    reportUnauthorized: (reason?: string) => unauthorized.push(reason ?? ''),
    onSessionChange(listener: (session: { user: { id: string } } | null) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signIn(id: string) {
      current = { user: { id } };
      for (const listener of listeners) listener(current);
    },
    signOut() {
      current = null;
      for (const listener of listeners) listener(null);
    },
  };
}

describe('offline controller', () => {
  it('opens a replica per person, refuses calls while signed out, and lets the open rooms decide 在线/离线', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xt-ctl-'));
    const fallback = manualSource('offline');
    const controller = createOfflineController({ userDataDir: dir, serverUrl: server.url, fallback });
    const session = manualSession();
    controller.attach(session);
    try {
      await expect(controller.handlers.search({ query: '通知', limit: 5 }, undefined)).rejects.toMatchObject({ code: 'unauthenticated' });

      session.signIn('li');
      await controller.ready();
      expect(existsSync(join(dir, 'users', 'li', 'replica', 'replica.sqlite'))).toBe(true);
      const queued = await controller.handlers.enqueue({ command: { type: 'message.send', conversation: 'c1', text: '李文的消息' } }, undefined);
      expect(queued.status).toBe('pending');

      // With no room open, the /healthz monitor decides; with one open, its sync connection does.
      fallback.set('online');
      expect(controller.connection.state).toBe('online');
      await controller.handlers.openRoom({ room: 'doc:ctl-1' }, undefined);
      await waitFor(() => controller.current()?.sync.state === 'online', 'room online');
      fallback.set('offline');
      expect(controller.connection.state).toBe('online');
      await controller.handlers.closeRoom({ room: 'doc:ctl-1' }, undefined);
      expect(controller.connection.state).toBe('offline');

      // Another person on the same computer sees none of it.
      session.signIn('zhao');
      await controller.ready();
      expect((await controller.handlers.outbox({}, undefined)).entries).toEqual([]);
      expect(existsSync(join(dir, 'users', 'zhao', 'replica', 'replica.sqlite'))).toBe(true);

      // Back to the first person: their queue is still there.
      session.signOut();
      await controller.ready();
      expect(controller.current()).toBeNull();
      session.signIn('li');
      await controller.ready();
      const entries = (await controller.handlers.outbox({}, undefined)).entries;
      expect(entries.map((entry) => entry.clientId)).toEqual([queued.clientId]);
    } finally {
      await controller.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
