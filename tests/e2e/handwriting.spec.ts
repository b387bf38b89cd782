/**
 * 手写签批 in Chromium against the web host: li drafts a 通知 and submits it to wang; wang opens it
 * from 待办, opens the 签批板 and writes with a pen — synthetic pen events with pressure sent through
 * the DevTools protocol — in red, 完成, picks his saved 常用语, 同意. The 流转记录 shows the handwriting as vectors, and zhao
 * downloads the 处理笺: rasterised at 72 dpi, the red ink is inside its 签发 box, at the place of
 * the pad it was written.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { boxContentFrame, opinionSheetBoxes } from '../../src/signing/render';
import { inkBox, rasterise } from '../documents/pixels';
import { SpecProcesses, freePort, stop } from './support/processes';

const title = `关于手写签批测试${Date.now() % 100000}的通知`;
const isRedInk = ([r, g, b]: [number, number, number]) => r > 150 && g < 110 && b < 110;

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

async function expectSent(page: Page, label: string): Promise<void> {
  await expect(page.locator('.command').filter({ hasText: label }).first()).toContainText('已发送', { timeout: 30_000 });
}

test.use({ actionTimeout: 20_000, trace: 'off', viewport: { width: 1440, height: 1400 } });

test('wang writes 同意 by hand with a pen, and the ink is in the 签发 box of the 处理笺', async ({ page }) => {
  test.setTimeout(180_000);

  await signIn(page, 'li');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
  await page.getByRole('button', { name: '拟稿' }).click();
  await page.getByLabel('标题').fill(title);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await page.getByRole('button', { name: '提交' }).click();
  await expectSent(page, '提交');
  await signOut(page);

  await signIn(page, 'wang');
  await openFrom(page, '待办', title);
  await page.getByRole('button', { name: '手写签批' }).click();
  const pad = page.getByRole('dialog', { name: '签批板' });
  await expect(pad).toBeVisible();
  await pad.getByRole('radio', { name: '红色' }).click();
  // Enlarged, the pad covers the window (the size of a page): the whole of it is under the pen.
  await pad.getByRole('button', { name: '放大' }).click();
  await expect(pad.getByRole('button', { name: '还原' })).toHaveAttribute('aria-pressed', 'true');
  const surface = pad.getByRole('application');
  const box = (await surface.boundingBox())!;
  expect(box.width).toBeGreaterThan(1000);

  // A pen stroke across the left part of the pad (10 % → 45 % of its width), pressing harder as it goes.
  const cdp = await page.context().newCDPSession(page);
  const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
  const pen = async (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', fx: number, fy: number, force: number) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      ...at(fx, fy),
      button: 'left',
      buttons: type === 'mouseReleased' || force === 0 ? 0 : 1,
      clickCount: type === 'mouseMoved' ? 0 : 1,
      pointerType: 'pen',
      force,
      tiltX: 20,
      tiltY: -10,
    });
  await pen('mousePressed', 0.1, 0.4, 0.3);
  for (let i = 1; i <= 30; i++) {
    const f = i / 30;
    await pen('mouseMoved', 0.1 + 0.35 * f, 0.4 + 0.15 * Math.sin(f * Math.PI * 2), 0.3 + 0.6 * f);
  }
  await pen('mouseReleased', 0.45, 0.4, 0);
  await expect(surface).toHaveAttribute('data-strokes', '1');
  // A second, short stroke: 撤销 takes it away and 重做 brings it back.
  await pen('mouseMoved', 0.2, 0.7, 0);
  await pen('mousePressed', 0.2, 0.7, 0.5);
  await pen('mouseMoved', 0.3, 0.7, 0.5);
  await pen('mouseReleased', 0.3, 0.7, 0);
  await expect(surface).toHaveAttribute('data-strokes', '2');
  await pad.getByRole('button', { name: '撤销' }).click();
  await expect(pad.getByRole('button', { name: '重做' })).toBeEnabled();
  await expect(surface).toHaveAttribute('data-strokes', '1');
  await pad.getByRole('button', { name: '重做' }).click();
  await expect(pad.getByRole('button', { name: '重做' })).toBeDisabled();
  await expect(surface).toHaveAttribute('data-strokes', '2');
  await pad.getByRole('button', { name: '完成' }).click();
  await expect(pad).toBeHidden();
  const preview = page.getByRole('img', { name: '手写签批预览' });
  await expect(preview).toBeVisible();
  await expect(preview.locator('path')).toHaveCount(2);
  // 常用语: wang saves his own phrase to his account and puts it into the 意见 with one click.
  await page.getByRole('button', { name: '常用语' }).click();
  const phrases = page.getByRole('group', { name: '我的常用语' });
  await phrases.getByRole('button', { name: '编辑常用语' }).click();
  await phrases.getByLabel('常用语（每行一条）').fill('同意，请按程序印发。\n请阅。');
  await phrases.getByRole('button', { name: '保存常用语' }).click();
  await phrases.getByRole('button', { name: '填入常用语：同意，请按程序印发。' }).click();
  await expect(phrases).toBeHidden();
  await expect(page.getByLabel('意见')).toHaveValue('同意，请按程序印发。');
  await page.getByRole('button', { name: '同意' }).click();
  await expectSent(page, '同意');
  const history = page.getByRole('list', { name: '流转记录' });
  await expect(history.getByRole('img', { name: '王建国的手写签批' })).toBeVisible();
  await expect(history.getByRole('img', { name: '王建国的手写签批' }).locator('path')).toHaveCount(2);
  await expect(history).toContainText('同意，请按程序印发。');
  // As on the paper 处理笺: the handwriting and the phrase are in the 签发 row, li's 提交 in 拟稿.
  const sheetView = page.getByRole('region', { name: '处理笺' });
  const signoffRow = sheetView.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '签发' }) });
  await expect(signoffRow.getByRole('img', { name: '王建国的手写签批' })).toBeVisible();
  await expect(signoffRow).toContainText('同意，请按程序印发。');
  await expect(sheetView.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '拟稿' }) })).toContainText('李文');
  await signOut(page);

  // zhao downloads the 处理笺 beside 下载 PDF.
  await signIn(page, 'zhao');
  await openFrom(page, '待办', title);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载处理笺' }).click()]);
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  const [sheet] = rasterise(pdf, 72);
  const signoff = opinionSheetBoxes('outgoing').find((b) => b.box === 'signoff')!;
  const red = inkBox(sheet!, isRedInk);
  expect(red).not.toBeNull();
  expect(red!.top).toBeGreaterThan(signoff.yMm);
  expect(red!.bottom).toBeLessThan(signoff.yMm + signoff.heightMm);
  // The 2:1 pad fills the width of the box's writing area: 10 %…45 % of the pad is there too.
  const content = boxContentFrame(signoff);
  expect(Math.abs(red!.left - (content.xMm + 0.1 * content.widthMm))).toBeLessThan(4);
  expect(Math.abs(red!.right - (content.xMm + 0.45 * content.widthMm))).toBeLessThan(4);
  await signOut(page);
});

test('handwriting given offline goes out with its 同意 on reconnect, exactly once', async ({ page }) => {
  test.setTimeout(180_000);
  const processes = new SpecProcesses('xietong-e2e-ink-offline-');
  try {
    const serverPort = await freePort();
    let server = await processes.startServer(serverPort);
    const web = await processes.startWebHost(serverPort);
    const api = `http://127.0.0.1:${serverPort}`;
    const login = async (username: string) =>
      ((await (await fetch(`${api}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) })).json()) as { token: string; user: { id: string } });
    const li = await login('li');
    const wang = await login('wang');
    const offlineTitle = `关于离线手写签批${Date.now() % 100000}的通知`;
    const post = async (path: string, token: string, body: unknown) =>
      (await (await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).json()) as { id: string };
    const doc = await post('/api/documents', li.token, { kind: 'outgoing', title: offlineTitle });
    await post(`/api/documents/${doc.id}/actions`, li.token, { action: 'submit', to: [wang.user.id] });

    await page.goto(web.url);
    await page.getByLabel('用户名').fill('wang');
    await page.getByLabel('密码').fill('demo1234');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办', exact: true }).click();
    await page.getByRole('button', { name: offlineTitle }).click();
    await expect(page.getByRole('heading', { level: 2, name: offlineTitle })).toBeVisible();
    const indicator = page.getByRole('status', { name: '连接状态' });
    await expect(indicator).toHaveText('在线');

    await stop(server);
    await expect(indicator).toHaveText('离线', { timeout: 40_000 });
    await page.getByRole('button', { name: '手写签批' }).click();
    const pad = page.getByRole('dialog', { name: '签批板' });
    await pad.getByRole('button', { name: '放大' }).click();
    const surface = pad.getByRole('application');
    const box = (await surface.boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const pen = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', fx: number, force: number) =>
      cdp.send('Input.dispatchMouseEvent', { type, x: box.x + box.width * fx, y: box.y + box.height * 0.5, button: 'left', buttons: type === 'mouseReleased' ? 0 : 1, clickCount: type === 'mouseMoved' ? 0 : 1, pointerType: 'pen', force });
    await pen('mousePressed', 0.2, 0.4);
    for (let i = 1; i <= 10; i++) await pen('mouseMoved', 0.2 + i * 0.04, 0.4 + i * 0.04);
    await pen('mouseReleased', 0.6, 0);
    await expect(surface).toHaveAttribute('data-strokes', '1');
    await pad.getByRole('button', { name: '完成' }).click();
    await page.getByRole('button', { name: '同意' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已保存，待发送' })).toBeVisible();
    const command = page.locator('.command').filter({ hasText: '同意：手写意见' });
    await expect(command).toContainText('待发送');

    server = await processes.startServer(serverPort);
    await expect(indicator).toHaveText('在线', { timeout: 60_000 });
    await expect(command).toContainText('已发送', { timeout: 60_000 });
    await expect(page.locator('.command')).toHaveCount(1);
    await expect(page.getByRole('list', { name: '流转记录' }).getByRole('img', { name: '王建国的手写签批' })).toBeVisible();

    const view = (await (await fetch(`${api}/api/documents/${doc.id}`, { headers: { authorization: `Bearer ${wang.token}` } })).json()) as {
      history: Array<{ action: string; opinionInk?: { strokes: Array<{ points: number[][] }> } }>;
    };
    const approvals = view.history.filter((h) => h.action === 'approve');
    expect(approvals).toHaveLength(1);
    const points = approvals[0]!.opinionInk!.strokes[0]!.points;
    // The pen's pressure travelled with the strokes: it rises along the stroke as it was pressed.
    expect(points.length).toBeGreaterThan(5);
    expect(points.at(-1)![2]!).toBeGreaterThan(points[0]![2]! + 0.2);
    await stop(server);
    await stop(web.child);
  } finally {
    await processes.dispose();
  }
});
