/**
 * 批量签批 with a UKey, for real: a SoftHSM2 token (in a temp SOFTHSM2_CONF) holding li's and wang's
 * keys and certificates from the demo CA, imported non-extractable. wang runs a batch through main's
 * services choosing the token's driver from the deployment's `ukeyModules` and entering the PIN once:
 * the token's certificate issued to him signs (not li's, which comes first), the server accepts every
 * approval and each 处理笺's signature validates (pdfsig). A wrong PIN is a clear error with nothing
 * approved or saved; a driver the deployment does not list is never loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { BatchStatus, LocalDocument, Result } from '../../src/shared/api';
import { verifyPdf } from '../../src/signing';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';
import { needs, requireTools } from '../support/systemTools';

const MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((path) => existsSync(path)) ?? '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '135790';
const LABEL = `xietong-ukey-${process.pid}`;
const UKEYS = [{ name: 'SoftHSM 测试 UKey', path: MODULE }];

interface Client {
  value<T>(channel: string, input: unknown): Promise<T>;
  call<T>(channel: string, input: unknown): Promise<Result<T>>;
}

let root: string;
let server: RunningServer;
let previousConf: string | undefined;
const opened: AppServices[] = [];
const serverData = () => join(root, 'server');

async function client(username: string): Promise<Client> {
  const services = await createAppServices(
    { userDataDir: mkdtempSync(join(root, `client-${username}-`)), serverUrl: server.url, secrets: plainSecretBox, emit: () => undefined },
    { ukeyModules: UKEYS },
  );
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

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, tries = 300): Promise<T> {
  // Bounded: `tries` × 200 ms.
  for (let i = 0; i < tries; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function documentsForWang(li: Client, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: `${prefix}第${i + 1}号通知` });
    await li.value('documents:act', { id: created.document.id, action: 'submit', to: ['user-wang'] });
    ids.push(created.document.id);
  }
  return ids;
}

/** Puts a person's demo key (sensitive, non-extractable) and certificate on the token under `id`. */
function importToToken(username: string, id: string, env: NodeJS.ProcessEnv): void {
  const p12 = join(serverData(), 'demo', 'certs', `${username}.p12`);
  const keyPem = join(root, `${username}-key.pem`);
  const keyDer = join(root, `${username}-key.der`);
  const certDer = join(root, `${username}-cert.der`);
  writeFileSync(keyPem, execFileSync('openssl', ['pkcs12', '-in', p12, '-nocerts', '-nodes', '-passin', 'pass:demo1234'], { env }));
  execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', keyPem, '-outform', 'DER', '-out', keyDer]);
  const certPem = execFileSync('openssl', ['pkcs12', '-in', p12, '-clcerts', '-nokeys', '-passin', 'pass:demo1234'], { env });
  execFileSync('openssl', ['x509', '-outform', 'DER', '-out', certDer], { input: certPem });
  const tool = (args: string[]): void => {
    execFileSync('pkcs11-tool', ['--module', MODULE, '--token-label', LABEL, '--login', '--pin', PIN, ...args], { env, stdio: 'pipe' });
  };
  tool(['--write-object', keyDer, '--type', 'privkey', '--id', id, '--label', username, '--usage-sign', '--sensitive', '--private']);
  tool(['--write-object', certDer, '--type', 'cert', '--id', id, '--label', username]);
  rmSync(keyPem);
  rmSync(keyDer);
}

beforeAll(async () => {
  requireTools('softhsm2-util', 'pkcs11-tool', 'openssl', 'pdfsig');
  root = mkdtempSync(join(tmpdir(), 'xt-ukey-batch-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: serverData() });
  mkdirSync(join(root, 'tokens'));
  const conf = join(root, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(root, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  // SoftHSM reads its configuration from the environment: in this process (main's signer) and the tools.
  previousConf = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', LABEL, '--pin', PIN, '--so-pin', '24681012'], { env, stdio: 'pipe' });
  // li's pair first: the batch must pick the certificate issued to the person signing, not the first one.
  importToToken('li', '01', env);
  importToToken('wang', '02', env);
}, 120_000);

afterAll(async () => {
  for (const services of opened) await services.close();
  await server?.close();
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  if (root) rmSync(root, { recursive: true, force: true });
});

const audit = async (token: string, id: string) =>
  ((await (await fetch(`${server.url}/api/documents/${id}/audit`, { headers: { authorization: `Bearer ${token}` } })).json()) as { entries: { action: string }[] }).entries;

async function login(username: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  return ((await response.json()) as { token: string }).token;
}

describe(`batch sign-off with a UKey (SoftHSM2 token) ${needs('softhsm2-util', 'pkcs11-tool', 'pdfsig')}`, () => {
  it('offers the deployment’s drivers; one PIN entry signs every approval with wang’s certificate on the token', async () => {
    const li = await client('li');
    const ids = await documentsForWang(li, 3, 'UKey');
    const wang = await client('wang');
    expect(await wang.value('batchSignoff:ukeys', {})).toEqual({ modules: UKEYS });

    const started = await wang.value<BatchStatus>('batchSignoff:start', {
      items: ids.map((id) => ({ id, title: id, opinion: '同意' })),
      secret: { kind: 'pkcs11', module: MODULE, pin: PIN, tokenLabel: LABEL },
    });
    const finished = await until(() => wang.value<BatchStatus>('batchSignoff:status', { batchId: started.batch.id }), (s) => s.done + s.failed === ids.length && !s.running, 'the batch');
    expect(finished.batch.items.map((i) => [i.state, i.reason])).toEqual(ids.map(() => ['done', undefined]));

    const token = await login('wang');
    const rootPem = readFileSync(join(serverData(), 'demo', 'ca', 'root.pem'), 'utf8');
    for (const id of ids) {
      const view = (await wang.value<LocalDocument>('documents:get', { id })).document;
      expect(view.state).toBe('numbering');
      expect(view.approval).toMatchObject({ signerName: '王建国', consistent: true });
      expect((await audit(token, id)).filter((e) => e.action === 'approve')).toHaveLength(1);
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
  }, 180_000);

  it('a wrong PIN is refused with a clear reason: nothing approved, no batch saved, the documents stay in 待办', async () => {
    const li = await client('li');
    const ids = await documentsForWang(li, 2, '错误口令');
    const wang = await client('wang');
    const wrong = await wang.call('batchSignoff:start', {
      items: ids.map((id) => ({ id, title: id, opinion: '同意' })),
      secret: { kind: 'pkcs11', module: MODULE, pin: '000000', tokenLabel: LABEL },
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'UKey 口令错误' } });
    expect(await wang.value('batchSignoff:status', {})).toBeNull();
    const token = await login('wang');
    for (const id of ids) {
      expect((await wang.value<LocalDocument>('documents:get', { id })).document.state).toBe('signoff');
      expect((await audit(token, id)).filter((e) => e.action === 'approve')).toHaveLength(0);
    }

    // The same documents then go through with the right PIN: nothing was lost to the wrong one.
    const started = await wang.value<BatchStatus>('batchSignoff:start', {
      items: ids.map((id) => ({ id, title: id, opinion: '同意' })),
      secret: { kind: 'pkcs11', module: MODULE, pin: PIN, tokenLabel: LABEL },
    });
    const finished = await until(() => wang.value<BatchStatus>('batchSignoff:status', { batchId: started.batch.id }), (s) => s.done + s.failed === ids.length && !s.running, 'the batch');
    expect(finished.done).toBe(2);
  }, 180_000);

  it('loads no driver the deployment does not list, and says when the token has no certificate of the person', async () => {
    const li = await client('li');
    const ids = await documentsForWang(li, 1, '驱动');
    const wang = await client('wang');
    const items = ids.map((id) => ({ id, title: id, opinion: '同意' }));
    const unlisted = await wang.call('batchSignoff:start', { items, secret: { kind: 'pkcs11', module: join(root, 'evil.so'), pin: PIN } });
    expect(unlisted).toMatchObject({ ok: false, error: { message: '该 UKey 驱动未在单位部署配置中登记' } });

    // zhao has no certificate on this token (li's and wang's only).
    const zhao = await client('zhao');
    const noCertificate = await zhao.call('batchSignoff:start', { items, secret: { kind: 'pkcs11', module: MODULE, pin: PIN, tokenLabel: LABEL } });
    expect(noCertificate).toMatchObject({ ok: false, error: { message: 'UKey 中没有签发给赵敏的签名证书' } });
    expect((await wang.value<LocalDocument>('documents:get', { id: ids[0] })).document.state).toBe('signoff');
  }, 120_000);
});
