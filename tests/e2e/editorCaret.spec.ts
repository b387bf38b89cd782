/**
 * Keys that arrive in one burst (a fast typist, a remote desktop flushing its buffer) land where the
 * caret is: Ctrl+End then Enter starts a new paragraph at the end, not where the caret had been a
 * moment before. Without DomSelectionPlugin, Lexical handled the Enter before the browser reported
 * the caret's move, and split the sentence in the middle (three runs in four, in Chromium here).
 */
import { expect, test } from '@playwright/test';

test('a burst of keys after moving the caret lands at the caret', async ({ page }) => {
  const title = `关于光标测试${Date.now() % 100000}的通知`;
  await page.goto('/');
  await page.getByLabel('用户名').fill('li');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await page.getByRole('button', { name: '拟稿' }).click();
  await page.getByLabel('标题').fill(title);
  await page.getByRole('button', { name: '保存' }).click();
  const editor = page.getByRole('textbox', { name: '正文' });
  await editor.click();
  const numbers = ['一', '二', '三', '四'];
  for (const number of numbers) {
    await page.keyboard.type(`${number}、各单位要认真组织自查。`);
    // Select 认真组织 from the end, replace it, and start the next paragraph at the end — no pause.
    await page.keyboard.press('Control+End');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type('全面开展');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
  }
  await expect(editor.locator('p')).toHaveText([...numbers.map((number) => `${number}、各单位要全面开展自查。`), '']);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
});
