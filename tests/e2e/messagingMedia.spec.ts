/**
 * Large files and voice messages in 消息 (issue 18), in Chromium with its fake microphone and two
 * browser contexts (li and wang, each on a web host of their own, one server): li sends a 5 MB file —
 * a progress bar shows it going — and records a voice message with the sign-off's recorder; wang
 * downloads the file byte for byte and finds the voice message inline with its length and a player.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { freePort, SpecProcesses, stop } from './support/processes';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

let processes: SpecProcesses;

test.beforeAll(() => {
  processes = new SpecProcesses('xietong-e2e-messaging-media-');
});

test.afterAll(async () => {
  await processes.dispose();
});

async function signIn(browser: Browser, url: string, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

const openMessages = (page: Page) => page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '消息' }).click();
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('li sends a 5 MB file with progress and a voice message; wang receives both intact', async ({ browser }) => {
  test.setTimeout(240_000);
  const serverPort = await freePort();
  const server = await processes.startServer(serverPort);
  const liHost = await processes.startWebHost(serverPort);
  const wangHost = await processes.startWebHost(serverPort);

  const li = await signIn(browser, liHost.url, 'li');
  await openMessages(li);
  await li.getByRole('button', { name: '新建会话' }).click();
  await li.getByRole('searchbox', { name: '搜索人员' }).fill('wjg');
  await li.getByRole('checkbox', { name: /王建国/ }).check();
  await li.getByRole('button', { name: '确定' }).click();
  const liThread = li.getByRole('list', { name: '消息记录' });

  // Every value the progress bar takes, recorded in the page as it changes.
  await li.evaluate(() => {
    const seen: { value: number; max: number }[] = [];
    (window as unknown as { __progress: typeof seen }).__progress = seen;
    const record = () => {
      for (const bar of document.querySelectorAll('progress')) seen.push({ value: bar.value, max: bar.max });
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
  });
  const bytes = randomBytes(5 * 1024 * 1024);
  await li.getByLabel('发送文件').setInputFiles({ name: '年度汇报.pdf', mimeType: 'application/pdf', buffer: bytes });
  await expect(liThread.getByRole('button', { name: '下载 年度汇报.pdf' })).toBeVisible({ timeout: 60_000 });
  await expect(li.getByRole('progressbar')).toHaveCount(0);
  const progress = await li.evaluate(() => (window as unknown as { __progress: { value: number; max: number }[] }).__progress);
  // A real bar: it showed the file's size and values on the way, not only the end.
  expect(progress.length).toBeGreaterThan(1);
  expect(progress.every((p) => p.max === bytes.length)).toBe(true);
  expect(progress.some((p) => p.value > 0 && p.value < bytes.length)).toBe(true);

  // A voice message: about two seconds from the fake microphone.
  await li.getByRole('button', { name: '录制语音' }).click();
  await expect(li.getByRole('button', { name: '停止' })).toBeVisible();
  await li.waitForTimeout(2200);
  await li.getByRole('button', { name: '停止' }).click();
  await expect(li.getByText(/^已录音 0:0[2-3]$/)).toBeVisible();
  await li.getByRole('button', { name: '发送语音' }).click();
  await expect(liThread.getByText(/^语音 0:0[2-3]$/)).toBeVisible({ timeout: 30_000 });
  await expect(liThread.getByText('待发送')).toHaveCount(0, { timeout: 30_000 });

  // wang: the file, byte for byte, and the voice message with its player.
  const wang = await signIn(browser, wangHost.url, 'wang');
  await openMessages(wang);
  await wang.getByRole('button', { name: /^李文/ }).click({ timeout: 30_000 });
  const wangThread = wang.getByRole('list', { name: '消息记录' });
  const downloading = wang.waitForEvent('download');
  await wangThread.getByRole('button', { name: '下载 年度汇报.pdf' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('年度汇报.pdf');
  expect(sha256(readFileSync((await download.path())))).toBe(sha256(bytes));
  await expect(wangThread.getByText(/^语音 0:0[2-3]$/)).toBeVisible();
  const player = wangThread.getByLabel(/^播放李文的语音（0:0[2-3]）$/);
  await expect(player).toBeVisible({ timeout: 30_000 });
  // The recording loaded: the element knows its audio (Opus from the fake microphone).
  await expect.poll(() => player.evaluate((audio: HTMLAudioElement) => audio.readyState), { timeout: 20_000 }).toBeGreaterThan(0);

  await stop(server);
  await stop(liHost.child);
  await stop(wangHost.child);
});
