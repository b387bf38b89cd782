import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BridgeResponseSchema, BridgeServerMessageSchema, type BridgeServerMessage } from '../../shared/api/bridgeProtocol';
import { silentLogger, startServer, type RunningServer } from '../../sync-server/index';
import { startWebHost, type WebHost } from './webHost';

let server: RunningServer;
let host: WebHost;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xietong-webhost-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>协同办公</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(root, 'secret.txt'), 'not for the web');
  server = await startServer({ dataDir: join(root, 'server'), port: 0, demo: true, demoCertificates: false, log: silentLogger });
  host = await startWebHost({ dataDir: join(root, 'data'), rendererDir, port: 0, serverUrl: server.url });
});

afterAll(async () => {
  await host.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw GET, so the Host header and odd paths go out exactly as written (fetch would normalise them). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(host.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const bridgeUrl = (): string => `${host.url.replace('http:', 'ws:')}/bridge`;

/** Opens a bridge socket; resolves with the socket, or with the HTTP status the upgrade was refused with. */
function openBridge(origin: string | undefined): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(bridgeUrl(), origin === undefined ? {} : { origin });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

class BridgeClient {
  private readonly messages: BridgeServerMessage[] = [];
  private readonly waiters: (() => void)[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.messages.push(BridgeServerMessageSchema.parse(JSON.parse(data.toString('utf8'))));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  async next(match: (message: BridgeServerMessage) => boolean): Promise<BridgeServerMessage> {
    for (let round = 0; round < 100; round += 1) {
      const index = this.messages.findIndex(match);
      if (index >= 0) return this.messages.splice(index, 1)[0]!;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    throw new Error('no matching bridge message');
  }
  async call(id: number, channel: string, input: unknown) {
    this.socket.send(JSON.stringify({ id, channel, input }));
    return BridgeResponseSchema.parse(await this.next((m) => 'id' in m && m.id === id));
  }
  close(): void {
    this.socket.close();
  }
}

async function connect(): Promise<BridgeClient> {
  const opened = await openBridge(host.url);
  if (!('socket' in opened)) throw new Error(`bridge refused: ${opened.refused}`);
  return new BridgeClient(opened.socket);
}

describe('web host HTTP', () => {
  it('answers /healthz', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('协同办公');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // 语音签批 plays recordings from blob: URLs, nothing remote.
    expect(csp).toContain("media-src 'self' blob:");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const asset = await get('/assets/app.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('not for the web');
    }
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const res = await get('/', { host: 'attacker.example' });
    expect(res.status).toBe(421);
  });
});

describe('web host bridge', () => {
  it('refuses a socket from another origin or without one', async () => {
    expect(await openBridge('http://evil.example')).toEqual({ refused: 403 });
    expect(await openBridge('http://127.0.0.1:1')).toEqual({ refused: 403 });
    expect(await openBridge(undefined)).toEqual({ refused: 403 });
  });

  it('answers malformed messages with invalid_input and keeps serving', async () => {
    const client = await connect();
    client.socket.send('this is not json');
    expect(await client.next((m) => 'id' in m && m.id === null)).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });

    client.socket.send(JSON.stringify({ id: 7, input: {} }));
    expect(await client.next((m) => 'id' in m && m.id === 7)).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });

    expect(await client.call(8, 'fs:readFile', { path: '/etc/passwd' })).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });

    const badLogin = await client.call(9, 'session:login', { username: '', password: 42 });
    expect(badLogin.result.ok).toBe(false);
    if (!badLogin.result.ok) {
      expect(badLogin.result.error.code).toBe('invalid_input');
      expect(badLogin.result.error.message).toContain('password');
    }
    // Still serving after all that.
    expect(await client.call(10, 'session:current', {})).toEqual({ id: 10, result: { ok: true, value: null } });
    client.close();
  });

  it('carries a call as large as an attachment (several MB of base64) and keeps serving', async () => {
    const client = await connect();
    const base64 = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    const answer = await client.call(20, 'attachments:add', { documentId: 'doc-x', name: '附件.pdf', base64 });
    // Signed out, so the service refuses — but the bridge delivered the 4 MB message instead of closing.
    expect(answer.result.ok).toBe(false);
    expect(await client.call(21, 'session:current', {})).toEqual({ id: 21, result: { ok: true, value: null } });
    client.close();
  });

  it('signs in through the bridge, pushes events to every window and signs out', async () => {
    const first = await connect();
    const second = await connect();
    const wrong = await first.call(1, 'session:login', { username: 'li', password: 'nope' });
    expect(wrong.result).toEqual({ ok: false, error: { code: 'unauthenticated', key: 'auth.wrongPassword', message: '用户名或密码错误' } });

    const login = await first.call(2, 'session:login', { username: 'li', password: 'demo1234' });
    expect(login.result).toMatchObject({ ok: true, value: { user: { name: '李文', unitName: '市政府办公室' } } });
    // Another window of the same host is told, and sees the same session.
    expect(await second.next((m) => 'event' in m && m.event === 'session:changed')).toMatchObject({ payload: { session: { user: { username: 'li' } } } });
    expect(await second.call(1, 'session:current', {})).toMatchObject({ result: { ok: true, value: { user: { username: 'li' } } } });
    expect(await second.call(2, 'session:connection', {})).toEqual({ id: 2, result: { ok: true, value: { state: 'online' } } });

    // A 401 reported by any service reaches every window as session:signed-out.
    host.services.session.reportUnauthorized('测试：令牌失效');
    for (const client of [first, second]) {
      expect(await client.next((m) => 'event' in m && m.event === 'session:signed-out')).toEqual({ event: 'session:signed-out', payload: { reason: '测试：令牌失效' } });
    }
    expect(await first.call(3, 'session:current', {})).toEqual({ id: 3, result: { ok: true, value: null } });
    first.close();
    second.close();
  });
});
