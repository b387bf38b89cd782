/**
 * Opening the client asks the web host for nothing it does not have: no 404 in the browser's
 * console at the login screen or after signing in, and the tab shows the app's icon.
 */
import { expect, test } from '@playwright/test';

test('the client loads without a failed request and with its icon', async ({ page }) => {
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto('/');
  await page.getByLabel('用户名').fill('li');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toBeTruthy();
  const answer = await page.request.get(new URL(icon!, page.url()).toString());
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-type']).toContain('image/png');
  expect(failed).toEqual([]);
  // The web host is one desktop shared by the specs after this one: leave it at the login screen.
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
});
