/**
 * Desktop notifications in the web host (issue 18), in Chromium with the notification permission
 * granted and window.Notification wrapped to record what is shown: wang, on 待办, is notified of li's
 * message and of a new 待办 (only when the count rises); not for a conversation with 免打扰; nothing
 * once he turns 新消息和待办通知 off in 设置.
 */
import { expect, test, type Page } from '@playwright/test';
import { createThreePageDocument } from './support/threePageDocument';
import { freePort, SpecProcesses, stop } from './support/processes';

let processes: SpecProcesses;

test.beforeAll(() => {
  processes = new SpecProcesses('xietong-e2e-notify-');
});

test.afterAll(async () => {
  await processes.dispose();
});

/** Replaces the browser's Notification with one that records each notification instead of showing it. */
const recordNotifications = (): void => {
  const real = window.Notification;
  const shown: { title: string; body: string }[] = [];
  (window as unknown as { __notifications: typeof shown }).__notifications = shown;
  class Recorded {
    static get permission(): NotificationPermission {
      return real.permission;
    }
    static requestPermission(): Promise<NotificationPermission> {
      return real.requestPermission();
    }
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body ?? '' });
    }
    close(): void {}
  }
  (window as unknown as { Notification: unknown }).Notification = Recorded;
  // The page title's badge as it changes, with times: printed when a notification does not come.
  const started = Date.now();
  const titles: string[] = [];
  (window as unknown as { __titles: typeof titles }).__titles = titles;
  const timer = setInterval(() => {
    if (titles.length >= 200) clearInterval(timer);
    else if (titles.at(-1)?.endsWith(` ${document.title}`) !== true) titles.push(`${Date.now() - started} ms ${document.title}`);
  }, 20);
};

const titles = (page: Page) => page.evaluate(() => (window as unknown as { __titles: string[] }).__titles.join(' · '));

const shown = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications.slice());

async function api(url: string, method: string, token: string | null, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

test('wang is notified of new messages and new 待办, not with 免打扰 nor with notifications off', async ({ browser }) => {
  test.setTimeout(180_000);
  const serverPort = await freePort();
  const server = await processes.startServer(serverPort);
  const serverUrl = `http://127.0.0.1:${serverPort}`;
  const wangHost = await processes.startWebHost(serverPort);

  const context = await browser.newContext();
  await context.grantPermissions(['notifications'], { origin: wangHost.url });
  await context.addInitScript(recordNotifications);
  const wang = await context.newPage();
  await wang.goto(wangHost.url);
  await wang.getByLabel('用户名').fill('wang');
  await wang.getByLabel('密码').fill('demo1234');
  await wang.getByRole('button', { name: '登录' }).click();
  await expect(wang.getByRole('navigation', { name: '主导航' })).toBeVisible();

  // li starts the chat and writes through the server (another client); wang is on 待办, not in 消息.
  // The message can arrive before wang's list has the new conversation: still titled by its name.
  const { token } = (await api(`${serverUrl}/api/auth/login`, 'POST', null, { username: 'li', password: 'demo1234' })) as { token: string };
  const dm = (await api(`${serverUrl}/api/conversations`, 'POST', token, { kind: 'direct', userId: 'user-wang' })) as { id: string };
  const say = (text: string) => api(`${serverUrl}/api/conversations/${dm.id}/messages`, 'POST', token, { txnId: `e2e-${text.length}-${Date.now()}`, content: { type: 'text', text, mentions: [] } });
  await say('王主任，请看一下会议纪要');
  await expect.poll(() => shown(wang), { timeout: 30_000 }).toContainEqual({ title: '李文', body: '王主任，请看一下会议纪要' });

  // The unread message is counted in the title: wang's 待办 count is known (0) before a document
  // comes — what was there at sign-in is no news.
  await expect(wang).toHaveTitle('(1) 协同办公', { timeout: 30_000 });

  // A new 待办: one notification when the count rises.
  await createThreePageDocument(serverUrl, `关于通知测试${Date.now() % 100000}的请示`);
  await expect
    .poll(() => shown(wang), { timeout: 30_000 })
    .toContainEqual({ title: '协同办公', body: '新的待办 1 件' })
    .catch(async (error: unknown) => {
      throw new Error(`${String(error)}\nthe page title meanwhile: ${await titles(wang)}`);
    });
  expect((await shown(wang)).filter((n) => n.body.startsWith('新的待办'))).toHaveLength(1);

  // 免打扰 on the conversation: the message arrives, no notification.
  await wang.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '消息' }).click();
  await wang.getByRole('button', { name: /^李文/ }).click();
  await wang.getByRole('button', { name: '免打扰' }).click();
  await expect(wang.getByRole('button', { name: '免打扰' })).toHaveAttribute('aria-pressed', 'true');
  await say('这条不必提醒');
  await expect(wang.getByRole('list', { name: '消息记录' })).toContainText('这条不必提醒', { timeout: 30_000 });
  await wang.waitForTimeout(1000);
  expect((await shown(wang)).map((n) => n.body)).not.toContain('这条不必提醒');

  // 新消息和待办通知 off in 设置: a further 待办 raises the badge in the title, no notification.
  await wang.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '设置' }).click();
  await wang.getByLabel('新消息和待办通知').uncheck();
  await wang.getByRole('button', { name: '保存' }).click();
  await expect(wang.getByText('设置已保存')).toBeVisible();
  const before = (await shown(wang)).length;
  await createThreePageDocument(serverUrl, `关于通知测试${Date.now() % 100000}的报告`);
  await expect(wang).toHaveTitle(/^\(\d+\) 协同办公$/);
  await expect.poll(async () => Number(/^\((\d+)\)/.exec(await wang.title())?.[1] ?? 0), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await wang.waitForTimeout(1000);
  expect(await shown(wang)).toHaveLength(before);

  await context.close();
  await stop(wangHost.child);
  await stop(server);
});
