/**
 * The document as it prints, in the app (issue 16) and 打印 (issue 21), in Chromium against a web host
 * of its own and a sync server this test stops: wang opens a three-page 发文 from 待办 and finds the
 * region 公文预览 with the pages drawn by pdf.js, thumbnails, zoom, keyboard paging and 打印 (button
 * and Ctrl+P); with the server gone, the last copy kept on this computer is shown, marked as such.
 * No Content-Security-Policy violation may happen on the way.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { freePort, SpecProcesses, stop } from './support/processes';
import { createThreePageDocument } from './support/threePageDocument';

let processes: SpecProcesses;

test.beforeAll(() => {
  processes = new SpecProcesses('xietong-e2e-preview-');
});

test.afterAll(async () => {
  await processes.dispose();
});

interface PrintRecord {
  pages: number;
  loaded: boolean;
}

declare global {
  interface Window {
    __cspViolations?: string[];
    __prints?: PrintRecord[];
  }
}

/** Pixels that are not paper: a drawn page has text; a blank canvas has none. */
function inkedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const context = element.getContext('2d');
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, element.width, element.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      if ((data[i + 3] ?? 0) > 0 && ((data[i] ?? 255) < 160 || (data[i + 1] ?? 255) < 160 || (data[i + 2] ?? 255) < 160)) inked += 1;
    }
    return inked;
  });
}

async function expectInked(canvas: Locator, atLeast = 2000): Promise<void> {
  await expect(canvas).toBeVisible();
  await expect.poll(() => inkedPixels(canvas), { timeout: 15_000 }).toBeGreaterThan(atLeast);
}

const cssWidth = async (canvas: Locator): Promise<number> => (await canvas.boundingBox())?.width ?? 0;

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
}

test('the document as it prints: pages, thumbnails, zoom, keyboard, 打印, and the last copy offline', async ({ page }, testInfo) => {
  test.setTimeout(170_000);
  const consoleCsp: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) consoleCsp.push(message.text());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations?.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`), true);
    // The print dialog itself cannot be driven here: record what would go to paper instead.
    window.__prints = [];
    window.print = () => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>('.pdf-print-root img'));
      window.__prints?.push({ pages: images.length, loaded: images.every((image) => image.complete && image.naturalWidth > 1000) });
    };
  });

  const serverPort = await freePort();
  const server = await processes.startServer(serverPort);
  const title = `关于预览测试${Date.now() % 100000}的通知`;
  await createThreePageDocument(`http://127.0.0.1:${serverPort}`, title);
  const web = await processes.startWebHost(serverPort);

  await page.goto(web.url);
  await signIn(page, 'wang');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办' }).click();
  await page.getByRole('button', { name: title }).click();

  const preview = page.getByRole('region', { name: '公文预览' });
  await expect(preview).toBeVisible();
  await expect(preview.getByText('第 1 / 3 页')).toBeVisible({ timeout: 20_000 });
  const first = preview.getByRole('img', { name: '第 1 页' });
  await expectInked(first);

  const shot = testInfo.outputPath('document-preview.png');
  await preview.screenshot({ path: shot });
  await testInfo.attach('document-preview.png', { path: shot, contentType: 'image/png' });

  // Thumbnails: one per page, each drawn.
  const thumbnails = preview.getByRole('list', { name: '页面缩略图' });
  await expect(thumbnails.getByRole('button')).toHaveCount(3);
  for (const canvas of await thumbnails.locator('canvas').all()) await expectInked(canvas, 100);
  await expect(thumbnails.getByRole('button', { name: '第 1 页' })).toHaveAttribute('aria-current', 'page');

  // Zoom: 200 % is twice 100 %, and fit-width is neither.
  await preview.getByRole('button', { name: '100%' }).click();
  await expect.poll(() => cssWidth(first)).toBeGreaterThan(780);
  const actual = await cssWidth(first);
  expect(actual).toBeLessThan(800); // 210 mm at 96 dpi ≈ 794 px
  await preview.getByRole('button', { name: '200%' }).click();
  await expect.poll(() => cssWidth(first)).toBeGreaterThan(actual * 1.9);
  await expectInked(first);
  await preview.getByRole('button', { name: '适合宽度' }).click();
  await expect(preview.getByRole('button', { name: '适合宽度' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => Math.abs((await cssWidth(first)) - actual)).toBeGreaterThan(5);

  // Keyboard paging while the pages have focus; a page drawn once it comes into view.
  await preview.getByRole('group', { name: '公文页面' }).focus();
  await page.keyboard.press('PageDown');
  await expect(preview.getByText('第 2 / 3 页')).toBeVisible();
  await expectInked(preview.getByRole('img', { name: '第 2 页' }));
  await page.keyboard.press('End');
  await expect(preview.getByText('第 3 / 3 页')).toBeVisible();
  await expectInked(preview.getByRole('img', { name: '第 3 页' }));
  await expect(thumbnails.getByRole('button', { name: '第 3 页' })).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('ArrowLeft');
  await expect(preview.getByText('第 2 / 3 页')).toBeVisible();
  await page.keyboard.press('Home');
  await expect(preview.getByText('第 1 / 3 页')).toBeVisible();
  // A thumbnail goes to its page.
  await thumbnails.getByRole('button', { name: '第 3 页' }).click();
  await expect(preview.getByText('第 3 / 3 页')).toBeVisible();

  // 打印 and Ctrl+P: every page, drawn at print resolution, and on paper nothing else.
  await preview.getByRole('button', { name: '打印' }).click();
  await expect.poll(() => page.evaluate(() => window.__prints?.length ?? 0)).toBe(1);
  await page.getByRole('heading', { level: 2, name: title }).click();
  await page.keyboard.press('Control+p');
  await expect.poll(() => page.evaluate(() => window.__prints?.length ?? 0)).toBe(2);
  expect(await page.evaluate(() => window.__prints)).toEqual([
    { pages: 3, loaded: true },
    { pages: 3, loaded: true },
  ]);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.pdf-print-root img')).toHaveCount(3);
  await expect(page.locator('.pdf-print-root img').first()).toBeVisible();
  await expect(preview).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(preview).toBeVisible();
  await expect(preview.getByRole('status').filter({ hasText: '本机保存' })).toHaveCount(0);

  // The server goes away: the document and its last PDF come from this computer, marked as such.
  await stop(server);
  await expect(page.getByRole('status', { name: '连接状态' })).toHaveText('离线', { timeout: 40_000 });
  await page.getByRole('button', { name: '← 返回列表' }).click();
  await page.getByRole('button', { name: title }).click();
  await expect(page.getByText('当前离线，显示的是本机保存的副本')).toBeVisible();
  await expect(preview.getByRole('status').filter({ hasText: '离线：显示的是本机保存的最近一份 PDF' })).toBeVisible({ timeout: 20_000 });
  await expect(preview.getByText('第 1 / 3 页')).toBeVisible();
  await expectInked(preview.getByRole('img', { name: '第 1 页' }));

  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
  expect(consoleCsp).toEqual([]);
  await stop(web.child);
});
