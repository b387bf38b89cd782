/** Paste from Word or WPS: structure kept, foreign styling dropped. */
import { describe, expect, it } from 'vitest';
import { htmlToBodyBlocks } from '../../../src/renderer/features/editor/wordHtml';

/** What Word puts on the clipboard (trimmed): conditional comments, mso classes and styles, list spans. */
const wordClipboard = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"><style><!-- p.MsoNormal {font-family:仿宋_GB2312} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><!--StartFragment-->
<h1 style='mso-style-name:"标题 1"'><span style='font-family:黑体;color:#1F3864;font-size:22.0pt'>一、总体要求<o:p></o:p></span></h1>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span style='font-family:仿宋_GB2312;color:red;font-size:16.0pt'>坚持</span><b><span style='font-family:仿宋_GB2312'>稳中求进</span></b><span style='font-size:16.0pt'>工作总基调。</span></p>
<p class=MsoNormal><span style='font-family:楷体_GB2312'>（二）主要任务</span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span>完成调研</span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>2.<span>&nbsp;</span></span><span>形成报告</span></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse;mso-yfti-tbllook:1184'><tr><td style='width:100pt;background:yellow'><p class=MsoNormal><span style='font-size:12pt'>单位</span></p></td><td><p class=MsoNormal>任务</p></td></tr>
<tr><td><p class=MsoNormal>市发改委</p></td><td><p class=MsoNormal>牵头</p><p class=MsoNormal>汇总</p></td></tr></table>
<span style='font-size:16.0pt'><br clear=all style='page-break-before:always'></span>
<p class=MsoNormal><span style='font-weight:bold'>附件：1．任务分工表</span></p>
<p class=MsoNormal>2．进度安排</p>
<!--EndFragment--></body></html>`;

describe('htmlToBodyBlocks', () => {
  it('keeps headings, bold, Word lists, tables, page breaks and 附件说明 from Word’s clipboard, and nothing of its styling', () => {
    expect(htmlToBodyBlocks(wordClipboard)).toEqual([
      { kind: 'heading', level: 1, runs: [{ text: '总体要求' }] },
      { kind: 'paragraph', runs: [{ text: '坚持' }, { text: '稳中求进', bold: true }, { text: '工作总基调。' }] },
      { kind: 'heading', level: 2, runs: [{ text: '主要任务' }] },
      { kind: 'list', ordered: true, items: [[{ text: '完成调研' }], [{ text: '形成报告' }]] },
      { kind: 'table', rows: [['单位', '任务'], ['市发改委', '牵头\n汇总']] },
      { kind: 'pageBreak' },
      { kind: 'attachmentNote', runs: [{ text: '任务分工表', bold: true }] },
      { kind: 'attachmentNote', runs: [{ text: '进度安排' }] },
    ]);
    // No trace of the foreign styles in what reaches the editor.
    const serialized = JSON.stringify(htmlToBodyBlocks(wordClipboard));
    for (const foreign of ['仿宋_GB2312', '黑体', 'color', 'mso', 'Mso', 'font', '22.0pt', 'yellow']) expect(serialized).not.toContain(foreign);
  });

  it('reads WPS and web fragments: bullet lists, inline fragments without paragraphs, font-weight bold', () => {
    expect(htmlToBodyBlocks('<meta charset="utf-8"><span style="font-size:21px">一句</span><b>加粗</b>的话')).toEqual([
      { kind: 'paragraph', runs: [{ text: '一句' }, { text: '加粗', bold: true }, { text: '的话' }] },
    ]);
    expect(htmlToBodyBlocks('<div><ul><li>甲</li><li><span style="font-weight:700">乙</span></li></ul><p>（1）细项</p><p>1.5亿元已拨付。</p></div>')).toEqual([
      { kind: 'list', ordered: false, items: [[{ text: '甲' }], [{ text: '乙', bold: true }]] },
      { kind: 'heading', level: 4, runs: [{ text: '细项' }] },
      { kind: 'paragraph', runs: [{ text: '1.5亿元已拨付。' }] },
    ]);
  });

  it('drops images, scripts and empty paragraphs', () => {
    expect(htmlToBodyBlocks('<p><img src="data:image/png;base64,AAAA"></p><script>alert(1)</script><p>&nbsp;</p><p>正文</p>')).toEqual([{ kind: 'paragraph', runs: [{ text: '正文' }] }]);
  });
});
