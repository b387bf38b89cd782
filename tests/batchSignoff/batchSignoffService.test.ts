/**
 * 批量签批 through main's services (the dispatcher, as the renderer reaches it) against a real sync
 * server with the demo organisation and its real certificates: wang signs a stack of approvals with
 * wang.p12 in one entry; each 处理笺 then carries his valid signature and `pdfsig` agrees; a
 * certificate of someone else is refused with the reason; and a server stopped halfway and started
 * again ends with every document approved exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { BatchStatus, LocalDocument, Result } from '../../src/shared/api';
import { verifyPdf } from '../../src/signing';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';
import { needs, requireTools } from '../support/systemTools';

interface Client {
  value<T>(channel: string, input: unknown): Promise<T>;
  call<T>(channel: string, input: unknown): Promise<Result<T>>;
}

let root: string;
let server: RunningServer;
const opened: AppServices[] = [];
const serverData = () => join(root, 'server');

async function client(username: string): Promise<Client> {
  const services = await createAppServices({ userDataDir: mkdtempSync(join(root, `client-${username}-`)), serverUrl: server.url, secrets: plainSecretBox, emit: () => undefined });
  opened.push(services);
  const call = <T>(channel: string, input: unknown) => services.dispatcher.dispatch(channel, input) as Promise<Result<T>>;
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await call<T>(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  await value('session:login', { username, password: 'demo1234' });
  return { call, value };
}

const p12 = (username: string) => readFileSync(join(serverData(), 'demo', 'certs', `${username}.p12`)).toString('base64');

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, tries = 300): Promise<T> {
  // Bounded: `tries` × 200 ms.
  for (let i = 0; i < tries; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function login(username: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  return ((await response.json()) as { token: string }).token;
}

/** `count` drafts by li, each handed to wang for 签发. */
async function documentsForWang(li: Client, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: `${prefix}第${i + 1}号通知` });
    await li.value('documents:act', { id: created.document.id, action: 'submit', to: ['user-wang'] });
    ids.push(created.document.id);
  }
  return ids;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-batch-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: serverData() });
}, 120_000);

afterAll(async () => {
  for (const services of opened) await services.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('batch sign-off through main', () => {
  it(`signs every approval with wang.p12 in one entry; each sheet carries his valid signature ${needs('pdfsig')}`, async () => {
    requireTools('pdfsig');
    const li = await client('li');
    const ids = await documentsForWang(li, 5, '批量');
    const wang = await client('wang');

    const notHis = (await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '李文的草稿' })).document.id;
    const prepared = await wang.value<{ eligible: { id: string }[]; skipped: { id: string; reason: string; reasonKey?: string }[] }>('batchSignoff:prepare', { ids: [...ids, notHis] });
    expect(prepared.eligible.map((e) => e.id)).toEqual(ids);
    expect(prepared.skipped).toHaveLength(1);
    // Keyed, so the batch view words it in the person's language; the Chinese message stays.
    expect(prepared.skipped[0]?.reasonKey).toMatch(/^(batch\.notAtSignoff|documents\.readForbidden)$/);

    const started = await wang.value<BatchStatus>('batchSignoff:start', {
      items: ids.map((id, i) => ({ id, title: `第${i + 1}份`, opinion: i === 0 ? '同意，请按程序印发。' : '同意' })),
      secret: { kind: 'p12', p12: p12('wang'), password: 'demo1234' },
    });
    expect(started.total).toBe(5);
    const finished = await until(() => wang.value<BatchStatus>('batchSignoff:status', { batchId: started.batch.id }), (s) => s.done + s.failed === 5 && !s.running, 'the batch');
    expect(finished.batch.items.map((i) => [i.state, i.reason])).toEqual(ids.map(() => ['done', undefined]));

    const token = await login('wang');
    const rootPem = readFileSync(join(serverData(), 'demo', 'ca', 'root.pem'), 'utf8');
    for (const id of ids) {
      const view = (await wang.value<LocalDocument>('documents:get', { id })).document;
      expect(view.state).toBe('numbering');
      expect(view.approval).toMatchObject({ signerName: '王建国', consistent: true, changed: [] });
      const sheet = new Uint8Array(await (await fetch(`${server.url}/api/documents/${id}/sheet`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
      const verification = await verifyPdf(sheet, { trustedRoots: [rootPem] });
      expect(verification.ok).toBe(true);
      expect(verification.signatures.map((s) => s.signerName)).toEqual(['王建国']);
      const file = join(root, `${id}-sheet.pdf`);
      writeFileSync(file, sheet);
      const report = execFileSync('pdfsig', ['-nocert', file], { encoding: 'utf8' });
      expect(report).toContain('Signature is Valid');
      expect(report).toContain('王建国');
    }
  }, 120_000);

  it('refuses a signature made with someone else’s certificate, with the reason, and leaves the documents in 待办', async () => {
    const li = await client('li');
    const ids = await documentsForWang(li, 2, '他人证书');
    const wang = await client('wang');
    const started = await wang.value<BatchStatus>('batchSignoff:start', {
      items: ids.map((id) => ({ id, title: id, opinion: '同意' })),
      secret: { kind: 'p12', p12: p12('li'), password: 'demo1234' },
    });
    const finished = await until(() => wang.value<BatchStatus>('batchSignoff:status', { batchId: started.batch.id }), (s) => s.failed === 2 && !s.running, 'the refusals');
    for (const item of finished.batch.items) expect(item.reason).toContain('签批证书不是王建国');
    for (const id of ids) expect((await wang.value<LocalDocument>('documents:get', { id })).document.state).toBe('signoff');

    const wrong = await wang.call('batchSignoff:start', { items: [{ id: ids[0], title: 'x', opinion: '' }], secret: { kind: 'p12', p12: p12('wang'), password: 'wrong' } });
    expect(wrong).toMatchObject({ ok: false, error: { message: '无法打开证书：密码错误或证书文件已损坏' } });
  }, 120_000);

  it('a server stopped halfway and started again: every document approved once', async () => {
    const li = await client('li');
    const ids = await documentsForWang(li, 12, '中断');
    const wang = await client('wang');
    const started = await wang.value<BatchStatus>('batchSignoff:start', {
      items: ids.map((id) => ({ id, title: id, opinion: '同意' })),
      secret: { kind: 'p12', p12: p12('wang'), password: 'demo1234' },
    });
    await until(() => wang.value<BatchStatus>('batchSignoff:status', { batchId: started.batch.id }), (s) => s.done >= 3, 'three documents done', 600);
    const url = new URL(server.url);
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server = await startServer({ host: '127.0.0.1', port: Number(url.port), demo: true, log: silentLogger, dataDir: serverData() });

    const finished = await until(() => wang.value<BatchStatus>('batchSignoff:status', { batchId: started.batch.id }), (s) => s.done + s.failed === ids.length, 'the batch after the restart', 600);
    expect(finished.failed).toBe(0);
    const token = await login('wang');
    for (const id of ids) {
      const audit = (await (await fetch(`${server.url}/api/documents/${id}/audit`, { headers: { authorization: `Bearer ${token}` } })).json()) as { entries: { action: string }[] };
      expect(audit.entries.filter((e) => e.action === 'approve')).toHaveLength(1);
    }
  }, 240_000);
});
