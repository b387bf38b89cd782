/**
 * A server error reaches the renderer as a key with parameters and is worded in the person's
 * language: the real sync server, main's client path (ServerClient → ServerCalls / session →
 * ApiFailure → the dispatcher's Result on the wire) and the renderer's describeError with the
 * app's own i18n resources.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiErrorSchema, ApiFailure, fail, type ApiError } from '../../src/shared/api/result';
import { createServerClient } from '../../src/main/services/serverClient';
import { createServerCalls, failureOf } from '../../src/main/services/documents/serverCalls';
import { createReachabilityMonitor } from '../../src/main/services/session/connectionMonitor';
import { createSessionService } from '../../src/main/services/session/sessionService';
import { silentLogger, startServer, type RunningServer } from '../../src/sync-server/index';
import { createI18n } from '../../src/renderer/i18n';
import { describeError } from '../../src/renderer/i18n/errors';
import { call, login } from '../server/helpers';

let server: RunningServer;
let dir: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xt-error-wording-'));
  server = await startServer({ dataDir: dir, port: 0, demo: true, demoCertificates: false, log: silentLogger });
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the renderer receives: the dispatcher's Result, parsed as it crosses IPC/WebSocket. */
function onTheWire(failure: ApiFailure): ApiError {
  const result = fail(failure.code, failure);
  if (result.ok) throw new Error('expected a failure');
  return ApiErrorSchema.parse(JSON.parse(JSON.stringify(result.error)));
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function wordings(error: ApiError): Promise<{ en: string; zh: string }> {
  const en = await createI18n('en');
  const zh = await createI18n('zh-CN');
  return { en: describeError(error, en.t), zh: describeError(error, zh.t) };
}

describe('server errors worded in the interface language', () => {
  it('a wrong password reads “Wrong username or password” in English', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'xt-error-wording-client-'));
    const client = createServerClient(server.url, { timeoutMs: 3_000 });
    const connection = createReachabilityMonitor({ isReachable: () => client.isHealthy(1_000), intervalMs: 60_000, retryMinMs: 50, retryMaxMs: 200 });
    const session = createSessionService({ userDataDir, secrets: { available: false, encrypt: () => Buffer.alloc(0), decrypt: () => '' }, emit: () => {}, client, connection });
    cleanups.push(async () => {
      await session.close();
      connection.close();
      rmSync(userDataDir, { recursive: true, force: true });
    });

    const failure = await caught(session.login({ username: 'wang', password: 'not-the-password' }));
    expect(failure).toBeInstanceOf(ApiFailure);
    const error = onTheWire(failure as ApiFailure);
    expect(error).toMatchObject({ code: 'unauthenticated', key: 'auth.wrongPassword', message: '用户名或密码错误' });
    expect(await wordings(error)).toEqual({ en: 'Wrong username or password', zh: '用户名或密码错误' });
  });

  it('a refused workflow action reads in English with its parameters, and the message stays Chinese', async () => {
    const liToken = await login(server.url, 'li');
    const draft = await call<{ id: string }>(server.url, 'POST', '/api/documents', { token: liToken, json: { kind: 'outgoing', title: '关于错误提示语言的测试通知' } });
    expect(draft.status).toBe(201);
    const wangToken = await login(server.url, 'wang');
    // 王建国 does not hold li's draft: the server refuses, naming the step.
    const calls = createServerCalls({ client: createServerClient(server.url, { timeoutMs: 3_000 }), token: () => wangToken });
    const thrown = await caught(calls.json(`/api/documents/${draft.body.id}/actions`, { method: 'POST', body: { action: 'submit' }, schema: z.unknown() }));
    const error = onTheWire(failureOf(thrown));
    expect(error).toMatchObject({ code: 'forbidden', key: 'workflow.notHolder', params: { step: '拟稿', label: '提交' } });
    expect(error.message).toBe('您不是当前拟稿环节的办理人，不能提交');
    const { en, zh } = await wordings(error);
    expect(en).toBe('You are not the holder of the current step (Drafting), so you cannot Submit');
    expect(zh).toBe(error.message);
  });

  it('an error from an older server (no key) is shown as it came', async () => {
    expect(await wordings({ code: 'conflict', message: '旧版本服务器的提示' })).toEqual({ en: '旧版本服务器的提示', zh: '旧版本服务器的提示' });
  });
});
