/**
 * The documents services of main (src/main/services/documents, sealing) as the renderer reaches
 * them — through the dispatcher — against a real sync server with the demo organisation and real
 * certificates, each person with their own app services and replica.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { LocalDocument, DocumentCommand, Result } from '../../src/shared/api';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

interface Client {
  call<T>(channel: string, input: unknown): Promise<Result<T>>;
  value<T>(channel: string, input: unknown): Promise<T>;
  events: { event: string; payload: unknown }[];
  close(): Promise<void>;
}

let root: string;
let server: RunningServer;
const serverData = () => join(root, 'server');
const clients: Client[] = [];

async function client(username: string): Promise<Client> {
  const events: Client['events'] = [];
  const services: AppServices = await createAppServices({
    userDataDir: mkdtempSync(join(root, `client-${username}-`)),
    serverUrl: server.url,
    secrets: plainSecretBox,
    emit: (event, payload) => events.push({ event, payload }),
  });
  const call = <T>(channel: string, input: unknown) => services.dispatcher.dispatch(channel, input) as Promise<Result<T>>;
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await call<T>(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  await value('session:login', { username, password: 'demo1234' });
  const made: Client = { call, value, events, close: () => services.close() };
  clients.push(made);
  return made;
}

const p12 = (username: string) => readFileSync(join(serverData(), 'demo', 'certs', `${username}.p12`)).toString('base64');

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // Bounded: 150 × 200 ms.
  for (let i = 0; i < 150; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-docclient-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: serverData() });
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('documents through main', () => {
  it('drafts, hands on, signs off, numbers and seals with the clerk’s own certificate; bad certificates are refused with the reason', async () => {
    const li = await client('li');
    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于开展节前安全检查的通知' });
    const id = created.document.id;
    expect(created.document.state).toBe('draft');

    const submitted = await li.value<{ command: DocumentCommand; document?: LocalDocument }>('documents:act', { id, action: 'submit', to: ['user-wang'], opinion: '请审签' });
    expect(submitted.command).toMatchObject({ status: 'sent', summary: '提交：请审签', targetId: id });
    expect(submitted.document?.document.state).toBe('signoff');
    expect(li.events.some((e) => e.event === 'documentsChanged')).toBe(true);

    const wang = await client('wang');
    const todo = await wang.value<{ items: { id: string }[]; fromReplica: boolean }>('documents:list', { box: 'todo' });
    expect(todo.fromReplica).toBe(false);
    expect(todo.items.map((item) => item.id)).toContain(id);
    await wang.value('documents:act', { id, action: 'approve', opinion: '同意' });

    const zhao = await client('zhao');
    const numbered = await zhao.value<{ command: DocumentCommand; document?: LocalDocument }>('documents:act', { id, action: 'number' });
    expect(numbered.document?.document.docNumber).toMatch(/〔\d{4}〕\d+号$/);

    const wrongPassword = await zhao.call('sealing:seal', { id, p12: p12('zhao'), password: 'not-it' });
    expect(wrongPassword).toMatchObject({ ok: false, error: { code: 'invalid_input', message: '无法打开证书：密码错误或证书文件已损坏' } });

    // li's certificate is genuine but not the holder's: the server verifies and refuses (422).
    const notTheHolder = await zhao.call('sealing:seal', { id, p12: p12('li'), password: 'demo1234' });
    expect(notTheHolder.ok).toBe(false);
    if (!notTheHolder.ok) expect(notTheHolder.error.code).toBe('rejected');

    const sealed = await zhao.value<{ command: DocumentCommand; document?: LocalDocument; signerName: string }>('sealing:seal', { id, p12: p12('zhao'), password: 'demo1234' });
    expect(sealed.signerName).toBe('赵敏');
    expect(sealed.command.status).toBe('sent');
    expect(sealed.document?.document).toMatchObject({ sealed: true, state: 'dispatching' });

    const pdf = await zhao.value<{ base64: string }>('documents:pdf', { id });
    expect(Buffer.from(pdf.base64, 'base64').toString('latin1')).toContain('/ETSI.CAdES.detached');
    const audit = await zhao.value<{ valid: boolean; entries: unknown[] }>('documents:audit', { id });
    expect(audit.valid).toBe(true);
    expect(audit.entries.length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('shows a workflow step with the document the server answered, without reading it again, and keeps that copy for offline use', async () => {
    const li = await client('li');
    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于一次往返办理的通知' });
    const id = created.document.id;
    /** Requests the server answered on a route, from its own /metrics. */
    const answered = async (method: string, route: string): Promise<number> => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith('xietong_http_requests_total{') && line.includes(`method="${method}"`) && line.includes(`route="${route}"`))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    };
    const getsBefore = await answered('GET', '/api/documents/:id');
    const postsBefore = await answered('POST', '/api/documents/:id/actions');

    const step = await li.value<{ command: DocumentCommand; document?: LocalDocument }>('documents:act', { id, action: 'submit', to: ['user-wang'], opinion: '请审签' });
    expect(step.command.status).toBe('sent');
    expect(step.document).toMatchObject({ fromReplica: false, document: { id, state: 'signoff', holderNames: ['王建国'] } });
    expect(step.document?.commands.map((c) => c.status)).toEqual(['sent']);
    expect(await answered('POST', '/api/documents/:id/actions')).toBe(postsBefore + 1);
    expect(await answered('GET', '/api/documents/:id')).toBe(getsBefore);

    // The answer is the copy kept: with the server gone, the document opens in its new state.
    const port = server.port;
    await server.close();
    try {
      const offline = await li.value<LocalDocument>('documents:get', { id });
      expect(offline).toMatchObject({ fromReplica: true, document: { id, state: 'signoff' } });
    } finally {
      server = await startServer({ host: '127.0.0.1', port, demo: true, log: silentLogger, dataDir: serverData() });
    }
  }, 120_000);

  it('answers from the replica while the server is down, keeps a step as 待发送 and sends it once when the server is back', async () => {
    const li = await client('li');
    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于离线办理的通知' });
    const id = created.document.id;
    await li.value('documents:get', { id });
    await li.value('documents:list', { box: 'outgoing' });

    const port = server.port;
    await server.close();
    try {
      const offline = await li.value<LocalDocument>('documents:get', { id });
      expect(offline).toMatchObject({ fromReplica: true, document: { id, title: '关于离线办理的通知' } });
      const list = await li.value<{ items: { id: string }[]; fromReplica: boolean }>('documents:list', { box: 'outgoing' });
      expect(list.fromReplica).toBe(true);
      expect(list.items.map((item) => item.id)).toContain(id);
      const queued = await li.value<{ command: DocumentCommand }>('documents:act', { id, action: 'submit', to: ['user-wang'], opinion: '离线提交' });
      expect(queued.command.status).toBe('pending');
      // 拟稿 works offline too (issue 19): the draft is kept here, its creation queued.
      const created2 = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '离线新建' });
      expect(created2).toMatchObject({ fromReplica: true, document: { title: '离线新建', stateLabel: '拟稿（待发送）' } });
      expect(created2.commands).toMatchObject([{ kind: 'document.create', status: 'pending' }]);
    } finally {
      server = await startServer({ host: '127.0.0.1', port, demo: true, log: silentLogger, dataDir: serverData() });
    }

    const sent = await until(
      () => li.value<{ items: DocumentCommand[] }>('outbox:list', { targetId: id }),
      (r) => r.items.some((c) => c.kind === 'document.action' && c.status === 'sent'),
      'the queued 提交 to be sent',
    );
    expect(sent.items.filter((c) => c.kind === 'document.action')).toHaveLength(1);
    const after = await li.value<LocalDocument>('documents:get', { id });
    expect(after.fromReplica).toBe(false);
    expect(after.document.state).toBe('signoff');
    expect(after.document.history.filter((h) => h.action === 'submit')).toHaveLength(1);
  }, 120_000);

  it('refuses a 退回 in 交换 without a reason before anything is queued', async () => {
    const chen = await client('chen');
    const result = await chen.call('exchange:act', { id: 'x-1', action: 'return' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: '退回时请填写理由' } });
    const outbox = await chen.value<{ items: unknown[] }>('outbox:list', {});
    expect(outbox.items).toHaveLength(0);
  }, 60_000);

  it('reads 交换 a page at a time: the next page by its cursor, every item once', async () => {
    // 260 items sent by chen's unit, straight into the store (dispatching them would seal 260 PDFs).
    for (let i = 0; i < 260; i += 1) {
      await server.deps.db.run(
        `INSERT INTO exchange_items (id, document_id, from_unit_id, to_unit_id, title, pdf_sha256, urgency, secrecy_level, status, sent_by, sent_by_name, sent_at)
         VALUES (?, ?, 'unit-sfgw', 'unit-ccq', ?, ?, 'normal', '非密', 'withdrawn', 'user-chen', '陈静', ?)`,
        [`page-${i}`, `page-doc-${i}`, `分页第${i + 1}件`, '0'.repeat(64), 1_700_000_000_000 + i],
      );
    }
    const chen = await client('chen');
    const first = await chen.value<{ items: { id: string }[]; next?: string; fromReplica: boolean }>('exchange:list', { box: 'outgoing' });
    expect(first.items).toHaveLength(250);
    expect(first.fromReplica).toBe(false);
    expect(typeof first.next).toBe('string');
    const second = await chen.value<{ items: { id: string }[]; next?: string }>('exchange:list', { box: 'outgoing', cursor: first.next });
    expect(second.items).toHaveLength(10);
    expect(second.next).toBeUndefined();
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(260);
    expect(ids[0]).toBe('page-259');
    expect(ids.at(-1)).toBe('page-0');
  }, 60_000);
});
