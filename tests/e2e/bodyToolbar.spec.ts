/**
 * The official-document toolbar and Word in and out, in Chromium against the web host: li drafts a
 * body with a level-1 and a level-2 heading (numbered 一、 and （一） by position), bold text and a
 * table; the structure survives reopening the document (it went through the Yjs room); 导出 Word downloads a .docx
 * laid out per GB/T 9704 holding that structure; 导入 Word replaces the body with a .docx's headings
 * and table; a paste from Word keeps its heading and bold and drops Word's styling; a .docx with
 * tracked deletions is refused with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DeletedTextRun, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { readZipEntry } from '../../src/renderer/features/editor/docxTrackedChanges';

const title = `关于加强${Date.now() % 100000}号文稿排版的通知`;

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

async function documentXml(bytes: Uint8Array): Promise<string> {
  const xml = await readZipEntry(bytes, 'word/document.xml');
  return new TextDecoder().decode(xml);
}

async function exportWord(page: Page): Promise<Uint8Array> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Word' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${title}.docx`);
  return new Uint8Array(readFileSync(await file.path()));
}

const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });

test.use({ actionTimeout: 20_000, trace: 'off', viewport: { width: 1440, height: 1400 } });

test('li drafts with headings, bold and a table, exports Word and imports Word', async ({ page }) => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(join(tmpdir(), 'xt-docx-'));
  try {
    await signIn(page, 'li');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
    await page.getByRole('button', { name: '拟稿' }).click();
    await page.getByLabel('标题').fill(title);
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();

    const editor = page.getByRole('textbox', { name: '正文' });
    const toolbar = page.getByRole('toolbar', { name: '正文排版工具' });
    // The room's first paragraph is there once the body is synced (the drafter's client creates it).
    await expect(editor.locator('p')).toHaveCount(1);
    await editor.click();
    await toolbar.getByLabel('段落样式').selectOption('h1');
    await page.keyboard.type('总体要求');
    await page.keyboard.press('Enter');
    await page.keyboard.type('坚持');
    await toolbar.getByRole('button', { name: '加粗' }).click();
    await page.keyboard.type('稳中求进');
    await expect(toolbar.getByRole('button', { name: '加粗' })).toHaveAttribute('aria-pressed', 'true');
    await toolbar.getByRole('button', { name: '加粗' }).click();
    await page.keyboard.type('工作总基调。');
    await page.keyboard.press('Enter');
    await toolbar.getByLabel('段落样式').selectOption('h2');
    await page.keyboard.type('工作目标');
    await page.keyboard.press('Enter');
    await toolbar.getByRole('button', { name: '插入表格' }).click();
    await page.keyboard.type('单位');
    await page.keyboard.press('Tab');
    await page.keyboard.type('任务');

    // Numbers come from position; bold is bold; the table is a table.
    await expect(editor.locator('.doc-body__h1')).toHaveAttribute('data-number', '一、');
    await expect(editor.locator('.doc-body__h2')).toHaveAttribute('data-number', '（一）');
    await expect(editor.locator('.doc-body__bold')).toHaveText('稳中求进');
    await expect(editor.locator('table td').first()).toHaveText('单位');
    // 4 + 12 + 4 + 4 characters typed, and the headings' numbers 一、 and （一）.
    await expect(toolbar.getByRole('note', { name: '字数与页数' })).toContainText('约 1 页');
    await expect(toolbar.getByRole('note', { name: '字数与页数' })).toContainText('29 字');

    // A second level-1 heading above the first renumbers both: type one in front and split the heading.
    await editor.locator('.doc-body__h1').click();
    await page.keyboard.press('Home');
    await page.keyboard.type('指导思想');
    await page.keyboard.press('Enter');
    await expect(editor.locator('.doc-body__h1')).toHaveCount(2);
    await expect(editor.locator('.doc-body__h1').nth(0)).toHaveAttribute('data-number', '一、');
    await expect(editor.locator('.doc-body__h1').nth(1)).toHaveAttribute('data-number', '二、');
    await expect(editor.locator('.doc-body__h1').nth(0)).toHaveText('指导思想');
    await expect(editor.locator('.doc-body__h1').nth(1)).toHaveText('总体要求');

    // The structure went through the room: leaving the document and opening it again (a new editor,
    // its state loaded from the room through main) shows it again. The editor hands its edits to main
    // one call at a time, so on a busy machine the last keystrokes may still be on their way when the
    // document is reopened: reopen until they are there.
    await expect(async () => {
      await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '待办' }).click();
      await expect(editor).toHaveCount(0);
      await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '发文' }).click();
      await page.getByRole('button', { name: title }).first().click();
      await expect(editor.locator('table td').nth(1)).toHaveText('任务', { timeout: 3_000 });
    }).toPass({ timeout: 60_000 });
    await expect(editor.locator('.doc-body__h1').nth(1)).toHaveAttribute('data-number', '二、');
    await expect(editor.locator('.doc-body__bold')).toHaveText('稳中求进');
    await expect(editor.locator('table td').nth(1)).toHaveText('任务');

    // 导出 Word: A4, GB/T 9704 margins, numbered headings, bold, the table.
    const exported = await documentXml(await exportWord(page));
    expect(exported).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(exported).toMatch(/w:top="2098"[^>]*w:bottom="1984"|w:bottom="1984"[^>]*w:left="1587"/);
    expect(exported).toContain('指导思想');
    expect(exported).toContain('二、');
    expect(exported).toContain('（一）');
    expect(exported).toContain('<w:b/>');
    expect(exported).toContain('<w:tbl>');
    expect(exported).toContain('任务');
    // Around the body, what the document has: the red 发文机关标志 of li's unit above the title, and the
    // unit's name signing it below the text.
    expect(exported).toMatch(/<w:color w:val="E60012"\/>(?:(?!<\/w:r>).)*<w:t[^>]*>市政府办公室文件<\/w:t>(?:.)*<w:t[^>]*>关于加强/s);
    expect(exported).toMatch(/任务(?:.)*<w:jc w:val="right"\/>(?:(?!<\/w:p>).)*<w:t[^>]*>市政府办公室<\/w:t>/s);

    // 导入 Word: a .docx with headings and a table becomes the body.
    const incoming = join(dir, '来文.docx');
    writeFileSync(
      incoming,
      await Packer.toBuffer(
        new Document({
          sections: [
            {
              children: [
                new Paragraph({ heading: HeadingLevel.HEADING_1, text: '一、基本情况' }),
                new Paragraph({ children: [new TextRun('全市共有'), new TextRun({ text: '十二个', bold: true }), new TextRun('重点项目。')] }),
                new Paragraph({ heading: HeadingLevel.HEADING_2, text: '（一）进展' }),
                new Table({ rows: [new TableRow({ children: [cell('项目'), cell('进度')] }), new TableRow({ children: [cell('东区道路'), cell('完成六成')] })] }),
              ],
            },
          ],
        }),
      ),
    );
    await page.getByLabel('选择 Word 文件').setInputFiles(incoming);
    await expect(page.getByRole('status').filter({ hasText: '已导入 来文.docx' })).toBeVisible();
    await expect(editor.locator('.doc-body__h1')).toHaveCount(1);
    await expect(editor.locator('.doc-body__h1')).toHaveText('基本情况');
    await expect(editor.locator('.doc-body__h1')).toHaveAttribute('data-number', '一、');
    await expect(editor.locator('.doc-body__h2')).toHaveText('进展');
    await expect(editor.locator('.doc-body__bold')).toHaveText('十二个');
    await expect(editor.locator('table td').nth(3)).toHaveText('完成六成');
    await expect(editor).not.toContainText('指导思想');

    // And out again: the imported structure is what 导出 Word writes.
    const reexported = await documentXml(await exportWord(page));
    expect(reexported).toContain('基本情况');
    expect(reexported).toContain('完成六成');
    expect(reexported).not.toContain('指导思想');

    // Paste from Word: the structure comes, Word's fonts, colours and sizes do not.
    await editor.getByText('重点项目。').click();
    await page.keyboard.press('End');
    await expect(editor).toBeFocused();
    await page.evaluate(() => {
      const target = document.querySelector('[aria-label="正文"][contenteditable]');
      const data = new DataTransfer();
      data.setData(
        'text/html',
        `<html><body><!--StartFragment--><p class=MsoNormal style='mso-pagination:none'><span style='font-family:黑体;color:red;font-size:22pt'>二、下一步工作</span></p>` +
          `<p class=MsoNormal><span style='font-family:宋体;font-size:9pt;color:#ff0000'>抓好</span><b><span style='color:blue'>落实</span></b></p><!--EndFragment--></body></html>`,
      );
      data.setData('text/plain', '二、下一步工作\n抓好落实');
      target?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect(editor.locator('.doc-body__h1')).toHaveCount(2);
    await expect(editor.locator('.doc-body__h1').nth(1)).toHaveText('下一步工作');
    await expect(editor.locator('.doc-body__h1').nth(1)).toHaveAttribute('data-number', '二、');
    await expect(editor.locator('.doc-body__bold').filter({ hasText: '落实' })).toHaveCount(1);
    expect(await editor.evaluate((el) => el.innerHTML)).not.toMatch(/color|font-family|font-size|Mso/);

    // A .docx with tracked deletions is refused, saying why; the body stays as it was.
    const tracked = join(dir, '带修订.docx');
    writeFileSync(
      tracked,
      await Packer.toBuffer(
        new Document({
          sections: [{ children: [new Paragraph({ children: [new TextRun('保留'), new DeletedTextRun({ text: '删去', id: 1, author: '王建国', date: '2026-12-01T00:00:00Z' })] })] }],
        }),
      ),
    );
    await page.getByLabel('选择 Word 文件').setInputFiles(tracked);
    await expect(page.getByRole('alert').filter({ hasText: '未处理的修订' })).toBeVisible();
    await expect(editor.locator('.doc-body__h1')).toHaveText(['基本情况', '下一步工作']);

  } finally {
    // The web host keeps its session for the specs that follow: leave signed out, as found.
    await page
      .getByRole('button', { name: '退出登录' })
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
