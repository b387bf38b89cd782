/**
 * 批量签批 end to end through main's services (the dispatcher the web host's bridge calls) against a
 * real embedded server with the demo organisation: 20 and 100 three-page documents, each fetched
 * (view + approval basis), its 处理笺 rendered and signed with wang.p12 (PAdES), queued through the
 * outbox and approved by the server after it verified the signature. Compared with the one-at-a-time
 * path: opening each document and taking 同意 alone (unsigned, as the app did before), and a batch of
 * one per document (signed, a certificate entry each time). Last line: JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../src/main/services/app';
import { plainSecretBox } from '../src/main/webHost/plainSecrets';
import type { BatchStatus, Result } from '../src/shared/api';
import { startServer, silentLogger } from '../src/sync-server/index';
import { createThreePageDocument } from '../tests/e2e/support/threePageDocument';

const root = mkdtempSync(join(tmpdir(), 'xietong-batch-bench-'));
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

const round = (x: number) => Math.round(x);
const server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: serverData });
const wang = await client(server.url, 'wang');
const secret = { kind: 'p12', p12: readFileSync(join(serverData, 'demo', 'certs', 'wang.p12')).toString('base64'), password: 'demo1234' };

async function stack(count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await createThreePageDocument(server.url, `关于${label}第${i + 1}项的通知`));
  return ids;
}

/** One batch: from 开始签批 until every document is approved; ms. */
async function batch(ids: string[]): Promise<number> {
  const start = performance.now();
  const started = await wang.value<BatchStatus>('batchSignoff:start', { items: ids.map((id) => ({ id, title: id, opinion: '同意' })), secret });
  // Bounded: 10 minutes of 20 ms polls.
  for (let i = 0; i < 30_000; i += 1) {
    const status = await wang.value<BatchStatus>('batchSignoff:status', { batchId: started.batch.id });
    if (status.done + status.failed === ids.length && !status.running) {
      if (status.failed > 0) throw new Error(`${status.failed} failed: ${status.batch.items.find((x) => x.state === 'failed')?.reason}`);
      return performance.now() - start;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('batch did not finish');
}

const results: Record<string, number> = {};
try {
  for (const count of [20, 100]) {
    const ids = await stack(count, `批量${count}`);
    const ms = await batch(ids);
    results[`batch${count}Ms`] = round(ms);
    results[`batch${count}PerDocMs`] = round(ms / count);
    console.log(`batch of ${count} three-page documents: ${round(ms)} ms (${round(ms / count)} ms per document)`);
  }

  // One at a time, unsigned: open the document, take 同意 (the server's decision awaited).
  const single = await stack(20, '逐份');
  let start = performance.now();
  for (const id of single) {
    await wang.value('documents:get', { id });
    await wang.value('documents:act', { id, action: 'approve', opinion: '同意' });
  }
  const unsignedMs = performance.now() - start;
  results.oneAtATimeUnsigned20Ms = round(unsignedMs);
  console.log(`one at a time, unsigned, 20 documents: ${round(unsignedMs)} ms`);

  // One at a time, signed: a batch of one per document (the certificate opened each time).
  const signedSingles = await stack(20, '逐份签名');
  start = performance.now();
  for (const id of signedSingles) await batch([id]);
  const signedMs = performance.now() - start;
  results.oneAtATimeSigned20Ms = round(signedMs);
  results.ratioBatchToSignedSingles = Math.round((results.batch20Ms! / signedMs) * 100) / 100;
  results.ratioBatchToUnsignedSingles = Math.round((results.batch20Ms! / unsignedMs) * 100) / 100;
  console.log(`one at a time, signed (a batch of one each), 20 documents: ${round(signedMs)} ms`);
  console.log(`batch of 20 / signed singles: ${results.ratioBatchToSignedSingles}; / unsigned singles: ${results.ratioBatchToUnsignedSingles}`);
} finally {
  await wang.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
