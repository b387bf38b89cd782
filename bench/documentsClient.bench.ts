/**
 * Documents client figures, through main's dispatcher (what the renderer's calls cost without the
 * transport) against a real embedded server with the demo organisation: 待办 list, opening a
 * document, a workflow step's round trip through the outbox, a real 用印 (fetch the frozen PDF,
 * PKCS#12 signature with the seal, upload verified by the server, queue the step), and opening a
 * document from the replica while the server is down. Last line: JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../src/main/services/app';
import { plainSecretBox } from '../src/main/webHost/plainSecrets';
import type { Result } from '../src/shared/api';
import { startServer, silentLogger } from '../src/sync-server/index';

const root = mkdtempSync(join(tmpdir(), 'xietong-docclient-bench-'));
const serverData = join(root, 'server');

async function client(serverUrl: string, username: string) {
  const services = await createAppServices({ userDataDir: mkdtempSync(join(root, `c-${username}-`)), serverUrl, secrets: plainSecretBox, emit: () => undefined });
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = (await services.dispatcher.dispatch(channel, input)) as Result<T>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value;
  };
  await value('session:login', { username, password: 'demo1234' });
  return { value, close: () => services.close() };
}

async function sample(times: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await run(i);
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}
const p50 = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const round = (x: number) => Math.round(x * 10) / 10;

let server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: serverData });
const li = await client(server.url, 'li');
const wang = await client(server.url, 'wang');
const zhao = await client(server.url, 'zhao');
try {
  const ids: string[] = [];
  for (let i = 0; i < 25; i += 1) ids.push((await li.value<{ document: { id: string } }>('documents:create', { kind: 'outgoing', title: `关于基准测试第${i + 1}号的通知` })).document.id);

  const act = await sample(ids.length, (i) => li.value('documents:act', { id: ids[i], action: 'submit', to: ['user-wang'] }));
  const list = await sample(30, () => wang.value('documents:list', { box: 'todo' }));
  const get = await sample(30, (i) => wang.value('documents:get', { id: ids[i % ids.length] }));

  const sealIds = ids.slice(0, 5);
  for (const id of sealIds) {
    await wang.value('documents:act', { id, action: 'approve' });
    await zhao.value('documents:act', { id, action: 'number' });
  }
  const p12 = readFileSync(join(serverData, 'demo', 'certs', 'zhao.p12')).toString('base64');
  const seal = await sample(sealIds.length, (i) => zhao.value('sealing:seal', { id: sealIds[i], p12, password: 'demo1234' }));

  const port = server.port;
  await server.close();
  const offlineGet = await sample(30, (i) => wang.value('documents:get', { id: ids[i % ids.length] }));
  server = await startServer({ host: '127.0.0.1', port, demo: true, log: silentLogger, dataDir: serverData });

  const figures = {
    todoListP50Ms: round(p50(list)),
    todoListP95Ms: round(p95(list)),
    openDocumentP50Ms: round(p50(get)),
    stepRoundTripP50Ms: round(p50(act)),
    stepRoundTripP95Ms: round(p95(act)),
    sealP50Ms: round(p50(seal)),
    openFromReplicaP50Ms: round(p50(offlineGet)),
  };
  console.log(`待办 list (25 items, online):          p50 ${figures.todoListP50Ms} ms, p95 ${figures.todoListP95Ms} ms`);
  console.log(`open a document (online, cached):      p50 ${figures.openDocumentP50Ms} ms`);
  console.log(`workflow step via the outbox (提交):    p50 ${figures.stepRoundTripP50Ms} ms, p95 ${figures.stepRoundTripP95Ms} ms (queued, sent, the answer shown)`);
  console.log(`用印 (fetch, sign with seal, upload, queue): p50 ${figures.sealP50Ms} ms`);
  console.log(`open a document from the replica (server down): p50 ${figures.openFromReplicaP50Ms} ms`);
  console.log(JSON.stringify({ bench: 'documentsClient', ...figures }));
} finally {
  await li.close();
  await wang.close();
  await zhao.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
