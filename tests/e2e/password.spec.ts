/**
 * An administrator resets a password (`xietong admin passwd`); the person signs in with the
 * one-time password, must set their own before anything else, and then signs in with it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// scripts/e2e-web-host.mjs runs the web host with this data folder (XIETONG_E2E_DATA if it sets one);
// its embedded server keeps its store in server/.
const serverData = join(process.env.XIETONG_E2E_DATA ?? join(process.cwd(), '.tmp', 'e2e-data-5199'), 'server');

function resetPassword(username: string): string {
  const out = execFileSync(process.execPath, ['bin/xietong.mjs', 'admin', 'passwd', '--data', serverData, '--user', username], { encoding: 'utf8' });
  const password = out.trim().split('：').at(-1);
  if (!password) throw new Error(`no one-time password in: ${out}`);
  return password;
}

test('a one-time password must be replaced before the main window opens', async ({ page }, testInfo) => {
  const oneTime = resetPassword('sun');
  await page.goto('/');
  await page.getByLabel('用户名').fill('sun');
  await page.getByLabel('密码').fill(oneTime);
  await page.getByRole('button', { name: '登录' }).click();

  await expect(page.getByRole('heading', { name: '请设置新密码' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await page.getByLabel('当前密码').fill(oneTime);
  await page.getByLabel('新密码', { exact: true }).fill('12345678');
  await page.getByLabel('确认新密码').fill('12345678');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('alert')).toHaveText('新密码不能全是数字');
  await page.screenshot({ path: testInfo.outputPath('forced-password.png') });

  await page.getByLabel('新密码', { exact: true }).fill('gongwen-2026');
  await page.getByLabel('确认新密码').fill('gongwen-2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('banner').getByText('孙磊')).toBeVisible();
  await expect(page.getByRole('banner').getByText('市发展和改革委员会')).toBeVisible();

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').fill('sun');
  await page.getByLabel('密码').fill('gongwen-2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
});
