/**
 * An administrator imports a new person (`xietong admin import`) and later resets their password
 * (`xietong admin passwd`); each time the person signs in with the one-time password, must set their
 * own before anything else, and then signs in with it. The person is this spec's own, so the demo
 * accounts other specs sign in with keep their password.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// scripts/e2e-web-host.mjs runs the web host with this data folder (XIETONG_E2E_DATA if it sets one);
// its embedded server keeps its store in server/.
const serverData = join(process.env.XIETONG_E2E_DATA ?? join(process.cwd(), '.tmp', 'e2e-data-5199'), 'server');

const xietong = (...args: string[]): string => execFileSync(process.execPath, ['bin/xietong.mjs', ...args], { encoding: 'utf8' });

/** Imports one person of 市发展和改革委员会 and returns the one-time password printed for them. */
function importPerson(username: string, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xietong-e2e-import-'));
  try {
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, `unit,department,username,name,roles\n市发展和改革委员会,综合处,${username},${name},staff\n`);
    const row = xietong('admin', 'import', '--data', serverData, '--csv', csv)
      .split('\n')
      .map((line) => line.split('\t'))
      .find((cells) => cells[0] === username);
    const password = row?.[3]?.trim();
    if (!password) throw new Error(`no one-time password for ${username} in the import output`);
    return password;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function resetPassword(username: string): string {
  const out = xietong('admin', 'passwd', '--data', serverData, '--user', username);
  const password = out.trim().split('：').at(-1);
  if (!password) throw new Error(`no one-time password in: ${out}`);
  return password;
}

test('a one-time password must be replaced before the main window opens', async ({ page }, testInfo) => {
  const username = `zhou${Date.now() % 100000}`;
  const firstPassword = importPerson(username, '周正');
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(firstPassword);
  await page.getByRole('button', { name: '登录' }).click();

  await expect(page.getByRole('heading', { name: '请设置新密码' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await page.getByLabel('当前密码').fill(firstPassword);
  await page.getByLabel('新密码', { exact: true }).fill('12345678');
  await page.getByLabel('确认新密码').fill('12345678');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('alert')).toHaveText('新密码不能全是数字');
  await page.screenshot({ path: testInfo.outputPath('forced-password.png') });

  await page.getByLabel('新密码', { exact: true }).fill('gongwen-2026');
  await page.getByLabel('确认新密码').fill('gongwen-2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('banner').getByText('周正')).toBeVisible();
  await expect(page.getByRole('banner').getByText('市发展和改革委员会')).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();

  // The admin resets it: the new one-time password works once, and must be replaced again.
  const resetTo = resetPassword(username);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('gongwen-2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('用户名或密码错误')).toBeVisible();
  await page.getByLabel('密码').fill(resetTo);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('heading', { name: '请设置新密码' })).toBeVisible();
  await page.getByLabel('当前密码').fill(resetTo);
  await page.getByLabel('新密码', { exact: true }).fill('gongwen-2027');
  await page.getByLabel('确认新密码').fill('gongwen-2027');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
});
