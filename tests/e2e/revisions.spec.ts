/**
 * Drafting together (issue 19), in Chromium against a sync server of its own and two web hosts (two
 * people's desktops at once):
 * - 修订: li drafts a 通知 and submits it; wang changes a sentence and adds one at 签发 and returns it;
 *   li opens 修订 and sees the changes attributed to 王建国, accepts the changed sentence (the body
 *   holds it), rejects the added one (it leaves the live body), and exports the marked-up PDF;
 * - presence: at 会签 wang and zhao both hold the document and see each other's named carets.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { freePort, SpecProcesses } from './support/processes';

let processes: SpecProcesses;
let serverPort: number;
let hosts: string[];

test.beforeAll(async () => {
  test.setTimeout(150_000);
  processes = new SpecProcesses('xietong-e2e-revisions-');
  serverPort = await freePort();
  await processes.startServer(serverPort);
  hosts = [(await processes.startWebHost(serverPort, 'web-a')).url, (await processes.startWebHost(serverPort, 'web-b')).url];
});

test.afterAll(async () => {
  await processes.dispose();
});

test.use({ actionTimeout: 20_000, trace: 'off', viewport: { width: 1440, height: 1500 } });

async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
}

async function openTodo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办', exact: true }).click();
  await page.getByRole('button', { name: title }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

async function expectSent(page: Page, label: string): Promise<void> {
  await expect(page.locator('.command').filter({ hasText: label }).first()).toContainText('已发送', { timeout: 30_000 });
}

test('wang’s change at 签发 is shown attributed to 王建国 in 修订; li accepts one change and rejects another', async ({ page }) => {
  test.setTimeout(240_000);
  const title = `关于修订痕迹测试${Date.now() % 100000}的通知`;
  const url = hosts[0]!;

  await signIn(page, url, 'li');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await page.getByRole('button', { name: '拟稿' }).click();
  await page.getByLabel('标题').fill(title);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  const editor = page.getByRole('textbox', { name: '正文' });
  await editor.click();
  await page.keyboard.type('一、各单位要认真组织自查。');
  await expect(editor).toContainText('一、各单位要认真组织自查。');
  await page.getByRole('button', { name: '提交' }).click();
  await expectSent(page, '提交');
  await signOut(page);

  // wang, at 签发, replaces 认真组织 with 全面开展 and adds a sentence, then returns it to li.
  await signIn(page, url, 'wang');
  await openTodo(page, title);
  await expect(editor).toContainText('一、各单位要认真组织自查。');
  await editor.click();
  await page.keyboard.press('Control+End');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.type('全面开展');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('二、另行通知的一句。');
  await expect(editor).toContainText('一、各单位要全面开展自查。');
  await expect(editor).toContainText('二、另行通知的一句。');
  await page.getByLabel('意见').fill('请按修改意见调整后再报。');
  await page.getByRole('button', { name: '退回' }).click();
  await expectSent(page, '退回');
  await signOut(page);

  // li holds it again: 修订 shows what 王建国 changed, with his name on each mark.
  await signIn(page, url, 'li');
  await openTodo(page, title);
  await page.getByRole('button', { name: '修订', exact: true }).click();
  const view = page.getByRole('region', { name: '修订痕迹' });
  await expect(view.locator('ins', { hasText: '全面开展' })).toHaveAttribute('title', '王建国插入');
  await expect(view.locator('del', { hasText: '认真组织' })).toHaveAttribute('title', '王建国删除');
  const changes = view.getByRole('list', { name: '修订列表' });
  const inserted = changes.getByRole('listitem', { name: '王建国插入“全面开展”' });
  const deleted = changes.getByRole('listitem', { name: '王建国删除“认真组织”' });
  const added = changes.getByRole('listitem', { name: '王建国插入“二、另行通知的一句。”' });
  await expect(inserted).toBeVisible();

  await inserted.getByRole('button', { name: '接受' }).click();
  await expect(inserted).toContainText('已接受');
  await deleted.getByRole('button', { name: '接受' }).click();
  await expect(deleted).toContainText('已接受');
  await expect(editor).toContainText('一、各单位要全面开展自查。');

  await added.getByRole('button', { name: '拒绝' }).click();
  await expect(added).toContainText('已拒绝');
  await expect(editor).not.toContainText('另行通知');
  await expect(editor).toContainText('一、各单位要全面开展自查。');

  const download = page.waitForEvent('download');
  await view.getByRole('button', { name: '导出修订' }).click();
  const file = await (await download).path();
  expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // What li's editor did reached the server: wang, reading it, sees the accepted text without the rejected one.
  await signOut(page);
  await signIn(page, url, 'wang');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '已办', exact: true }).click();
  await page.getByRole('button', { name: title }).click();
  await expect(editor).toContainText('一、各单位要全面开展自查。');
  await expect(editor).not.toContainText('另行通知');
  // The web host keeps its session across browser contexts: leave it signed out for the next test.
  await signOut(page);
});

/** Logs in over HTTP (the test's own session, beside the browsers'). */
async function token(username: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${serverPort}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  return ((await response.json()) as { token: string }).token;
}

/** lib0's unsigned LEB128. */
function varUint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push(0x80 | (value & 0x7f));
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}

/** Writes one paragraph into the document's room as the drafter's editor would (a raw y-websocket update). */
async function writeBody(documentId: string, as: string, text: string): Promise<void> {
  const doc = new Y.Doc();
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    const paragraph = new Y.XmlText();
    root.insertEmbed(0, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    const node = new Y.Map();
    paragraph.insertEmbed(0, node);
    node.set('__type', 'text');
    node.set('__format', 0);
    node.set('__style', '');
    node.set('__mode', 0);
    node.set('__detail', 0);
    paragraph.insert(1, text);
  });
  const update = Y.encodeStateAsUpdate(doc);
  const ws = new WebSocket(`ws://127.0.0.1:${serverPort}/sync/doc:${documentId}?token=${as}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(Uint8Array.of(0, 2, ...varUint(update.length), ...update));
  // The server stores before it relays: once another client gets it back in a sync, it is there.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  ws.close();
}

test('at 会签 wang and zhao edit one body at once and see each other’s named carets', async ({ browser }) => {
  test.setTimeout(180_000);
  const title = `关于协同编辑测试${Date.now() % 100000}的通知`;
  const li = await token('li');
  const created = await fetch(`http://127.0.0.1:${serverPort}/api/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${li}` },
    body: JSON.stringify({ kind: 'outgoing', title }),
  });
  const { id } = (await created.json()) as { id: string };
  await writeBody(id, li, '各单位要高度重视。');
  const submitted = await fetch(`http://127.0.0.1:${serverPort}/api/documents/${id}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${li}` },
    body: JSON.stringify({ action: 'submit', to: ['user-wang', 'user-zhao'] }),
  });
  expect(((await submitted.json()) as { state: string }).state).toBe('countersign');

  const wangContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1500 } });
  const zhaoContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1500 } });
  try {
    const wang = await wangContext.newPage();
    const zhao = await zhaoContext.newPage();
    await signIn(wang, hosts[0]!, 'wang');
    await signIn(zhao, hosts[1]!, 'zhao');
    await openTodo(wang, title);
    await openTodo(zhao, title);
    const wangEditor = wang.getByRole('textbox', { name: '正文' });
    const zhaoEditor = zhao.getByRole('textbox', { name: '正文' });
    await expect(wangEditor).toContainText('各单位要高度重视。');
    await expect(zhaoEditor).toContainText('各单位要高度重视。');

    await wangEditor.click();
    await wang.keyboard.press('Control+End');
    await wang.keyboard.type('王主任补充。');
    await zhaoEditor.click();
    await zhao.keyboard.press('Control+Home');
    await zhao.keyboard.type('（文书）');
    // Each sees the other's text and caret, named.
    await expect(zhaoEditor).toContainText('王主任补充。');
    await expect(wangEditor).toContainText('（文书）');
    await expect(wang.locator('.doc-body__cursors')).toContainText('赵敏');
    await expect(zhao.locator('.doc-body__cursors')).toContainText('王建国');
  } finally {
    await wangContext.close();
    await zhaoContext.close();
  }
});
