/** What every route gets from the router: 401/403/404/405, JSON errors, body limits, metrics. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, containing, login, startTestServer, type TestServer } from './helpers';

describe('HTTP surface', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ maxBodyBytes: 64 * 1024 });
    token = await login(server.url, 'li');
  });
  afterAll(() => server.stop());

  it('answers /healthz without a token', async () => {
    const response = await call(server.url, 'GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
  });

  it('refuses every /api route without a valid bearer token', async () => {
    for (const path of ['/api/me', '/api/directory/units', '/api/directory/users']) {
      const none = await call(server.url, 'GET', path);
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ error: { code: 'unauthenticated', key: 'http.signInFirst', message: '请先登录' } });
      expect((await call(server.url, 'GET', path, { headers: { authorization: 'Basic bGk6ZGVtbzEyMzQ=' } })).status).toBe(401);
    }
  });

  it('lists the directory: units with organ codes and the people of one unit', async () => {
    const units = await call<{ items: { id: string; name: string; organCode: string }[] }>(server.url, 'GET', '/api/directory/units', { token });
    expect(units.body.items.slice(0, 2).map((u) => [u.name, u.organCode])).toEqual([
      ['市政府办公室', '市政办'],
      ['市发展和改革委员会', '市发改'],
    ]);
    // Then the units other units exchange with (issue 20): five district governments, five city organs.
    expect(units.body.items.slice(2).map((u) => u.name)).toEqual(expect.arrayContaining(['禅城区人民政府', '三水区人民政府', '市教育局']));
    expect(units.body.items).toHaveLength(12);
    const people = await call<{ items: { name: string }[] }>(server.url, 'GET', '/api/directory/users?unitId=unit-sfgw', { token });
    expect(people.body.items.map((p) => p.name)).toEqual(['陈静', '刘强', '孙磊']);
    const everyone = await call<{ items: unknown[] }>(server.url, 'GET', '/api/directory/users', { token });
    expect(everyone.body.items).toHaveLength(7);
    // Nothing secret leaks into the directory.
    expect(JSON.stringify(everyone.body)).not.toMatch(/password|scrypt/);
  });

  it('answers unknown paths with a JSON 404 and wrong methods with 405', async () => {
    const missing = await call(server.url, 'GET', '/api/nothing-here', { token });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await call(server.url, 'GET', '/api/nothing-here')).status).toBe(401);
    const wrongMethod = await call(server.url, 'DELETE', '/api/auth/login', { token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('answers malformed JSON and invalid shapes with 400 and a reason', async () => {
    const malformed = await call(server.url, 'POST', '/api/auth/login', { body: '{"username": "li",', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: { code: 'invalid_input', key: 'http.jsonInvalid', message: '请求内容不是有效的 JSON' } });
    const invalid = await call(server.url, 'POST', '/api/auth/login', { json: { username: 'li' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'invalid_input', message: containing('password') } });
    const form = await call(server.url, 'POST', '/api/auth/login', { body: 'username=li', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('refuses an oversized body with 413, declared or streamed, and keeps serving', async () => {
    const big = JSON.stringify({ username: 'li', password: 'x'.repeat(100 * 1024) });
    const declared = await call(server.url, 'POST', '/api/auth/password', { token, body: big, headers: { 'content-type': 'application/json' } });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: { code: 'payload_too_large' } });
    // Chunked, no Content-Length: the limit is enforced while reading.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/auth/password`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8 * 1024));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('counts requests in /metrics (Prometheus text, with the sync service figures)', async () => {
    await call(server.url, 'GET', '/api/me', { token });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/xietong_http_requests_total\{method="GET",route="\/api\/me",status="200"\} \d+/);
    expect(text).toMatch(/xietong_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(/# TYPE \S*sync\S* /);
  });
});

describe('behind a trusted load balancer', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      trustProxy: true,
      loginThrottle: {
        user: { slowAfter: 100, lockAfter: 100, lockSeconds: 60, windowSeconds: 60, maxDelaySeconds: 1 },
        ip: { slowAfter: 100, lockAfter: 2, lockSeconds: 600, windowSeconds: 600, maxDelaySeconds: 1 },
      },
    });
  });
  afterAll(() => server.stop());

  const attempt = (username: string, password: string, forwardedFor: string) =>
    call(server.url, 'POST', '/api/auth/login', { json: { username, password }, headers: { 'x-forwarded-for': forwardedFor } });

  it('throttles by the address the balancer saw, whatever the client put before it', async () => {
    expect((await attempt('wang', 'x', '9.9.9.9, 10.0.0.5')).status).toBe(401);
    expect((await attempt('zhao', 'x', '8.8.8.8, 10.0.0.5')).status).toBe(401);
    // A spoofed first hop does not escape the lock on 10.0.0.5 …
    const locked = await attempt('li', 'demo1234', '1.2.3.4, 10.0.0.5');
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { message: containing('本机地址登录失败次数过多') } });
    // … and a desk behind another address is not affected.
    expect((await attempt('li', 'demo1234', '10.0.0.5, 10.0.0.6')).status).toBe(200);
  });
});
