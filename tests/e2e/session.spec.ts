/**
 * The first thing a person does: sign in, look around, sign out — in Chromium, against the web host
 * with its embedded sync server and the demo organisation (INTERFACES.md).
 */
import { expect, test, type Page } from '@playwright/test';

const sections = ['待办', '已办', '发文', '收文', '交换', '消息', '印章'] as const;

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('li signs in, sees name and unit, visits every section and signs out', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await signIn(page, 'li', 'demo1234');

  const header = page.getByRole('banner');
  await expect(header.getByText('李文')).toBeVisible();
  await expect(header.getByText('市政府办公室')).toBeVisible();
  await expect(page.getByRole('status', { name: '连接状态' })).toHaveText('在线');

  const nav = page.getByRole('navigation', { name: '主导航' });
  for (const section of sections) {
    await nav.getByRole('button', { name: section }).click();
    await expect(nav.getByRole('button', { name: section })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
  }

  await nav.getByRole('button', { name: '待办' }).click();
  // The screenshot shows the section as a person sees it, not its loading placeholder.
  await expect(page.getByRole('main').getByText('正在加载…')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('main-window.png'), fullPage: true });
  await testInfo.attach('main-window', { path: testInfo.outputPath('main-window.png'), contentType: 'image/png' });

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
  await expect(page.getByText('您已退出登录')).toBeVisible();
  // Signed out means signed out: a reload does not bring the session back.
  await page.reload();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
});

test('a wrong password says so and keeps the typed username', async ({ page }, testInfo) => {
  await page.goto('/');
  await signIn(page, 'wang', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误');
  await expect(page.getByLabel('用户名')).toHaveValue('wang');
  await expect(page.getByLabel('密码')).toHaveValue('');
  await page.screenshot({ path: testInfo.outputPath('login-error.png') });

  // The right password then works from the same screen.
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('banner').getByText('王建国')).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
});

test('a signed-in session survives a reload, and the interface switches to English', async ({ page }, testInfo) => {
  await page.goto('/');
  await signIn(page, 'zhao', 'demo1234');
  await expect(page.getByRole('banner').getByText('赵敏')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('banner').getByText('赵敏')).toBeVisible();

  await page.getByLabel('界面语言').selectOption('en');
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Outgoing' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.screenshot({ path: testInfo.outputPath('main-window-en.png') });

  // A refusal from the server reads in English too: it arrives as a key, not as the Chinese sentence.
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByLabel('Current password').fill('not-the-password');
  await page.getByLabel('New password', { exact: true }).fill('another-pass-1');
  await page.getByLabel('Confirm new password').fill('another-pass-1');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The current password is not correct');
  await page.screenshot({ path: testInfo.outputPath('refusal-en.png') });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
});

test('关于 shows the versions and exports diagnostics on this machine', async ({ page }, testInfo) => {
  await page.goto('/');
  await signIn(page, 'chen', 'demo1234');
  await page.getByRole('button', { name: '关于' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '关于协同办公' })).toBeVisible();
  await expect(page.getByText(/^Node\.js v\d+/)).toBeVisible();
  await page.getByRole('button', { name: '导出诊断信息' }).click();
  await expect(page.getByRole('status').filter({ hasText: '诊断信息已导出' })).toContainText('.zip');
  await page.screenshot({ path: testInfo.outputPath('about.png') });
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
});
