/**
 * 退出登录 ends the session on the server, not just on this screen (issue 15): the token's session is
 * marked revoked in the server's store, so the token stops working on every route and socket.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';

// scripts/e2e-web-host.mjs runs the web host with this data folder; its embedded server keeps its store in server/.
const store = join(process.env.XIETONG_E2E_DATA ?? join(process.cwd(), '.tmp', 'e2e-data-5199'), 'server', 'xietong.db');

/** liu's sessions in the server's store: still open, and ended by signing out. */
function sessionsOfLiu(): { open: number; revoked: number } {
  const db = new Database(store, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare("SELECT SUM(CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END) AS open, SUM(CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END) AS revoked FROM sessions WHERE user_id = 'user-liu'")
      .get() as { open: number | null; revoked: number | null };
    return { open: row.open ?? 0, revoked: row.revoked ?? 0 };
  } finally {
    db.close();
  }
}

test('退出登录 revokes the session on the server', async ({ page }) => {
  await page.goto('/');
  const before = sessionsOfLiu();
  await page.getByLabel('用户名').fill('liu');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('banner').getByText('刘强')).toBeVisible();
  await expect.poll(() => sessionsOfLiu().open).toBe(before.open + 1);

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
  await expect(page.getByText('您已退出登录')).toBeVisible();
  // The server was told: the session is revoked there, not merely forgotten here.
  await expect.poll(() => sessionsOfLiu()).toEqual({ open: before.open, revoked: before.revoked + 1 });
});
