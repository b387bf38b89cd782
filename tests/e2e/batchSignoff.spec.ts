/**
 * 批量签批 in Chromium: wang selects 20 documents in 待办 (a checkbox per row, through paging),
 * signs them with wang.p12 in one entry, and all 20 reach 编号, each 处理笺 carrying his signature that
 * `pdfsig` reports valid. A second run stops the server halfway and starts it again: the batch ends
 * with all 20 approved exactly once. Each run has its own server and web host (SpecProcesses), so the
 * server can be stopped under the client.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, SpecProcesses, stop } from './support/processes';

test.use({ actionTimeout: 20_000, trace: 'off' });

const COUNT = 20;

interface Login {
  token: string;
  user: { id: string };
}

function serverApi(port: number) {
  const base = `http://127.0.0.1:${port}`;
  const login = async (username: string): Promise<Login> =>
    (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) })).json()) as Login;
  const post = async (path: string, token: string, body: unknown): Promise<{ id: string }> =>
    (await (await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).json()) as { id: string };
  const get = async <T>(path: string, token: string): Promise<T> => (await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const bytes = async (path: string, token: string): Promise<Buffer> => Buffer.from(await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
  return { login, post, get, bytes };
}

/** li drafts COUNT documents and hands each to wang for 签发; their titles. */
async function stackForWang(api: ReturnType<typeof serverApi>, prefix: string): Promise<Array<{ id: string; title: string }>> {
  const li = await api.login('li');
  const wang = await api.login('wang');
  const docs: Array<{ id: string; title: string }> = [];
  for (let i = 1; i <= COUNT; i += 1) {
    const title = `关于${prefix}第${i}项工作的通知`;
    const doc = await api.post('/api/documents', li.token, { kind: 'outgoing', title });
    await api.post(`/api/documents/${doc.id}/actions`, li.token, { action: 'submit', to: [wang.user.id] });
    docs.push({ id: doc.id, title });
  }
  return docs;
}

/** Signs wang in, ticks every document of the stack in 待办 (loading further pages as needed), opens 批量签批. */
async function selectAndOpen(page: Page, url: string, docs: Array<{ title: string }>): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名').fill('wang');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办', exact: true }).click();
  // The newest is listed first: once it shows, the first page is in.
  await expect(page.getByRole('checkbox', { name: `选择${docs[docs.length - 1]!.title}`, exact: true })).toBeVisible();
  for (const doc of docs) {
    const box = page.getByRole('checkbox', { name: `选择${doc.title}`, exact: true });
    // Bounded: 待办 pages are 20 long; a few 加载更多 reach any of these.
    for (let i = 0; i < 5 && !(await box.isVisible()); i += 1) await page.getByRole('button', { name: '加载更多' }).click();
    await box.check();
  }
  await expect(page.getByText(`已选 ${docs.length} 份`)).toBeVisible();
  await page.getByRole('button', { name: '批量签批', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '批量签批' })).toBeVisible();
  await expect(page.getByText(`本批 ${docs.length} 份`)).toBeVisible();
}

/** Records the gap between animation frames in the page until {@link stopFrameWatch} (bounded: 10 minutes of frames). */
function startFrameWatch(): void {
  const gaps: number[] = [];
  const watch = window as unknown as { __frameGaps: number[]; __frameWatch: boolean };
  watch.__frameGaps = gaps;
  watch.__frameWatch = true;
  let last = performance.now();
  const tick = (now: number) => {
    gaps.push(now - last);
    last = now;
    if (watch.__frameWatch && gaps.length < 36_000) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function stopFrameWatch(): number[] {
  const watch = window as unknown as { __frameGaps: number[]; __frameWatch: boolean };
  watch.__frameWatch = false;
  return watch.__frameGaps;
}

/**
 * Asks the web host (main's services share its event loop) for its page every 50 ms while the batch
 * signs, timing each answer: a loop blocked by signing would answer late.
 */
function probeHost(url: string): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    // Bounded: stops when told, or after 2,400 probes (2 minutes).
    for (let i = 0; running && i < 2_400; i += 1) {
      const start = performance.now();
      await (await fetch(url)).text();
      times.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return times;
    },
  };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

/** A figure, not an assertion (timings depend on the machine's load): printed and attached to the report. */
function reportResponsiveness(frames: number[], answers: number[]): void {
  const figure = {
    frames: frames.length,
    frameGapP50Ms: percentile(frames, 50),
    frameGapP95Ms: percentile(frames, 95),
    frameGapMaxMs: percentile(frames, 100),
    framesOver50Ms: frames.filter((gap) => gap > 50).length,
    hostAnswers: answers.length,
    hostAnswerP50Ms: percentile(answers, 50),
    hostAnswerP95Ms: percentile(answers, 95),
    hostAnswerMaxMs: percentile(answers, 100),
  };
  console.log(`batch responsiveness ${JSON.stringify(figure)}`);
  test.info().annotations.push({ type: 'responsiveness', description: JSON.stringify(figure) });
}

async function enterCertificateAndStart(page: Page, p12: string): Promise<void> {
  await page.getByLabel('证书文件', { exact: true }).setInputFiles(p12);
  await page.getByLabel('证书密码').fill('demo1234');
  await page.getByRole('button', { name: '开始签批' }).click();
  await expect(page.getByRole('progressbar', { name: '签批进度' })).toBeVisible();
}

test('wang signs 20 documents from 待办 with wang.p12 in one entry; every 处理笺 carries his valid signature', async ({ page }) => {
  test.setTimeout(300_000);
  const processes = new SpecProcesses('xietong-e2e-batch-');
  try {
    const serverPort = await freePort();
    await processes.startServer(serverPort);
    const web = await processes.startWebHost(serverPort);
    const api = serverApi(serverPort);
    const docs = await stackForWang(api, '批量签批');

    await selectAndOpen(page, web.url, docs);
    // Reviewing: the first document's preview and due date, then 下一份 with the arrow key.
    await expect(page.getByRole('region', { name: docs[0]!.title })).toBeVisible();
    await expect(page.getByText('第 1 / 20 份')).toBeVisible();
    await page.getByRole('heading', { level: 2, name: docs[0]!.title }).click();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByText('第 2 / 20 份')).toBeVisible();
    await page.getByRole('button', { name: '上一份' }).click();
    await expect(page.getByText('第 1 / 20 份')).toBeVisible();
    await page.getByLabel('本文意见（留空则用通用意见）').fill('同意，请按程序印发。');

    // While it signs, the window and main keep answering: the renderer's frames and main's HTTP answers are timed.
    await page.evaluate(startFrameWatch);
    const probe = probeHost(web.url);
    await enterCertificateAndStart(page, join(processes.root, 'server', 'demo', 'certs', 'wang.p12'));
    const bar = page.getByRole('progressbar', { name: '签批进度' });
    await expect(bar).toHaveAttribute('aria-valuenow', String(COUNT), { timeout: 120_000 });
    const answers = await probe.stop();
    const frames = await page.evaluate(stopFrameWatch);
    expect(answers.length).toBeGreaterThan(0);
    expect(frames.length).toBeGreaterThan(0);
    reportResponsiveness(frames, answers);
    await expect(page.getByText('签批成功')).toHaveCount(COUNT);

    // The document view says the content is the one signed at 签发.
    await page.getByRole('button', { name: '返回待办' }).click();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '已办', exact: true }).click();
    await page.getByRole('button', { name: docs[0]!.title, exact: true }).click();
    await expect(page.getByText('签发内容一致')).toBeVisible();

    const wang = await api.login('wang');
    for (const doc of docs) {
      const view = await api.get<{ state: string; history: Array<{ action: string; opinion?: string }> }>(`/api/documents/${doc.id}`, wang.token);
      expect(view.state).toBe('numbering');
      const sheet = join(processes.root, `${doc.id}.pdf`);
      writeFileSync(sheet, await api.bytes(`/api/documents/${doc.id}/sheet`, wang.token));
      const report = execFileSync('pdfsig', ['-nocert', sheet], { encoding: 'utf8' });
      expect(report).toContain('Signature is Valid');
      expect(report).toContain('王建国');
    }
    const first = await api.get<{ history: Array<{ action: string; opinion?: string }> }>(`/api/documents/${docs[0]!.id}`, wang.token);
    expect(first.history.find((h) => h.action === 'approve')?.opinion).toBe('同意，请按程序印发。');
  } finally {
    await processes.dispose();
  }
});

test('the server stopped halfway and started again: all 20 approved exactly once', async ({ page }) => {
  test.setTimeout(300_000);
  const processes = new SpecProcesses('xietong-e2e-batch-restart-');
  try {
    const serverPort = await freePort();
    let server = await processes.startServer(serverPort);
    const web = await processes.startWebHost(serverPort);
    const api = serverApi(serverPort);
    const docs = await stackForWang(api, '中断续签');

    await selectAndOpen(page, web.url, docs);
    await enterCertificateAndStart(page, join(processes.root, 'server', 'demo', 'certs', 'wang.p12'));
    const bar = page.getByRole('progressbar', { name: '签批进度' });
    // Halfway (or as soon as some are done), the server goes away.
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await stop(server);
    await page.waitForTimeout(2_000);
    server = await processes.startServer(serverPort);
    await expect(bar).toHaveAttribute('aria-valuenow', String(COUNT), { timeout: 180_000 });
    await expect(page.getByText('签批成功')).toHaveCount(COUNT);

    const wang = await api.login('wang');
    for (const doc of docs) {
      const audit = await api.get<{ entries: Array<{ action: string }> }>(`/api/documents/${doc.id}/audit`, wang.token);
      expect(audit.entries.filter((e) => e.action === 'approve')).toHaveLength(1);
      expect((await api.get<{ state: string }>(`/api/documents/${doc.id}`, wang.token)).state).toBe('numbering');
    }
  } finally {
    await processes.dispose();
  }
});
