/**
 * 语音签批 in Chromium with its fake microphone (issue 16): wang records about two seconds, sees the
 * level meter move, stops, plays it back and approves with it; zhao, on her own client, finds the
 * voice entry in 流转记录 with its length and hears it. Then the same with wang's server gone: the
 * recording and the step wait as 待发送 and go out once, in order, when the server is back.
 *
 * Two web hosts (one per person, as two desktops would be) talk to one sync server this spec starts
 * and stops; li's drafts reach wang through the HTTP API, since drafting is not what is tested here.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { freePort, SpecProcesses, stop } from './support/processes';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // play() from the test is not a user gesture.
      '--autoplay-policy=no-user-gesture-required',
    ],
  },
});

let processes: SpecProcesses;
let serverPort: number;
let server: Awaited<ReturnType<SpecProcesses['startServer']>>;
let wangUrl: string;
let zhaoUrl: string;

/** A web host of its own (its own data folder: its own session and replica), pointed at the server. */
async function webHost(name: string): Promise<string> {
  const { match } = await processes.start(
    ['dist/web.mjs'],
    { XIETONG_DATA: join(processes.root, `web-${name}`), XIETONG_WEB_PORT: '0', XIETONG_SERVER_URL: `http://127.0.0.1:${serverPort}` },
    /^XieTong web: (http:\/\/127\.0\.0\.1:\d+)\n/,
  );
  return match[1]!;
}

const api = async <T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(`http://127.0.0.1:${serverPort}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};
const tokenOf = async (username: string) => (await api<{ token: string }>(null, 'POST', '/api/auth/login', { username, password: 'demo1234' })).token;

interface HistoryLine {
  action: string;
  opinion?: string;
  opinionVoice?: { sha256: string; durationMs: number; mimeType: string };
}

/** li drafts a 通知 and submits it to wang for 签发. */
async function draftForWang(title: string): Promise<string> {
  const li = await tokenOf('li');
  const created = await api<{ id: string }>(li, 'POST', '/api/documents', { kind: 'outgoing', type: 'notice', title });
  await api(li, 'POST', `/api/documents/${created.id}/actions`, { action: 'submit', to: ['user-wang'] });
  return created.id;
}

async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

async function openFromTodo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办' }).click();
  await page.getByRole('button', { name: title }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

/** Records about two seconds, checking the level meter moves, and stops. */
async function recordTwoSeconds(page: Page): Promise<void> {
  await page.getByRole('button', { name: '语音签批' }).click();
  const meter = page.getByRole('meter', { name: '音量' });
  await expect(meter).toBeVisible();
  const levels = new Set<string>();
  for (let i = 0; i < 10; i += 1) {
    levels.add((await meter.getAttribute('aria-valuenow')) ?? '');
    await page.waitForTimeout(200);
  }
  // The fake device beeps: the meter shows sound, and it changes.
  expect([...levels].some((v) => Number(v) > 0)).toBe(true);
  expect(levels.size).toBeGreaterThan(1);
  await page.getByRole('button', { name: '停止' }).click();
  await expect(page.getByText(/已录音 0:0[123]，办理时一并发送/)).toBeVisible();
}

/** Plays an audio element and waits until playback has really advanced. */
async function playsBack(page: Page, label: string | RegExp): Promise<void> {
  const audio = page.getByLabel(label);
  await expect(audio).toBeVisible();
  await audio.evaluate((el: HTMLAudioElement) => el.play());
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => ({ t: el.currentTime > 0.3, ready: el.readyState >= 2 })), { timeout: 10_000 }).toEqual({ t: true, ready: true });
  await audio.evaluate((el: HTMLAudioElement) => el.pause());
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  processes = new SpecProcesses('xietong-e2e-voice-');
  serverPort = await freePort();
  server = await processes.startServer(serverPort);
  wangUrl = await webHost('wang');
  zhaoUrl = await webHost('zhao');
});

test.afterAll(async () => {
  await processes.dispose();
});

test('wang speaks an instruction and approves; zhao hears it in 流转记录', async ({ browser }) => {
  test.setTimeout(150_000);
  const title = `关于语音签批测试${Date.now() % 100000}的通知`;
  const id = await draftForWang(title);

  const wangContext = await browser.newContext({ locale: 'zh-CN' });
  const wang = await wangContext.newPage();
  await signIn(wang, wangUrl, 'wang');
  await openFromTodo(wang, title);
  await recordTwoSeconds(wang);
  await playsBack(wang, '试听录音');
  await wang.getByLabel('意见').fill('同意，按此办理。');
  await wang.getByRole('button', { name: '同意' }).click();
  const sent = wang.locator('.command').filter({ hasText: /同意：同意，按此办理。（附语音 0:0[123]）/ });
  await expect(sent).toContainText('已发送', { timeout: 30_000 });
  // wang's own 流转记录 has it too.
  await expect(wang.getByRole('list', { name: '流转记录' })).toContainText(/语音批示 0:0[123]/);

  const zhaoContext = await browser.newContext({ locale: 'zh-CN' });
  const zhao = await zhaoContext.newPage();
  await signIn(zhao, zhaoUrl, 'zhao');
  await openFromTodo(zhao, title);
  const history = zhao.getByRole('list', { name: '流转记录' });
  const entry = history.getByRole('listitem').filter({ hasText: '王建国' }).filter({ hasText: '同意' });
  await expect(entry).toContainText(/语音批示 0:0[123]/);
  await expect(entry).toContainText('意见：同意，按此办理。');
  await playsBack(zhao, /^播放王建国的语音批示（0:0[123]）$/);

  // The server holds exactly one voice note on the step, and its audit entry names the recording.
  const zhaoToken = await tokenOf('zhao');
  const view = await api<{ history: HistoryLine[] }>(zhaoToken, 'GET', `/api/documents/${id}`);
  const voices = view.history.filter((h) => h.opinionVoice);
  expect(voices).toHaveLength(1);
  expect(voices[0]!.opinionVoice!.mimeType).toMatch(/^audio\/(ogg|webm);codecs=opus$/);
  expect(voices[0]!.opinionVoice!.durationMs).toBeGreaterThan(1_000);
  expect(voices[0]!.opinionVoice!.durationMs).toBeLessThan(4_000);
  const audit = await api<{ entries: { action: string; payload: HistoryLine }[]; valid: boolean }>(zhaoToken, 'GET', `/api/documents/${id}/audit`);
  expect(audit.valid).toBe(true);
  expect(audit.entries.filter((e) => e.action === 'approve').map((e) => e.payload.opinionVoice?.sha256)).toEqual([voices[0]!.opinionVoice!.sha256]);

  // Each web host keeps its session like a desktop app: sign out so the next test signs in afresh.
  await wang.getByRole('button', { name: '退出登录' }).click();
  await zhao.getByRole('button', { name: '退出登录' }).click();
  await expect(wang.getByLabel('用户名')).toBeVisible();
  await expect(zhao.getByLabel('用户名')).toBeVisible();
  await wangContext.close();
  await zhaoContext.close();
});

test('offline, the recording and the step wait as 待发送 and go out once when the server is back', async ({ browser }) => {
  test.setTimeout(200_000);
  const title = `关于离线语音签批测试${Date.now() % 100000}的通知`;
  const id = await draftForWang(title);

  const wangContext = await browser.newContext({ locale: 'zh-CN' });
  const wang = await wangContext.newPage();
  await signIn(wang, wangUrl, 'wang');
  await openFromTodo(wang, title);
  const indicator = wang.getByRole('status', { name: '连接状态' });
  await expect(indicator).toHaveText('在线');

  await stop(server);
  await expect(indicator).toHaveText('离线', { timeout: 40_000 });
  await recordTwoSeconds(wang);
  await playsBack(wang, '试听录音');
  await wang.getByLabel('意见').fill('离线批示：同意。');
  await wang.getByRole('button', { name: '同意' }).click();
  await expect(wang.getByRole('status').filter({ hasText: '已保存，待发送' })).toBeVisible();
  const upload = wang.locator('.command').filter({ hasText: '上传语音签批录音' });
  const step = wang.locator('.command').filter({ hasText: /同意：离线批示：同意。（附语音 0:0[123]）/ });
  await expect(upload).toContainText('待发送');
  await expect(step).toContainText('待发送');

  server = await processes.startServer(serverPort);
  await expect(indicator).toHaveText('在线', { timeout: 60_000 });
  await expect(upload).toContainText('已发送', { timeout: 60_000 });
  await expect(step).toContainText('已发送', { timeout: 60_000 });
  await expect(wang.locator('.command')).toHaveCount(2);
  // Played from this computer's copy in 流转记录.
  await expect(wang.getByRole('list', { name: '流转记录' })).toContainText(/语音批示 0:0[123]/);

  const zhaoContext = await browser.newContext({ locale: 'zh-CN' });
  const zhao = await zhaoContext.newPage();
  await signIn(zhao, zhaoUrl, 'zhao');
  await openFromTodo(zhao, title);
  const history = zhao.getByRole('list', { name: '流转记录' });
  await expect(history.getByText(/语音批示 0:0[123]/)).toHaveCount(1);
  await playsBack(zhao, /^播放王建国的语音批示（0:0[123]）$/);

  const view = await api<{ history: HistoryLine[]; state: string }>(await tokenOf('zhao'), 'GET', `/api/documents/${id}`);
  expect(view.state).toBe('numbering');
  expect(view.history.filter((h) => h.action === 'approve')).toHaveLength(1);
  expect(view.history.filter((h) => h.opinionVoice)).toHaveLength(1);

  // Each web host keeps its session like a desktop app: sign out so the next test signs in afresh.
  await wang.getByRole('button', { name: '退出登录' }).click();
  await zhao.getByRole('button', { name: '退出登录' }).click();
  await expect(wang.getByLabel('用户名')).toBeVisible();
  await expect(zhao.getByLabel('用户名')).toBeVisible();
  await wangContext.close();
  await zhaoContext.close();
});
