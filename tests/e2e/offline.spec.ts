/**
 * Working offline on a document (issue 4), in Chromium against a web host of its own pointed at a
 * sync server this test stops and starts: li drafts a 通知 online, the server goes away, li keeps
 * writing the body and submits it with an opinion — the step shows 待发送 — and when the server is
 * back it is sent (已发送) by itself; wang then finds it with every word li wrote offline.
 */
import { expect, test } from '@playwright/test';
import { freePort, SpecProcesses, stop } from './support/processes';

let processes: SpecProcesses;

test.beforeAll(() => {
  processes = new SpecProcesses('xietong-e2e-offline-');
});

test.afterAll(async () => {
  await processes.dispose();
});

const title = `关于离线办理测试${Date.now() % 100000}的通知`;

test('an edit and a step made offline are kept, shown 待发送, and sent when the server is back', async ({ page }) => {
  test.setTimeout(170_000);
  const serverPort = await freePort();
  let server = await processes.startServer(serverPort);
  const web = await processes.startWebHost(serverPort);
  const url = web.url;
  const indicator = page.getByRole('status', { name: '连接状态' });

  await page.goto(url);
  await page.getByLabel('用户名').fill('li');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await page.getByRole('button', { name: '拟稿' }).click();
  await page.getByLabel('标题').fill(title);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  const editor = page.getByRole('textbox', { name: '正文' });
  await editor.click();
  await page.keyboard.type('联网时写下的第一段。');
  await expect(indicator).toHaveText('在线');

  // The server goes away; li keeps working.
  await stop(server);
  await expect(indicator).toHaveText('离线', { timeout: 40_000 });
  await editor.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('离线时补充的第二段。');
  await expect(editor).toContainText('离线时补充的第二段。');
  await page.getByLabel('意见').fill('请王主任审签。');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存，待发送' })).toBeVisible();
  const command = page.locator('.command').filter({ hasText: '提交：请王主任审签。' });
  await expect(command).toContainText('待发送');

  // Back online: the step goes out by itself, once.
  server = await processes.startServer(serverPort);
  await expect(indicator).toHaveText('在线', { timeout: 60_000 });
  await expect(command).toContainText('已发送', { timeout: 60_000 });
  await expect(page.locator('.command')).toHaveCount(1);
  // The notice follows the step: no 待发送 left beside a record that says 已发送.
  await expect(page.getByRole('status').filter({ hasText: '已办理：提交' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '已保存，待发送' })).toHaveCount(0);
  await page.getByRole('button', { name: '退出登录' }).click();

  // wang has it, with what li wrote offline and li's opinion in the 流转记录.
  await page.getByLabel('用户名').fill('wang');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办' }).click();
  await page.getByRole('button', { name: title }).click();
  await expect(page.getByRole('textbox', { name: '正文' })).toContainText('联网时写下的第一段。');
  await expect(page.getByRole('textbox', { name: '正文' })).toContainText('离线时补充的第二段。');
  const history = page.getByRole('list', { name: '流转记录' });
  await expect(history.getByRole('listitem').filter({ hasText: '李文' }).filter({ hasText: '提交' })).toHaveCount(1);
  await expect(history).toContainText('意见：请王主任审签。');
  await page.getByRole('button', { name: '退出登录' }).click();
  await stop(server);
  await stop(web.child);
});
