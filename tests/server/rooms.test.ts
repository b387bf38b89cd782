/**
 * The Yjs endpoint as the server mounts it: tokens and room rules decide who connects, and a stock
 * y-websocket provider syncs through it — on one SQLite server, and across two PostgreSQL + Redis
 * instances.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { RoomPolicies, registerBuiltInRoomRules } from '../../src/sync-server/rooms/policy';
import type { AccountUser } from '../../src/shared/http/auth';
import { login, pgSchema, REDIS_URL, startTestServer, tempDir, type TestServer } from './helpers';

/** Opens a WebSocket to `/sync/<room>`; resolves 'open' or the HTTP status that refused it. */
function connect(base: string, room: string, token?: string): Promise<'open' | number> {
  const url = `${base.replace(/^http/, 'ws')}/sync/${encodeURIComponent(room)}${token ? `?token=${token}` : ''}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (error) => reject(error));
  });
}

/** Waits until `check` is true (bounded: 100 polls of 50 ms). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

function provider(base: string, room: string, token: string, doc: Y.Doc): WebsocketProvider {
  return new WebsocketProvider(`${base.replace(/^http/, 'ws')}/sync`, room, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

describe('room rules', () => {
  const person = (id: string, unitId: string): AccountUser => ({ id, unitId, username: id, name: id, unitName: '', roles: ['staff'], mustChangePassword: false });
  const policies = new RoomPolicies();
  registerBuiltInRoomRules(policies);
  const li = person('user-li', 'unit-a');

  it('lets a person into their own room only', async () => {
    expect(await policies.authorize(li, 'user:user-li')).toBe('write');
    expect(await policies.authorize(li, 'user:user-wang')).toBe('none');
  });

  it('lets the two people of a direct conversation and the members of a unit into theirs', async () => {
    expect(await policies.authorize(li, 'chat:dm.user-li.user-wang')).toBe('write');
    expect(await policies.authorize(li, 'chat:dm.user-wang.user-zhao')).toBe('none');
    expect(await policies.authorize(li, 'chat:dm.user-li.user-li')).toBe('none');
    expect(await policies.authorize(li, 'chat:unit.unit-a')).toBe('write');
    expect(await policies.authorize(li, 'chat:unit.unit-b')).toBe('none');
    expect(await policies.authorize(li, 'chat:other')).toBe('none');
  });

  it('closes kinds without a rule, malformed names, and rooms whose rule fails', async () => {
    expect(await policies.authorize(li, 'doc:123')).toBe('none');
    expect(await policies.authorize(li, 'nonsense')).toBe('none');
    policies.register('doc', () => {
      throw new Error('store down');
    });
    expect(await policies.authorize(li, 'doc:123')).toBe('none');
    expect(() => policies.register('doc', () => 'write')).toThrow(/twice/);
  });
});

describe('sync endpoint on one server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('refuses connections without a valid token (401) and rooms the person may not open (403)', async () => {
    const li = await login(server.url, 'li');
    expect(await connect(server.url, 'user:user-li')).toBe(401);
    expect(await connect(server.url, 'user:user-li', 'v1.bad.token')).toBe(401);
    expect(await connect(server.url, 'user:user-wang', li)).toBe(403);
    expect(await connect(server.url, 'doc:no-such-document', li)).toBe(403);
    expect(await connect(server.url, 'user:user-li', li)).toBe('open');
  });

  it('refuses a person who still has a one-time password', async () => {
    const otp = await server.deps.accounts.resetPassword('zhao');
    const pending = await login(server.url, 'zhao', otp);
    expect(await connect(server.url, 'user:user-zhao', pending)).toBe(401);
  });

  it('syncs a shared Yjs document between the two people of a conversation', async () => {
    const room = 'chat:dm.user-li.user-wang';
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const a = provider(server.url, room, await login(server.url, 'li'), docA);
    const b = provider(server.url, room, await login(server.url, 'wang'), docB);
    try {
      await until(() => a.synced && b.synced);
      docA.getText('messages').insert(0, '请于明天上午报送材料');
      await until(() => docB.getText('messages').toJSON() === '请于明天上午报送材料');
    } finally {
      a.destroy();
      b.destroy();
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/xietong_http_requests_total/);
  });
});

describe('two instances on PostgreSQL and Redis', () => {
  const schema = pgSchema();
  const prefix = `xt-test-${randomBytes(4).toString('hex')}:`;
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startTestServer({ postgresUrl: schema.url, redisUrl: REDIS_URL, redisPrefix: prefix });
    second = await startTestServer({ postgresUrl: schema.url, redisUrl: REDIS_URL, redisPrefix: prefix });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await schema.drop();
  });

  it('accept each other\'s tokens; disabling through one ends the session on the other', async () => {
    const token = await login(first.url, 'liu');
    const me = await fetch(`${second.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    // Disabling through one instance ends the session on the other.
    await first.deps.accounts.setDisabled('liu', true);
    expect((await fetch(`${second.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('carry a Yjs edit made on one instance to a person connected to the other', async () => {
    const room = 'chat:unit.unit-sfgw';
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const a = provider(first.url, room, await login(first.url, 'chen'), docA);
    const b = provider(second.url, room, await login(second.url, 'sun'), docB);
    try {
      await until(() => a.synced && b.synced);
      docA.getMap('notice').set('title', '关于报送年度计划的通知');
      await until(() => docB.getMap('notice').get('title') === '关于报送年度计划的通知');
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});

describe('start-up checks', () => {
  it('refuses to start when Redis is unreachable, naming the address, and leaves the folder free', async () => {
    const data = tempDir('xt-redis-');
    try {
      await expect(startTestServer({ dataDir: data.dir, redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow('cannot reach Redis at redis://127.0.0.1:1');
      const server = await startTestServer({ dataDir: data.dir });
      await server.close();
    } finally {
      data.cleanup();
    }
  });
});

describe('shutdown', () => {
  it('closes open sync connections with 1001 (going away) and keeps the edits made before', async () => {
    const data = tempDir('xt-shutdown-');
    try {
      let server = await startTestServer({ dataDir: data.dir });
      const token = await login(server.url, 'li');
      const doc = new Y.Doc();
      const p = provider(server.url, 'user:user-li', token, doc);
      const closed = new Promise<number>((resolve) => p.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)));
      await until(() => p.synced);
      doc.getText('draft').insert(0, '拟同意。');
      // The edit has reached the server once its row is stored.
      for (let i = 0; i < 100; i++) {
        const row = await server.deps.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_room_updates WHERE room = 'user:user-li'");
        if (Number(row?.n) > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      p.shouldConnect = false;
      await server.close();
      expect(await closed).toBe(1001);
      p.destroy();

      server = await startTestServer({ dataDir: data.dir });
      try {
        const again = new Y.Doc();
        const q = provider(server.url, 'user:user-li', await login(server.url, 'li'), again);
        await until(() => q.synced);
        expect(again.getText('draft').toJSON()).toBe('拟同意。');
        q.destroy();
      } finally {
        await server.close();
      }
    } finally {
      data.cleanup();
    }
  });
});
