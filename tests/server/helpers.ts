/** Shared helpers of the server tests: temp folders, real servers on random ports, a PostgreSQL schema per run. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { startServer, silentLogger, type RunningServer, type ServerOptions } from '../../src/sync-server/index';

export const PG_BASE = process.env.XIETONG_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.XIETONG_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** A fresh temporary folder; `cleanup` removes it. */
export function tempDir(prefix = 'xt-server-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A unique PostgreSQL schema for this run: its URL and a `drop` that removes it. */
export function pgSchema(): { url: string; schema: string; drop: () => Promise<void> } {
  const schema = `xt_test_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    url: `${PG_BASE}?schema=${schema}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_BASE });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

/** A real server on a random loopback port with its own data folder (demo seed without certificates by default). */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const tmp = options.dataDir ? null : tempDir();
  const dataDir = options.dataDir ?? tmp!.dir;
  const server = await startServer({ host: '127.0.0.1', port: 0, demo: true, demoCertificates: false, log: silentLogger, ...options, dataDir });
  return {
    ...server,
    dataDir,
    stop: async () => {
      await server.close();
      tmp?.cleanup();
    },
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request; `token` adds the bearer header. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : new Blob([new Uint8Array(body)]);
  const response = await fetch(base + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

/** Logs in and returns the token (fails the test when login fails). */
export async function login(base: string, username: string, password = 'demo1234'): Promise<string> {
  const response = await call<{ token: string }>(base, 'POST', '/api/auth/login', { json: { username, password } });
  if (response.status !== 200) throw new Error(`login ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token;
}

/** Asymmetric matchers typed as unknown (the linter refuses their `any`). */
export const anyString = (): unknown => expect.any(String);
export const containing = (text: string): unknown => expect.stringContaining(text);
