/**
 * 即时通讯 (issue 18) in Chromium with two browser contexts — li and wang, each on a web host of
 * their own (two clients), one sync server: li starts a chat with 王建国 and sends text, a file and
 * a document card; wang reads them and li sees 已读; the server goes away, li writes two messages,
 * the server comes back and wang receives each exactly once, in order; chen (another unit) does
 * not see the conversation.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { freePort, SpecProcesses, stop } from './support/processes';

let processes: SpecProcesses;

test.beforeAll(() => {
  processes = new SpecProcesses('xietong-e2e-messaging-');
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

test('li and wang chat; messages written offline arrive once each, in order; chen sees nothing of it', async ({ browser }) => {
  test.setTimeout(240_000);
  const serverPort = await freePort();
  let server = await processes.startServer(serverPort);
  const liHost = await processes.startWebHost(serverPort);
  const wangHost = await processes.startWebHost(serverPort);

  const li = await signIn(browser, liHost.url, 'li');
  // A draft to share as a document card.
  const title = `关于即时通讯测试${Date.now() % 100000}的通知`;
  await li.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await li.getByRole('button', { name: '拟稿' }).click();
  await li.getByLabel('标题').fill(title);
  await li.getByRole('button', { name: '保存' }).click();
  await expect(li.getByRole('heading', { level: 2, name: title })).toBeVisible();

  // li starts a chat with 王建国, found by pinyin initials.
  await openMessages(li);
  await li.getByRole('button', { name: '新建会话' }).click();
  await li.getByRole('searchbox', { name: '搜索人员' }).fill('wjg');
  await li.getByRole('checkbox', { name: /王建国/ }).check();
  await li.getByRole('button', { name: '确定' }).click();
  const box = li.getByRole('textbox', { name: '输入消息' });
  await box.fill('王主任，会议材料请审阅。');
  await box.press('Enter');
  const liThread = li.getByRole('list', { name: '消息记录' });
  await expect(liThread).toContainText('王主任，会议材料请审阅。');
  await li.getByLabel('发送文件').setInputFiles({ name: '会议议程.txt', mimeType: 'text/plain', buffer: Buffer.from('一、开幕\n二、汇报\n') });
  await expect(liThread.getByRole('button', { name: '下载 会议议程.txt' })).toBeVisible();
  await li.getByRole('button', { name: '发送公文' }).click();
  await li.getByRole('button', { name: `发送公文《${title}》` }).click();
  await expect(liThread.getByRole('button', { name: `打开公文《${title}》` })).toBeVisible();
  await expect(liThread.getByText('待发送')).toHaveCount(0, { timeout: 20_000 });

  // wang reads them.
  const wang = await signIn(browser, wangHost.url, 'wang');
  await openMessages(wang);
  await wang.getByRole('button', { name: /^李文，3 条未读$/ }).click({ timeout: 30_000 });
  const wangThread = wang.getByRole('list', { name: '消息记录' });
  await expect(wangThread).toContainText('王主任，会议材料请审阅。');
  await expect(wangThread.getByRole('button', { name: '下载 会议议程.txt' })).toBeVisible();
  // The card opens the document for a reader who may see it (wang, li's leader, may read her draft).
  await wangThread.getByRole('button', { name: `打开公文《${title}》` }).click();
  await expect(wang.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await wang.getByRole('button', { name: '← 返回列表' }).click();
  await expect(wangThread).toContainText('王主任，会议材料请审阅。');

  // li sees 已读.
  await expect(liThread.getByText('已读').first()).toBeVisible({ timeout: 20_000 });

  // The server goes away; li writes two messages; they wait, then arrive once each, in order.
  await stop(server);
  await box.fill('离线时写的第一条');
  await box.press('Enter');
  await box.fill('离线时写的第二条');
  await box.press('Enter');
  await expect(liThread.getByText('待发送')).toHaveCount(2);
  server = await processes.startServer(serverPort);
  await expect(liThread.getByText('待发送')).toHaveCount(0, { timeout: 90_000 });
  await expect(wangThread).toContainText('离线时写的第二条', { timeout: 60_000 });
  const texts = await wangThread.locator('.messaging__text').allTextContents();
  expect(texts.filter((text) => text.startsWith('离线时写的'))).toEqual(['离线时写的第一条', '离线时写的第二条']);

  // chen (another unit) has no such conversation.
  await wang.getByRole('button', { name: '退出登录' }).click();
  await wang.getByLabel('用户名').fill('chen');
  await wang.getByLabel('密码').fill('demo1234');
  await wang.getByRole('button', { name: '登录' }).click();
  await openMessages(wang);
  await expect(wang.getByRole('complementary', { name: '会话列表' })).toContainText('市发展和改革委员会');
  await expect(wang.getByRole('complementary', { name: '会话列表' })).not.toContainText('李文');
  await expect(wang.getByRole('complementary', { name: '会话列表' })).not.toContainText('王建国');

  await stop(server);
  await stop(liHost.child);
  await stop(wangHost.child);
});
