/**
 * 公文交换 verified at both ends (issue 20), in Chromium against its own demo server and web host:
 * zhao dispatches a sealed 通知 to 市发展和改革委员会 and two district governments chosen by search;
 * chen opens it, sees 有效 by 赵敏 with 市政府办公室公章 beside the document's preview, and signs for
 * it; zhao sees 已签收 by 陈静. A second item chen returns, and zhao sees why. A third, whose PDF is
 * altered in the server's store after sealing, shows 无效 and cannot be signed for.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { freePort, SpecProcesses } from './support/processes';
import { createSealedNotice, dispatchTo } from './support/sealedDocument';

let processes: SpecProcesses;
let serverUrl = '';
let serverData = '';
let url = '';
test.beforeAll(async () => {
  processes = new SpecProcesses('xietong-e2e-exchange-');
  const serverPort = await freePort();
  await processes.startServer(serverPort);
  serverUrl = `http://127.0.0.1:${serverPort}`;
  serverData = join(processes.root, 'server');
  url = (await processes.startWebHost(serverPort)).url;
});
test.afterAll(async () => {
  await processes.dispose();
});

test.use({ actionTimeout: 20_000, trace: 'off', viewport: { width: 1440, height: 1400 } });

const stamp = Date.now() % 100000;
const sent = `关于做好${stamp}号防汛工作的通知`;
const returned = `关于${stamp}号会议安排的通知`;
const altered = `关于${stamp}号资金拨付的通知`;

async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  // The web host keeps one session for its window: a previous test may have left someone signed in.
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

const nav = (page: Page, section: string) => page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: section, exact: true }).click();

test('a sealed 通知 is verified at both ends, signed for, returned with a reason, and refused when altered', async ({ page }) => {
  test.setTimeout(240_000);

  const firstId = await createSealedNotice(serverUrl, serverData, sent);
  await dispatchTo(serverUrl, await createSealedNotice(serverUrl, serverData, returned), ['unit-sfgw']);
  const alteredId = await createSealedNotice(serverUrl, serverData, altered);
  await dispatchTo(serverUrl, alteredId, ['unit-sfgw']);
  // Someone with access to the server's store changes the sealed PDF's bytes after it was sent.
  const store = new Database(join(serverData, 'xietong.db'));
  try {
    const row = store.prepare('SELECT pdf_sha256 FROM exchange_items WHERE document_id = ?').get(alteredId) as { pdf_sha256: string };
    const blob = store.prepare('SELECT bytes FROM document_blobs WHERE sha256 = ?').get(row.pdf_sha256) as { bytes: Buffer };
    const bytes = Buffer.from(blob.bytes);
    bytes[400] = bytes[400]! ^ 1;
    store.prepare('UPDATE document_blobs SET bytes = ? WHERE sha256 = ?').run(bytes, row.pdf_sha256);
  } finally {
    store.close();
  }
  expect(firstId).toBeTruthy();

  // zhao dispatches the first to 市发展和改革委员会 and two district governments found by search.
  await signIn(page, url, 'zhao');
  await nav(page, '待办');
  await page.getByRole('button', { name: sent }).click();
  await expect(page.getByRole('heading', { level: 2, name: sent })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: '市发展和改革委员会' })).toBeChecked();
  await expect(page.getByRole('group', { name: '按分组选择' }).getByRole('button', { name: /各区人民政府（5）/ })).toBeVisible();
  const search = page.getByLabel('搜索单位');
  await search.fill('禅城');
  await page.getByRole('checkbox', { name: '禅城区人民政府' }).check();
  await search.fill('南海');
  await page.getByRole('checkbox', { name: '南海区人民政府' }).check();
  await search.fill('');
  await expect(page.getByText('已选 3 个单位')).toBeVisible();
  await page.getByRole('button', { name: '分发' }).click();
  await expect(page.locator('.receipt').filter({ hasText: '南海区人民政府' })).toContainText('待签收', { timeout: 30_000 });
  await expect(page.locator('.receipt').filter({ hasText: '禅城区人民政府' })).toContainText('待签收');
  await signOut(page);

  // chen opens it in 交换: the document as it prints and its seal, 有效 by 赵敏 with 市政府办公室公章.
  await signIn(page, url, 'chen');
  await nav(page, '交换');
  await page.getByRole('button', { name: `打开 ${sent}` }).click();
  await expect(page.getByRole('region', { name: '公文预览' })).toBeVisible();
  const check = page.getByRole('region', { name: '签章验证' });
  await expect(check).toContainText('验证结果：有效', { timeout: 30_000 });
  const seal = check.getByRole('listitem', { name: '第1个签章' });
  await expect(seal).toContainText('有效');
  await expect(seal).toContainText('签名人：赵敏');
  await expect(seal).toContainText('印章：市政府办公室公章');
  await expect(seal).toContainText('其后仅追加了签章');
  await page.getByRole('button', { name: '签收', exact: true }).click();
  await expect(page.getByRole('article', { name: sent })).toContainText('已签收', { timeout: 30_000 });
  await page.getByRole('button', { name: '返回交换列表' }).click();

  // The second one does not concern this unit: chen returns it with the reason.
  const second = page.getByRole('listitem', { name: returned });
  await second.getByRole('button', { name: '退回' }).click();
  await second.getByLabel('退回理由').fill('不属于本单位职责范围');
  await second.getByRole('button', { name: '确认退回' }).click();
  await expect(second).toContainText('已退回', { timeout: 30_000 });

  // The altered one shows 无效 and cannot be signed for.
  await page.getByRole('button', { name: `打开 ${altered}` }).click();
  const broken = page.getByRole('region', { name: '签章验证' });
  await expect(broken).toContainText('验证结果：无效', { timeout: 30_000 });
  await expect(broken).toContainText('签章后文件内容被改动');
  await expect(page.getByRole('alert').filter({ hasText: '不能签收' })).toBeVisible();
  await expect(page.getByRole('button', { name: '签收', exact: true })).toBeDisabled();
  await page.getByRole('button', { name: '返回交换列表' }).click();
  // Signing it for from the list is refused by the server with the reason.
  await page.getByRole('listitem', { name: altered }).getByRole('button', { name: '签收' }).click();
  await expect(page.getByRole('listitem', { name: altered }).getByRole('alert')).toContainText('签章验证未通过', { timeout: 30_000 });
  await signOut(page);

  // zhao tracks them per unit: 已签收 by 陈静 with the time it took, 已退回 with the reason.
  await signIn(page, url, 'zhao');
  await nav(page, '交换');
  await page.getByRole('tab', { name: '发件' }).click();
  const first = page.getByRole('listitem', { name: sent });
  await expect(first).toContainText('待签收 2 · 已签收 1 · 已退回 0 · 已撤回 0');
  const ndrc = first.getByRole('listitem', { name: '市发展和改革委员会' });
  await expect(ndrc).toContainText('已签收');
  await expect(ndrc).toContainText('陈静');
  await expect(ndrc).toContainText('签收用时');
  await first.getByRole('button', { name: '查看签章验证' }).click();
  await expect(first.getByRole('region', { name: '签章验证' })).toContainText('验证结果：有效', { timeout: 30_000 });
  const back = page.getByRole('listitem', { name: returned }).getByRole('listitem', { name: '市发展和改革委员会' });
  await expect(back).toContainText('已退回');
  await expect(back).toContainText('不属于本单位职责范围');
  // 撤回 of what nobody has signed for yet: both district governments at once.
  await first.getByRole('button', { name: '全部撤回' }).click();
  await expect(first.getByRole('progressbar')).toBeVisible();
  await expect(first).toContainText('待签收 0 · 已签收 1 · 已退回 0 · 已撤回 2', { timeout: 30_000 });
  await signOut(page);
});

test('chen signs for 20 arrivals in one action, with progress and a result per item', async ({ page }) => {
  test.setTimeout(300_000);
  const titles = Array.from({ length: 20 }, (_, i) => `关于${stamp}号批量签收第${i + 1}件的通知`);
  // Two at a time: the server lets one person upload two sealed PDFs at once.
  for (let i = 0; i < titles.length; i += 2) {
    await Promise.all(titles.slice(i, i + 2).map(async (title) => dispatchTo(serverUrl, await createSealedNotice(serverUrl, serverData, title), ['unit-sfgw'])));
  }
  await signIn(page, url, 'chen');
  await nav(page, '交换');
  for (const title of titles) await expect(page.getByRole('checkbox', { name: `选择 ${title}` })).toBeVisible();
  await page.getByRole('checkbox', { name: '全选' }).check();
  const pending = await page.getByRole('checkbox', { name: /^选择 / }).count();
  expect(pending).toBeGreaterThanOrEqual(20);
  await page.getByRole('button', { name: `批量签收（${pending}）` }).click();
  await expect(page.getByRole('progressbar', { name: '批量签收：处理进度' })).toBeVisible();
  await expect(page.getByText(`已处理 ${pending} / ${pending}`)).toBeVisible({ timeout: 120_000 });
  const results = page.getByRole('list', { name: '批量签收：结果' });
  for (const title of titles) await expect(results.getByRole('listitem').filter({ hasText: title })).toContainText('已签收');
  for (const title of titles) await expect(page.getByRole('listitem', { name: title })).toContainText('已签收');
});
