/**
 * 印章 in Chromium against the web host with its embedded demo server: zhao opens 印章 and sees
 * 市政府办公室公章, drawn as on documents and held by 赵敏, with its 用印记录; the admin grants the
 * seal to 王建国 and the holders show him (for the admin and, after signing in again, for zhao);
 * 李文, who holds no seal, may not read its 用印记录 and gets the server's reason.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  // The web host keeps one session for every browser page: a spec before this one may have left someone signed in.
  const signedIn = page.getByRole('button', { name: '退出登录' });
  await expect(page.getByLabel('用户名').or(signedIn)).toBeVisible();
  if (await signedIn.isVisible()) await signOut(page);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
}

async function openSeals(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '印章', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '印章' })).toBeVisible();
}

async function snapshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.use({ actionTimeout: 20_000, trace: 'off' });

test('zhao sees his unit’s seal; the admin grants it to another person', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const seal = (p: Page) => p.getByRole('article', { name: '市政府办公室公章' });
  const holders = (p: Page) => seal(p).getByRole('list', { name: '市政府办公室公章的持有人' });

  await signIn(page, 'zhao');
  await openSeals(page);
  await expect(seal(page)).toBeVisible();
  await expect(seal(page).getByRole('img', { name: '市政府办公室公章印模' })).toBeVisible();
  await expect(holders(page).getByRole('listitem')).toHaveText(['赵敏']);
  // A clerk sees no admin controls.
  await expect(page.getByRole('button', { name: '新建印章' })).toHaveCount(0);
  await expect(seal(page).getByRole('button', { name: /撤销/ })).toHaveCount(0);
  await seal(page).getByRole('button', { name: '用印记录' }).click();
  await expect(seal(page).getByText('暂无用印记录。').or(seal(page).getByRole('table', { name: '市政府办公室公章的用印记录' }))).toBeVisible();
  await signOut(page);

  await signIn(page, 'admin');
  await openSeals(page);
  await seal(page).getByLabel('授权给').selectOption({ label: '王建国' });
  await seal(page).getByRole('button', { name: '授权使用市政府办公室公章' }).click();
  await expect(holders(page).getByRole('listitem')).toHaveText([/赵敏/, /王建国/]);
  await expect(seal(page).getByRole('button', { name: '撤销王建国使用市政府办公室公章的授权' })).toBeVisible();
  await page.getByRole('button', { name: '新建印章' }).click();
  await expect(page.getByRole('form', { name: '新建印章' })).toBeVisible();
  await snapshot(page, testInfo, 'seals-admin');
  await page.getByRole('button', { name: '取消' }).click();
  await signOut(page);

  await signIn(page, 'zhao');
  await openSeals(page);
  await expect(holders(page).getByRole('listitem')).toHaveText(['赵敏', '王建国']);
  await signOut(page);

  await signIn(page, 'li');
  await openSeals(page);
  await seal(page).getByRole('button', { name: '用印记录' }).click();
  await expect(seal(page).getByRole('alert')).toHaveText('只有管理员和印章持有人可以查看用印记录');
  await signOut(page);
});
