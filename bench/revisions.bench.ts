/**
 * The 修订 view of two versions of a 30-page body (issue 19's speed row, budget 300 ms): li drafts
 * 30 pages (22 lines of 28 characters each, as GB/T 9704 prints them) and submits; wang, at 签发,
 * rewrites a phrase in every tenth paragraph, deletes three paragraphs, adds five and returns it.
 * Measured: the server's answer to `GET /api/documents/:id/revisions` (both versions loaded, the
 * attributed difference computed, JSON) over HTTP, and in Debian's Chromium against the web host the
 * time from the click on 修订 to the marked-up text on screen (the versions and the difference asked
 * through main, then React's render). Needs the built renderer (`npx electron-vite build`). Last line: JSON.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startEmbeddedServer } from '../src/main/webHost/embeddedServer';
import { startWebHost } from '../src/main/webHost/webHost';
import { percentile } from './support/load';

const SERVER_RUNS = 20;
const CLIENT_RUNS = 10;
const PAGES = 30;
const CHARS = PAGES * 22 * 28;
const round = (ms: number): number => Math.round(ms * 10) / 10;
const sentence = '为切实做好有关工作确保各项措施落实到位经研究现就有关事项通知如下请结合实际认真贯彻执行';

async function send<T>(url: string, init: { method?: string; token?: string; json?: unknown }): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function varUint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push(0x80 | (value & 0x7f));
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}

/** Sends one Yjs update into a room as a y-websocket client of `token`, and lets the server store it. */
async function pushUpdate(serverUrl: string, room: string, token: string, update: Uint8Array): Promise<void> {
  const ws = new WebSocket(`${serverUrl.replace('http', 'ws')}/sync/${room}?token=${token}`);
  await new Promise<void>((done, fail) => {
    ws.once('open', () => done());
    ws.once('error', fail);
  });
  ws.send(Uint8Array.of(0, 2, ...varUint(update.length), ...update));
  await new Promise((done) => setTimeout(done, 1_500));
  ws.close();
}

function paragraph(doc: Y.Doc, root: Y.XmlText, index: number, text: string): void {
  const p = new Y.XmlText();
  root.insertEmbed(index, p);
  p.setAttribute('__type', 'paragraph');
  const node = new Y.Map();
  p.insertEmbed(0, node);
  for (const [k, v] of [['__type', 'text'], ['__format', 0], ['__style', ''], ['__mode', 0], ['__detail', 0]] as const) node.set(k, v);
  p.insert(1, text);
}

/** Clicks 修订 and answers the milliseconds until the marked-up text is on screen. */
async function openRevisions(page: Page, paragraphs: number): Promise<number> {
  await page.evaluate(() => {
    const win = globalThis as unknown as { __at?: number; __done?: number; document: { addEventListener(t: 'click', l: () => void, o: { capture: boolean; once: boolean }): void } };
    win.__at = undefined;
    win.__done = undefined;
    win.document.addEventListener('click', () => (win.__at = performance.now()), { capture: true, once: true });
  });
  await page.getByRole('button', { name: '修订', exact: true }).click();
  await page.waitForFunction(
    (count) => {
      const win = globalThis as unknown as { __done?: number; document: { querySelectorAll(s: string): { length: number } } };
      if (win.document.querySelectorAll('.revisions__text p').length < count) return false;
      win.__done ??= performance.now();
      return true;
    },
    paragraphs,
    { timeout: 30_000, polling: 'raf' },
  );
  const elapsed = await page.evaluate(() => {
    const win = globalThis as unknown as { __at?: number; __done?: number };
    return (win.__done ?? NaN) - (win.__at ?? NaN);
  });
  await page.getByRole('button', { name: '收起' }).click();
  return elapsed;
}

async function main(): Promise<void> {
  const rendererDir = resolve('out/renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npx electron-vite build');
  const root = mkdtempSync(join(tmpdir(), 'xietong-revisions-bench-'));
  const host = await startWebHost({ dataDir: root, rendererDir, port: 0, startEmbeddedServer });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const server = host.serverUrl;
    const login = async (username: string) => (await send<{ token: string }>(`${server}/api/auth/login`, { method: 'POST', json: { username, password: 'demo1234' } })).token;
    const li = await login('li');
    const wang = await login('wang');
    const title = '关于修订视图基准测试的通知';
    const { id } = await send<{ id: string }>(`${server}/api/documents`, { method: 'POST', token: li, json: { kind: 'outgoing', title } });

    // li's 30 pages: paragraphs of 2–4 lines each.
    const draft = new Y.Doc();
    const body = draft.get('root', Y.XmlText);
    let written = 0;
    draft.transact(() => {
      for (let i = 0; written < CHARS; i++) {
        const text = `${i + 1}.${sentence.repeat(2 + (i % 3))}。`;
        paragraph(draft, body, i, text);
        written += text.length;
      }
    });
    const paragraphCount = body.length;
    await pushUpdate(server, `doc:${id}`, li, Y.encodeStateAsUpdate(draft));
    await send(`${server}/api/documents/${id}/actions`, { method: 'POST', token: li, json: { action: 'submit', to: ['user-wang'] } });

    // wang at 签发: a phrase rewritten in every tenth paragraph, three paragraphs deleted, five added.
    const signoff = new Y.Doc();
    Y.applyUpdate(signoff, Y.encodeStateAsUpdate(draft));
    const before = Y.encodeStateVector(signoff);
    const wangRoot = signoff.get('root', Y.XmlText);
    signoff.transact(() => {
      const ps = (wangRoot.toDelta() as Array<{ insert: unknown }>).map((d) => d.insert as Y.XmlText);
      for (let i = 0; i < ps.length; i += 10) {
        ps[i]!.delete(8, 6);
        ps[i]!.insert(8, '全面加强统筹协调');
      }
      for (const at of [150, 100, 50]) wangRoot.delete(at, 1);
      for (let k = 0; k < 5; k++) paragraph(signoff, wangRoot, 20 + k * 40, `签发时补充的第${k + 1}段：请各单位于本月底前报送落实情况。`);
    });
    await pushUpdate(server, `doc:${id}`, wang, Y.encodeStateAsUpdate(signoff, before));
    await send(`${server}/api/documents/${id}/actions`, { method: 'POST', token: wang, json: { action: 'return', reason: '请按修改意见调整' } });

    const { versions } = await send<{ versions: { id: string }[] }>(`${server}/api/documents/${id}/versions`, { token: li });
    const [v1, v2] = versions;
    if (!v1 || !v2) throw new Error('expected two versions');
    const serverMs: number[] = [];
    let shown = 0;
    let changes = 0;
    for (let run = 0; run < SERVER_RUNS; run++) {
      const start = performance.now();
      const answer = await send<{ paragraphs: { segments: { kind: string }[] }[] }>(`${server}/api/documents/${id}/revisions?from=${v1.id}&to=${v2.id}`, { token: li });
      serverMs.push(performance.now() - start);
      shown = answer.paragraphs.length;
      changes = answer.paragraphs.flatMap((p) => p.segments).filter((s) => s.kind !== 'same').length;
    }
    serverMs.sort((a, b) => a - b);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(host.url);
    await page.getByLabel('用户名').fill('li');
    await page.getByLabel('密码').fill('demo1234');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办' }).click();
    await page.getByRole('button', { name: title }).click();
    await page.getByRole('heading', { level: 2, name: title }).waitFor();
    await page.waitForTimeout(1_000);
    await openRevisions(page, shown); // warm: code and fonts loaded once
    const clientMs: number[] = [];
    for (let run = 0; run < CLIENT_RUNS; run++) clientMs.push(await openRevisions(page, shown));
    clientMs.sort((a, b) => a - b);

    const s50 = round(percentile(serverMs, 50));
    const s95 = round(percentile(serverMs, 95));
    const c50 = round(percentile(clientMs, 50));
    const c95 = round(percentile(clientMs, 95));
    console.log(`body: ${written} characters in ${paragraphCount} paragraphs (${PAGES} pages); ${shown} paragraphs shown, ${changes} marked changes`);
    console.log(`server, GET /revisions (load both versions, attributed diff, JSON; ${SERVER_RUNS} runs): p50 ${s50} ms, p95 ${s95} ms`);
    console.log(`Chromium, click 修订 → marked-up text on screen (through main and the server; ${CLIENT_RUNS} runs): p50 ${c50} ms, p95 ${c95} ms`);
    console.log(JSON.stringify({ characters: written, paragraphs: paragraphCount, changes, serverP50Ms: s50, serverP95Ms: s95, clickToTextP50Ms: c50, clickToTextP95Ms: c95, budgetMs: 300, withinBudget: c95 < 300 }));
  } finally {
    await browser.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
