import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AccountUser } from '../../shared/http/auth';
import { wordError } from '../../shared/errors';
import { HttpErrorBodySchema } from '../../shared/http/errors';
import { createLogger } from '../log';
import { forbidden } from './errors';
import { bytes, created, ok, Router } from './router';

const person: AccountUser = { id: 'u1', username: 'li', name: '李文', unitId: 'unit', unitName: '单位', roles: ['staff'], mustChangePassword: false };

describe('Router', () => {
  const lines: Record<string, unknown>[] = [];
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const router = new Router({
      authenticate: (token) => Promise.resolve(token === 'good' ? person : null),
      log: createLogger({ write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) }),
    });
    router.get('/api/boom', () => {
      throw new Error('database password is hunter2');
    });
    router.get('/api/items/:id', (ctx) => ok({ id: ctx.params.id, by: ctx.user.name }));
    router.post('/api/items', async (ctx) => created(await ctx.json(z.object({ title: z.string().min(1) }))));
    router.put('/api/items/:id/file', async (ctx) => bytes(await ctx.body({ contentType: 'application/pdf' }), 'application/pdf'), { maxBodyBytes: 16 });
    router.get('/api/secret', () => {
      throw forbidden('只有管理员可以查看');
    });
    server = createServer((req, res) => void router.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const auth = { authorization: 'Bearer good' };

  it('hides unexpected errors behind a generic 500 and logs them with the request id', async () => {
    const response = await fetch(`${base}/api/boom`, { headers: { ...auth, 'x-request-id': 'desk-42.call-7' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', key: 'http.internal', message: '服务器内部错误，请稍后重试' } });
    expect(text).not.toContain('hunter2');
    expect(response.headers.get('x-request-id')).toBe('desk-42.call-7');
    expect(lines.find((l) => l.msg === 'request failed')).toMatchObject({ requestId: 'desk-42.call-7', level: 'error', path: '/api/boom' });
  });

  it('replaces a request id that is not a plain word', async () => {
    const response = await fetch(`${base}/api/items/1`, { headers: { ...auth, 'x-request-id': 'a b;/etc' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives every request without an id a fresh one, past a refill of the pool it draws from', async () => {
    const ids = new Set<string>();
    for (let round = 0; round < 60; round++) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/api/items/1`, { headers: auth })));
      for (const response of responses) {
        await response.text();
        const id = response.headers.get('x-request-id') ?? '';
        expect(id).toMatch(/^[0-9a-f]{16}$/);
        ids.add(id);
      }
    }
    expect(ids.size).toBe(600);
  });

  it('decodes path parameters and refuses broken encodings with 400', async () => {
    expect(await (await fetch(`${base}/api/items/${encodeURIComponent('发文/1')}`, { headers: auth })).json()).toEqual({ id: '发文/1', by: '李文' });
    expect((await fetch(`${base}/api/items/%E0%A4%A`, { headers: auth })).status).toBe(400);
  });

  it('answers 403 with the reason the route gives', async () => {
    const response = await fetch(`${base}/api/secret`, { headers: auth });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'forbidden', message: '只有管理员可以查看' } });
  });

  it('checks the content type and size of raw bodies', async () => {
    const pdf = await fetch(`${base}/api/items/1/file`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/pdf' }, body: '%PDF-1.7' });
    expect(pdf.status).toBe(200);
    expect(await pdf.text()).toBe('%PDF-1.7');
    expect((await fetch(`${base}/api/items/1/file`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/plain' }, body: '%PDF' })).status).toBe(415);
    expect((await fetch(`${base}/api/items/1/file`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/pdf' }, body: 'x'.repeat(17) })).status).toBe(413);
  });

  it('parses JSON bodies with the route schema', async () => {
    const good = await fetch(`${base}/api/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"title":"通知"}' });
    expect(good.status).toBe(201);
    const bad = await fetch(`${base}/api/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"title":""}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_input', message: expect.stringContaining('title') as unknown } });
  });

  it('gives an invalid body the key http.invalidRequest with the issues as {details}, worded in English too', async () => {
    const bad = await fetch(`${base}/api/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"title":7}' });
    const body = HttpErrorBodySchema.parse(await bad.json());
    expect(body.error).toMatchObject({ code: 'invalid_input', key: 'http.invalidRequest', params: { details: expect.stringMatching(/^title: /) as unknown } });
    expect(body.error.message).toBe(`请求内容无效（${body.error.params?.details}）`);
    expect(wordError(body.error, 'en')).toMatch(/^The request is not valid \(title: .*[a-z]\)$/);
  });
});
