/**
 * The 在线/离线 indicator in a real browser: a web host of its own (not the shared one of
 * playwright.config.ts) pointed with XIETONG_SERVER_URL at a sync server this test starts, stops
 * and starts again on the same port.
 */
import { expect, test } from '@playwright/test';
import { freePort, SpecProcesses, stop } from './support/processes';

let processes: SpecProcesses;

test.beforeAll(() => {
  processes = new SpecProcesses('xietong-e2e-connection-');
});

test.afterAll(async () => {
  await processes.dispose();
});

test('the indicator reads 离线 while the server is down and 在线 again when it is back; signing in needs the server', async ({ page }) => {
  test.setTimeout(150_000);
  const serverPort = await freePort();
  let server = await processes.startServer(serverPort);
  const web = await processes.startWebHost(serverPort);
  const url = web.url;

  await page.goto(url);
  await page.getByLabel('用户名').fill('li');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  const indicator = page.getByRole('status', { name: '连接状态' });
  await expect(indicator).toHaveText('在线');

  await stop(server);
  await expect(indicator).toHaveText('离线', { timeout: 40_000 });
  // Still signed in: going offline is not signing out.
  await expect(page.getByRole('banner').getByText('李文')).toBeVisible();

  server = await processes.startServer(serverPort);
  await expect(indicator).toHaveText('在线', { timeout: 60_000 });

  // Signing out works without the server; signing in then says why it cannot, keeping the username.
  await stop(server);
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').fill('li');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('无法连接服务器，请检查网络后重试');
  await expect(page.getByLabel('用户名')).toHaveValue('li');
  await stop(server);
  await stop(web.child);
});
