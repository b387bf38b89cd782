/**
 * 协同拟稿人 (issue 19) in Chromium with two browser contexts — li and zhao, each on a web host of
 * their own, one sync server: li drafts a 通知 and names 赵敏 as 协同拟稿人 (the button 协同拟稿人, a
 * checkbox per person of the unit, 确定); zhao finds the draft in 发文 and may write its body; both
 * type into it at the same time and each sees the other's text. After li's 提交 zhao reads only.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { freePort, SpecProcesses, stop } from './support/processes';

let processes: SpecProcesses;

test.beforeAll(() => {
  processes = new SpecProcesses('xietong-e2e-co-drafting-');
});

test.afterAll(async () => {
  await processes.dispose();
});

async function signIn(browser: Browser, url: string, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

const title = `关于协同拟稿测试${Date.now() % 100000}的通知`;

test('li names zhao 协同拟稿人; both type into the draft at once and see each other’s text', async ({ browser }) => {
  test.setTimeout(200_000);
  const serverPort = await freePort();
  const server = await processes.startServer(serverPort);
  const liHost = await processes.startWebHost(serverPort);
  const zhaoHost = await processes.startWebHost(serverPort);

  const li = await signIn(browser, liHost.url, 'li');
  await li.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await li.getByRole('button', { name: '拟稿' }).click();
  await li.getByLabel('标题').fill(title);
  await li.getByRole('button', { name: '保存' }).click();
  await expect(li.getByRole('heading', { level: 2, name: title })).toBeVisible();
  const liEditor = li.getByRole('textbox', { name: '正文' });
  await liEditor.click();
  await li.keyboard.type('一、李文起草的第一段。');

  // 协同拟稿人: one checkbox per colleague of the unit, named by the name; other units' people absent.
  await li.getByRole('button', { name: '协同拟稿人' }).click();
  const picker = li.getByRole('group', { name: '协同拟稿人' });
  await expect(picker.getByRole('checkbox', { name: '王建国', exact: true })).toBeVisible();
  await expect(picker.getByRole('checkbox', { name: '陈静', exact: true })).toHaveCount(0);
  await expect(picker.getByRole('checkbox', { name: '李文', exact: true })).toHaveCount(0);
  await picker.getByRole('checkbox', { name: '赵敏', exact: true }).check();
  await picker.getByRole('button', { name: '确定' }).click();
  await expect(li.locator('.co-drafters__names')).toContainText('协同拟稿人：赵敏');

  // zhao finds the draft in 发文 and may write it.
  const zhao = await signIn(browser, zhaoHost.url, 'zhao');
  await zhao.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await zhao.getByRole('button', { name: title }).click();
  const zhaoEditor = zhao.getByRole('textbox', { name: '正文' });
  await expect(zhaoEditor).toContainText('一、李文起草的第一段。');
  await expect(zhaoEditor).toHaveAttribute('contenteditable', 'true');
  await expect(zhao.getByRole('button', { name: '协同拟稿人' })).toHaveCount(0);

  // Both type at once, each at the end of the text, in a paragraph of their own.
  await liEditor.click();
  await li.keyboard.press('Control+End');
  await li.keyboard.press('Enter');
  await zhaoEditor.click();
  await zhao.keyboard.press('Control+End');
  await zhao.keyboard.press('Enter');
  await Promise.all([li.keyboard.type('二、李文同时补写的一段。', { delay: 20 }), zhao.keyboard.type('三、赵敏同时补写的一段。', { delay: 20 })]);
  for (const editor of [liEditor, zhaoEditor]) {
    await expect(editor).toContainText('李文同时补写的一段。', { timeout: 20_000 });
    await expect(editor).toContainText('赵敏同时补写的一段。', { timeout: 20_000 });
    await expect(editor).toContainText('一、李文起草的第一段。');
  }

  // li submits: zhao's editor locks (the server no longer takes her edits).
  await li.getByRole('button', { name: '提交' }).click();
  await expect(li.getByRole('status').filter({ hasText: '已办理' })).toBeVisible({ timeout: 20_000 });
  await expect(zhaoEditor).toHaveAttribute('contenteditable', 'false', { timeout: 30_000 });

  await li.context().close();
  await zhao.context().close();
  await stop(liHost.child);
  await stop(zhaoHost.child);
  await stop(server);
});
