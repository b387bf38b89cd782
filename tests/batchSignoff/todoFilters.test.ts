/**
 * 待办's filters hold over the whole box, not the pages loaded: the server filters by 文种, 紧急程度
 * and 办理期限 (on or before) and pages the filtered list, and main's `documents:list` passes them
 * through. The matching documents here are the oldest, so none is on the unfiltered first page; the
 * filtered list still finds every one of them, across its own pages. A malformed date is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { Result } from '../../src/shared/api';
import type { DocumentListItem } from '../../src/shared/http/documents';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

let root: string;
let server: RunningServer;
let wang: AppServices;
const urgent: string[] = [];
const dueEarly: string[] = [];

async function login(username: string): Promise<{ token: string; user: { id: string } }> {
  const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  return (await response.json()) as { token: string; user: { id: string } };
}

async function post(path: string, token: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

async function list(input: Record<string, string>): Promise<{ items: DocumentListItem[]; next?: string }> {
  const result = (await wang.dispatcher.dispatch('documents:list', input)) as Result<{ items: DocumentListItem[]; next?: string }>;
  if (!result.ok) throw new Error(`documents:list: ${result.error.message}`);
  return result.value;
}

/** Every page of a filtered 待办, as 加载更多 would bring them (bounded: 10 pages). */
async function allPages(filter: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const result = await list({ box: 'todo', ...filter, ...(cursor ? { cursor } : {}) });
    ids.push(...result.items.map((item) => item.id));
    cursor = result.next;
    if (!cursor) break;
  }
  return ids;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-todo-filters-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: join(root, 'server') });
  const li = await login('li');
  const wangUser = await login('wang');
  const hand = async (fields: Record<string, string>, title: string): Promise<string> => {
    const doc = await post('/api/documents', li.token, { kind: 'outgoing', title, ...fields });
    await post(`/api/documents/${doc.id}/actions`, li.token, { action: 'submit', to: [wangUser.user.id] });
    return doc.id;
  };
  // Oldest first: 22 加急 请示 due early, then 25 ordinary 通知 due later (the newest, so page one).
  for (let i = 0; i < 22; i += 1) {
    const id = await hand({ urgency: 'urgent', type: 'request', dueDate: i % 2 === 0 ? '2026-01-10' : '2026-02-20' }, `加急请示${i}`);
    urgent.push(id);
    if (i % 2 === 0) dueEarly.push(id);
  }
  for (let i = 0; i < 25; i += 1) await hand({ dueDate: '2026-03-01' }, `普通通知${i}`);
  wang = await createAppServices({ userDataDir: join(root, 'client'), serverUrl: server.url, secrets: plainSecretBox, emit: () => undefined });
  const signedIn = await wang.dispatcher.dispatch('session:login', { username: 'wang', password: 'demo1234' });
  if (!signedIn.ok) throw new Error('wang could not sign in');
}, 180_000);

afterAll(async () => {
  await wang?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('待办 filters over the whole box', () => {
  it('finds every matching document beyond the loaded pages, paging the filtered list', async () => {
    const first = await list({ box: 'todo' });
    expect(first.items.some((item) => item.urgency === 'urgent')).toBe(false);

    const byUrgency = await list({ box: 'todo', urgency: 'urgent' });
    expect(byUrgency.items).toHaveLength(20);
    expect(byUrgency.items.every((item) => item.urgency === 'urgent')).toBe(true);
    expect(byUrgency.next).toBeDefined();
    expect((await allPages({ urgency: 'urgent' })).sort()).toEqual([...urgent].sort());
    expect((await allPages({ type: 'request' })).sort()).toEqual([...urgent].sort());
    expect((await allPages({ dueBy: '2026-01-31' })).sort()).toEqual([...dueEarly].sort());
    expect((await allPages({ type: 'request', dueBy: '2026-02-28', urgency: 'urgent' })).sort()).toEqual([...urgent].sort());
    expect(await allPages({ type: 'notice', urgency: 'urgent' })).toEqual([]);
  }, 60_000);

  it('refuses a 办理期限 that is not a date, on the bridge and at the server', async () => {
    const bad = await wang.dispatcher.dispatch('documents:list', { box: 'todo', dueBy: '明天' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const { token } = await login('wang');
    const response = await fetch(`${server.url}/api/documents?box=todo&dueBy=2026-13-45`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(400);
  });
});
