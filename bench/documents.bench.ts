/**
 * Documents figures on this machine (SQLite store, loopback): GB/T 9704 rendering of a one-page and
 * a ten-page document, creating documents and applying workflow actions over HTTP, the 待办 and
 * 发文 lists with 5,000 documents in the store, verifying an audit chain, and how soon the change
 * feed wakes a waiting client.
 * Prints a table, then one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { renderOfficialDocument } from '../src/signing/render';
import { startServer, silentLogger } from '../src/sync-server/index';

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

async function load(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await work(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: round(total / seconds), p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2) };
}

/**
 * The same submits as `load`, from a client on a thread of its own: the server's capacity, as real
 * clients (other machines) do not share its event loop. In-process, the bench's own fetch calls take
 * about a third of the one thread's time.
 */
const workerClient = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { url, token, ids, concurrency } = workerData;
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const t = performance.now();
      const r = await fetch(url + '/api/documents/' + id + '/actions', { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'submit', to: ['user-wang'] }) });
      const text = await r.text();
      if (r.status >= 300) throw new Error('submit ' + r.status + ' ' + text);
      latencies.push(performance.now() - t);
    }
  }));
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, latencies });
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

async function submitFromWorker(url: string, token: string, ids: string[], concurrency: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  const worker = new Worker(workerClient, { eval: true, workerData: { url, token, ids, concurrency } });
  try {
    const answer = await new Promise<{ seconds: number; latencies: number[] } | { error: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if ('error' in answer) throw new Error(answer.error);
    const sorted = [...answer.latencies].sort((a, b) => a - b);
    return { perSecond: round(ids.length / answer.seconds), p50: round(percentile(sorted, 50), 2), p99: round(percentile(sorted, 99), 2) };
  } finally {
    await worker.terminate();
  }
}

const paragraph = '为切实做好有关工作，确保各项措施落实到位，经研究，现就有关事项通知如下，请结合实际认真贯彻执行。';

async function main(): Promise<void> {
  // Rendering.
  const short = { title: '关于做好安全生产工作的通知', issuingOrgan: '某市人民政府办公室', docNumber: { organCode: '某政办发', year: 2026, serial: 12 }, mainRecipients: [{ name: '各区人民政府' }], writtenDate: '2026-11-22', body: paragraph.repeat(3) };
  await renderOfficialDocument(short, { sealed: true }); // warm the font cache
  const renderOne = await load(20, 1, async () => {
    await renderOfficialDocument(short, { sealed: true });
  });
  const long = { ...short, body: Array.from({ length: 60 }, (_, i) => `${i % 5 === 0 ? '一、' : ''}${paragraph.repeat(2)}`).join('\n') };
  let t = performance.now();
  const longDoc = await renderOfficialDocument(long, { sealed: true });
  const renderLongMs = round(performance.now() - t);
  const onePage = await renderOfficialDocument(short, { sealed: true });

  // Server.
  const dir = mkdtempSync(join(tmpdir(), 'xt-bench-docs-'));
  const server = await startServer({ dataDir: join(dir, 'data'), port: 0, demo: true, demoCertificates: false, log: silentLogger });
  try {
    const tokenOf = async (username: string): Promise<string> => {
      const r = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
      return ((await r.json()) as { token: string }).token;
    };
    const li = await tokenOf('li');
    const wang = await tokenOf('wang');
    const req = async (method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (r.status >= 300) throw new Error(`${method} ${path} ${r.status} ${await r.text()}`);
      return (await r.json()) as Record<string, unknown>;
    };

    const ids: string[] = [];
    const create = await load(5000, 4, async (i) => {
      const doc = await req('POST', '/api/documents', li, { kind: 'outgoing', title: `关于第${i}项工作的通知`, body: paragraph });
      ids.push(doc.id as string);
    });
    const submit = await load(1000, 4, async (i) => {
      await req('POST', `/api/documents/${ids[i]!}/actions`, li, { action: 'submit', to: ['user-wang'] });
    });
    // ids 2,000–2,999 are not used by any other figure.
    const submitThread = await submitFromWorker(server.url, li, ids.slice(2000, 3000), Number(process.env.BENCH_CONC ?? 4));
    const todo = await load(200, 4, async () => {
      await req('GET', '/api/documents?box=todo&limit=50', wang);
    });
    const outgoing = await load(200, 4, async () => {
      await req('GET', '/api/documents?box=outgoing&limit=50', li);
    });
    // Deep paging: walk 20 pages of 50.
    t = performance.now();
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await req('GET', `/api/documents?box=drafts&limit=50${cursor ? `&cursor=${cursor}` : ''}`, li);
      cursor = res.next as string | undefined;
      if (!cursor) break;
    }
    const pagingMs = round((performance.now() - t) / 20, 2);
    const audit = await load(200, 4, async (i) => {
      await req('GET', `/api/documents/${ids[i]!}/audit`, li);
    });
    // Change feed: how soon a waiting client learns of someone else's action.
    const wakes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { cursor } = (await req('GET', '/api/documents/changes', wang)) as { cursor: number };
      const waiting = req('GET', `/api/documents/changes?since=${cursor}&wait=10`, wang);
      await new Promise((r) => setTimeout(r, 20));
      const acted = performance.now();
      await req('POST', `/api/documents/${ids[1000 + i]!}/actions`, li, { action: 'submit', to: ['user-wang'] });
      await waiting;
      wakes.push(performance.now() - acted);
    }
    wakes.sort((a, b) => a - b);
    const wakeP50 = round(percentile(wakes, 50), 2);

    const pdfPreview = await load(20, 2, async (i) => {
      const r = await fetch(`${server.url}/api/documents/${ids[i]!}/pdf`, { headers: { authorization: `Bearer ${li}` } });
      await r.arrayBuffer();
    });

    const rows: Array<[string, string]> = [
      ['render 1-page sealed PDF', `${renderOne.p50} ms p50, ${renderOne.p99} ms p99, ${onePage.pdf.length} bytes`],
      [`render ${longDoc.pageCount}-page PDF`, `${renderLongMs} ms, ${longDoc.pdf.length} bytes`],
      ['POST /api/documents (5,000)', `${create.perSecond}/s, p50 ${create.p50} ms, p99 ${create.p99} ms`],
      ['submit action (1,000)', `${submit.perSecond}/s, p50 ${submit.p50} ms, p99 ${submit.p99} ms`],
      ['  … client on its own thread', `${submitThread.perSecond}/s, p50 ${submitThread.p50} ms, p99 ${submitThread.p99} ms`],
      ['GET 待办 (1,000 items), 50/page', `${todo.perSecond}/s, p50 ${todo.p50} ms, p99 ${todo.p99} ms`],
      ['GET 发文 (5,000 items), 50/page', `${outgoing.perSecond}/s, p50 ${outgoing.p50} ms, p99 ${outgoing.p99} ms`],
      ['keyset page of 草稿 (cursor)', `${pagingMs} ms per page`],
      ['GET audit (verify chain)', `${audit.perSecond}/s, p50 ${audit.p50} ms`],
      ['GET PDF preview (render)', `${pdfPreview.perSecond}/s, p50 ${pdfPreview.p50} ms`],
      ['change feed: action → waiting client', `${wakeP50} ms p50 (including the action itself)`],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(34)} ${v}`);
    console.log(
      JSON.stringify({
        renderOnePageMsP50: renderOne.p50,
        renderOnePageBytes: onePage.pdf.length,
        renderLongPages: longDoc.pageCount,
        renderLongMs,
        createPerSecond: create.perSecond,
        actionPerSecond: submit.perSecond,
        actionP99Ms: submit.p99,
        actionPerSecondClientThread: submitThread.perSecond,
        actionP99MsClientThread: submitThread.p99,
        todoListP50Ms: todo.p50,
        outgoingListP50Ms: outgoing.p50,
        pageMs: pagingMs,
        auditP50Ms: audit.p50,
        pdfPreviewP50Ms: pdfPreview.p50,
        changeFeedWakeP50Ms: wakeP50,
      }),
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
