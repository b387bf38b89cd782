/**
 * One 通知 through the whole 发文 flow and into another unit's 收文, in Chromium against the web host
 * with its embedded demo server: li drafts and submits it to wang; wang signs off (同意) with an
 * opinion; zhao numbers it, seals it with his real certificate and dispatches it to 市发展和改革委员会;
 * chen signs for it in 交换 and finds it in 收文. The 流转记录 shows every step and the audit chain
 * verifies.
 */
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';

/** The web host of playwright.config.ts keeps its embedded server's data here (scripts/e2e-web-host.mjs). */
// playwright.config.ts gives every run its own data folder as XIETONG_E2E_DATA.
const serverData = join(process.env.XIETONG_E2E_DATA ?? join(process.cwd(), '.tmp', 'e2e-data-5199'), 'server');
const title = `关于做好${Date.now() % 100000}号专项检查工作的通知`;
const body = '各单位要高度重视，认真组织开展自查自纠工作。';

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
}

async function openFrom(page: Page, section: string, documentTitle: string): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: section, exact: true }).click();
  await page.getByRole('button', { name: documentTitle }).click();
  await expect(page.getByRole('heading', { level: 2, name: documentTitle })).toBeVisible();
}

/**
 * Waits until our step `label` shows 已发送 in 本机提交记录. Online the server usually decides within
 * the call; on a busy machine it may still be 待发送 when the call returns, and flips when decided.
 */
async function expectSent(page: Page, label: string): Promise<void> {
  await expect(page.locator('.command').filter({ hasText: label }).first()).toContainText('已发送', { timeout: 30_000 });
}

async function snapshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

// Traces off: the shared test-results folder is written by other runs on this machine at the same time.
test.use({ actionTimeout: 20_000, trace: 'off', viewport: { width: 1440, height: 1500 } });

test('a 通知 goes from 拟稿 to another unit’s 收文 with a real seal', async ({ page }, testInfo) => {
  test.setTimeout(180_000);

  // li drafts the notice, writes its body and submits it to wang.
  await signIn(page, 'li');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await page.getByRole('button', { name: '拟稿' }).click();
  await page.getByLabel('标题').fill(title);
  await expect(page.getByLabel('文种')).toHaveValue('notice');
  await page.getByRole('checkbox', { name: '市发展和改革委员会' }).check();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  const editor = page.getByRole('textbox', { name: '正文' });
  await editor.click();
  await page.keyboard.type(body);
  await expect(editor).toContainText(body);
  // The drafter corrects a fact before handing it on: it becomes 加急.
  await page.getByRole('button', { name: '修改信息' }).click();
  await page.getByRole('form', { name: '修改公文信息' }).getByLabel('紧急程度').selectOption('urgent');
  await page.getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByRole('status').filter({ hasText: '公文信息已保存' })).toBeVisible();
  await expect(page.locator('.doc-view__tags')).toContainText('加急');
  await expect(page.getByRole('group', { name: '提交：下一步办理人' }).getByRole('checkbox', { name: '王建国（领导）' })).toBeChecked();
  // 系统管理员 holds no step: not offered.
  await expect(page.getByRole('group', { name: '提交：下一步办理人' })).not.toContainText('系统管理员');
  await page.getByRole('button', { name: '提交' }).click();
  await expectSent(page, '提交');
  await signOut(page);

  // wang finds it in 待办 with li's text and signs it off with an opinion.
  await signIn(page, 'wang');
  await openFrom(page, '待办', title);
  await expect(page.getByRole('textbox', { name: '正文' })).toContainText(body);
  await page.getByLabel('意见').fill('同意印发。');
  // 签发 goes to the unit's clerk, and the list says so: 赵敏 ticked, nobody else offered.
  const toNumbering = page.getByRole('group', { name: '同意：下一步办理人（编号）' });
  await expect(toNumbering.getByRole('checkbox', { name: '赵敏（文书）' })).toBeChecked();
  await expect(toNumbering.getByRole('checkbox')).toHaveCount(1);
  // Nobody else in the unit may sign off, so 转办 is not offered.
  await expect(page.getByRole('button', { name: '转办', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: '同意' }).click();
  await expectSent(page, '同意');
  await signOut(page);

  // zhao numbers it, seals it with his own certificate, and dispatches it.
  await signIn(page, 'zhao');
  await openFrom(page, '待办', title);
  await page.getByRole('button', { name: '编号' }).click();
  await expectSent(page, '编号');
  await expect(page.locator('.doc-view__number')).toHaveText(/〔\d{4}〕\d+号$/);
  await page.getByRole('button', { name: '用印' }).click();
  const dialog = page.getByRole('dialog', { name: '用印' });
  await dialog.getByLabel('证书文件').setInputFiles(join(serverData, 'demo', 'certs', 'zhao.p12'));
  await dialog.getByLabel('证书密码').fill('demo1234');
  await dialog.getByRole('button', { name: '确认用印' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已用印（签名人：赵敏）' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('已用印', { exact: true })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: '市发展和改革委员会' })).toBeChecked();
  await page.getByRole('button', { name: '分发' }).click();
  await expectSent(page, '分发');
  await expect(page.locator('.receipt').filter({ hasText: '市发展和改革委员会' })).toContainText('待签收');
  await snapshot(page, testInfo, 'document-dispatched');
  await signOut(page);

  // chen signs for it in 交换; it becomes a 收文 of 市发展和改革委员会.
  await signIn(page, 'chen');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '交换' }).click();
  const item = page.getByRole('listitem', { name: title });
  await expect(item).toContainText('市政府办公室');
  await snapshot(page, testInfo, 'exchange-incoming');
  await item.getByRole('button', { name: '签收' }).click();
  await expect(item).toContainText('已签收');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '收文' }).click();
  await expect(page.getByRole('button', { name: title })).toBeVisible();
  await snapshot(page, testInfo, 'incoming-list');
  // The 收文 flow of the receiving unit: 登记, 拟办 to its leader, 批示 to a handler, 办结.
  await page.getByRole('button', { name: title }).click();
  await page.getByRole('button', { name: '登记' }).click();
  await expectSent(page, '登记');
  await page.getByLabel('意见').fill('拟请孙磊同志阅办。');
  await expect(page.getByRole('checkbox', { name: '刘强（领导）' })).toBeChecked();
  await page.getByRole('button', { name: '拟办' }).click();
  await expectSent(page, '拟办');
  await signOut(page);

  await signIn(page, 'liu');
  await openFrom(page, '待办', title);
  await page.getByLabel('意见').fill('请孙磊同志抓紧落实。');
  const handlers = page.getByRole('group', { name: '批示：下一步办理人（承办）' });
  for (const box of await handlers.getByRole('checkbox').all()) await box.uncheck();
  await handlers.getByRole('checkbox', { name: '孙磊' }).check();
  await page.getByRole('button', { name: '批示' }).click();
  await expectSent(page, '批示');
  await signOut(page);

  await signIn(page, 'sun');
  await openFrom(page, '待办', title);
  await expect(page.getByRole('list', { name: '流转记录' })).toContainText('意见：请孙磊同志抓紧落实。');
  await page.getByRole('button', { name: '办结' }).click();
  await expectSent(page, '办结');
  await expect(page.locator('.doc-view__tags')).toContainText('办结');
  await signOut(page);

  // Back at the sending unit: the 流转记录 has every step, the receipt names chen, the audit verifies.
  await signIn(page, 'zhao');
  await openFrom(page, '发文', title);
  const history = page.getByRole('list', { name: '流转记录' });
  for (const [who, what] of [
    ['李文', '提交'],
    ['王建国', '同意'],
    ['赵敏', '编号'],
    ['赵敏', '用印'],
    ['赵敏', '分发'],
  ]) {
    await expect(history.getByRole('listitem').filter({ hasText: who }).filter({ hasText: what })).toHaveCount(1);
  }
  await expect(history).toContainText('意见：同意印发。');
  await expect(page.locator('.receipt').filter({ hasText: '市发展和改革委员会' })).toContainText('已签收');
  await expect(page.locator('.receipt').filter({ hasText: '市发展和改革委员会' })).toContainText('陈静');
  await expect(page.getByText(/审计记录完整，校验通过（共 \d+ 条）/)).toBeVisible();
  await snapshot(page, testInfo, 'document-view');
  await signOut(page);
});
