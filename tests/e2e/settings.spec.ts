/**
 * 设置 and the browser's badge, in Chromium against the web host: li hands a draft to wang; wang's
 * page title carries his 待办 count; he opens 设置, switches the language to English (the interface
 * changes at once), saves, and after a reload — with this browser's own memory of the language
 * cleared — the saved setting brings English back. In the browser, 开机启动 is shown as desktop-only
 * (as are automatic updates; notifications are the browser's there, so their switch counts) and
 * 检查更新 explains that the page updates with the server.
 */
import { expect, test, type Page } from '@playwright/test';

const title = `关于开展${Date.now() % 100000}号节能检查的通知`;

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

test.use({ actionTimeout: 20_000, trace: 'off' });

test('设置: English saved and kept across a reload; the page title shows the 待办 count', async ({ page }, testInfo) => {
  test.setTimeout(120_000);

  // li submits a draft to wang, so wang has at least one 待办.
  await signIn(page, 'li');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await page.getByRole('button', { name: '拟稿' }).click();
  await page.getByLabel('标题').fill(title);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.locator('.command').filter({ hasText: '提交' }).first()).toContainText('已发送', { timeout: 30_000 });
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();

  await signIn(page, 'wang');
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('button', { name: '待办', exact: true }).click();
  await expect(page.getByRole('button', { name: title })).toBeVisible();
  // The browser's badge: the count of 待办 in the title.
  await expect(page).toHaveTitle(/^\([1-9]\d*\) 协同办公$/);
  const count = Number(/^\((\d+)\)/.exec(await page.title())![1]);

  await nav.getByRole('button', { name: '设置' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '设置' })).toBeVisible();
  // Desktop-only settings are shown as such, not hidden.
  await expect(page.getByLabel('开机启动')).toBeDisabled();
  await expect(page.getByLabel('新消息和待办通知')).toBeEnabled();
  await expect(page.getByText('仅桌面版可用：浏览器中不适用')).toHaveCount(2);
  await expect(page.getByText('浏览器版本随服务器一同更新，无需单独更新')).toBeVisible();
  // The web host runs with one server: the address is locked, with the reason.
  await expect(page.getByLabel('服务器地址')).toBeDisabled();
  await expect(page.getByText('已锁定：单位部署策略不允许更改服务器地址')).toBeVisible();

  await page.getByRole('main').getByLabel('界面语言').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'To do' })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  const shot = testInfo.outputPath('settings-en.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('settings-en', { path: shot, contentType: 'image/png' });

  // Forget what this browser remembers: English must come back from the saved settings.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'To do' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle(`(${count}) XieTong Office`);

  // Back to Chinese for whoever uses this data folder next.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Interface language').selectOption('zh-CN');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
  await expect(page).toHaveTitle('协同办公');
});
