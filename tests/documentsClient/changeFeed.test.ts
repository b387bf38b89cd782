/**
 * Lists update live: main follows the server's change feed (a long-poll) and tells the renderer
 * what another person changed; closing the service aborts the request it has open. Against a real
 * sync server with the demo organisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { createDocumentsService, createServerCalls } from '../../src/main/services/documents';
import { createServerClient } from '../../src/main/services/serverClient';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { DocumentCommand, LocalDocument, Result } from '../../src/shared/api';
import { LoginResponseSchema } from '../../src/shared/http/auth';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

interface Client {
  value<T>(channel: string, input: unknown): Promise<T>;
  events: { event: string; payload: unknown }[];
}

let root: string;
let server: RunningServer;
const apps: AppServices[] = [];

async function client(username: string): Promise<Client> {
  const events: Client['events'] = [];
  const services = await createAppServices({
    userDataDir: mkdtempSync(join(root, `client-${username}-`)),
    serverUrl: server.url,
    secrets: plainSecretBox,
    emit: (event, payload) => events.push({ event, payload }),
  });
  apps.push(services);
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = (await services.dispatcher.dispatch(channel, input)) as Result<T>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  await value('session:login', { username, password: 'demo1234' });
  return { value, events };
}

async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // Bounded: 75 × 200 ms.
  for (let i = 0; i < 75; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const changedIds = (events: Client['events']): string[] =>
  events.filter((e) => e.event === 'documentsChanged').flatMap((e) => (e.payload as { ids: string[] }).ids);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-changefeed-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: join(root, 'server') });
}, 120_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('live lists through the change feed', () => {
  it('tells li’s lists when wang approves a document of her unit she never touched', async () => {
    // zhao drafts and submits before li signs in: li's service has nothing of its own about it.
    const zhao = await client('zhao');
    const created = await zhao.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于做好冬季防火工作的通知' });
    const id = created.document.id;
    const submitted = await zhao.value<{ command: DocumentCommand }>('documents:act', { id, action: 'submit', to: ['user-wang'], opinion: '请审签' });
    expect(submitted.command.status).toBe('sent');

    const li = await client('li');
    const wang = await client('wang');
    expect(changedIds(li.events)).not.toContain(id);

    const approved = await wang.value<{ command: DocumentCommand }>('documents:act', { id, action: 'approve', opinion: '同意' });
    expect(approved.command.status).toBe('sent');

    const events = await until(() => li.events, (all) => changedIds(all).includes(id), 'li to hear of wang’s 审签');
    const change = events.find((e) => e.event === 'documentsChanged' && (e.payload as { ids: string[] }).ids.includes(id));
    // Every box re-reads: the feed says what changed, not which list it moved to.
    expect(change?.payload).toMatchObject({ boxes: expect.arrayContaining(['todo', 'done', 'outgoing']) as unknown });
  }, 120_000);

  it('close() aborts the long-poll in flight and leaves no request pending', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'li', password: 'demo1234' }),
    });
    const { token } = LoginResponseSchema.parse(await login.json());

    const requests: { url: string; signal: AbortSignal | null | undefined; settled: boolean }[] = [];
    const trackingFetch: typeof fetch = async (input, init) => {
      const entry = { url: input instanceof Request ? input.url : String(input), signal: init?.signal, settled: false };
      requests.push(entry);
      try {
        return await fetch(input, init);
      } finally {
        entry.settled = true;
      }
    };
    const calls = createServerCalls({ client: createServerClient(server.url, { fetch: trackingFetch }), token: () => token });
    const documents = createDocumentsService({
      server: calls,
      offline: () => null,
      emit: () => undefined,
      isOnline: () => true,
      isSignedIn: () => true,
      userId: () => 'user-li',
    });

    await until(() => requests, (all) => all.some((r) => r.url.includes('/api/documents/changes?since=') && !r.settled), 'the long-poll to be open');
    documents.close();
    const open = requests.filter((r) => !r.settled);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r) => r.signal?.aborted === true)).toBe(true);
    await until(() => requests, (all) => all.every((r) => r.settled), 'the aborted request to end');
    // Nothing new is started after close.
    const count = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toHaveLength(count);
  }, 60_000);
});
