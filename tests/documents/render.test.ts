import { describe, it, expect, beforeAll } from 'vitest';
import { renderOfficialDocument, type RenderableDocument, type RenderedDocument } from '../../src/signing/render';
import { inkBands, inkBox, isDark, isInk, isRed, pdfText, rasterise, wideRows, type Raster } from './pixels';

const body = [
  '为切实做好2026年春节期间安全生产工作，确保人民群众度过一个欢乐祥和的节日，经市政府同意，现就有关事项通知如下。',
  '一、提高思想认识。各地各部门要充分认识做好节日期间安全生产工作的重要性。',
  '（一）加强组织领导。主要负责同志要亲自部署，层层压实责任，确保各项措施落实到位。',
  '1．开展隐患排查。对重点行业领域开展全面排查整治。',
  '二、强化值班值守。严格执行领导带班和24小时值班制度，遇有重大情况及时报告。',
].join('\n');

const sample: RenderableDocument = {
  title: '关于做好2026年春节期间安全生产工作的通知',
  issuingOrgan: '某市人民政府办公室',
  type: 'notice',
  docNumber: { organCode: '某政办发', year: 2026, serial: 12 },
  mainRecipients: [{ name: '各区人民政府' }, { name: '市政府各部门' }],
  ccRecipients: [{ name: '市委办公室' }, { name: '市人大常委会办公室' }],
  secrecy: { level: 'secret', period: '1年' },
  urgency: 'urgent',
  copyNumber: '000123',
  writtenDate: '2026-11-22',
  printDate: '2026-11-22',
  printingOrgan: '某市人民政府办公室',
  body,
};

/** Allowed deviation for positions read from a 150 dpi raster (GB/T 9704 allows ±1 mm on margins). */
const tol = 1;

describe('GB/T 9704 rendering, read back from pixels', () => {
  let sealed: RenderedDocument;
  let pages: Raster[];

  beforeAll(async () => {
    sealed = await renderOfficialDocument(sample, { sealed: true });
    pages = rasterise(sealed.pdf, 150);
  });

  it('is A4', () => {
    const p = pages[0]!;
    expect((p.width * 25.4) / 150).toBeCloseTo(210, 0);
    expect((p.height * 25.4) / 150).toBeCloseTo(297, 0);
  });

  it('keeps every mark inside the margins 37/28/26/35 mm, page numbers just below the type area', () => {
    for (const p of pages) {
      const box = inkBox(p, isInk, { y1: 262 + 3 })!;
      expect(box.left).toBeGreaterThanOrEqual(28 - tol);
      expect(box.left).toBeLessThan(28 + tol);
      expect(box.right).toBeLessThanOrEqual(210 - 26 + tol);
      expect(box.top).toBeGreaterThanOrEqual(37 - tol);
      expect(box.bottom).toBeLessThanOrEqual(297 - 35 + tol);
    }
    // The first line (份号) sits on the first grid line, right under the 37 mm top margin.
    const first = inkBox(pages[0]!, isInk, { y1: 50 })!;
    expect(first.top).toBeLessThan(37 + 5);
  });

  it('prints the red 发文机关标志 with its top 35 mm below the type area, centred', () => {
    const mark = inkBox(pages[0]!, isRed, { y0: 60, y1: 100 })!;
    expect(mark.top).toBeGreaterThan(37 + 35 - tol);
    expect(mark.top).toBeLessThan(37 + 35 + tol);
    expect((mark.left + mark.right) / 2).toBeCloseTo(28 + 78, 0);
    const [r, g, b] = pages[0]!.pixel(Math.round(((mark.left + mark.right) / 2 / 25.4) * 150), Math.round(((mark.top + mark.bottom) / 2 / 25.4) * 150));
    // Not asserting a glyph pixel here (it may fall in a counter); the colour check is on the line below.
    expect(r + g + b).toBeGreaterThan(0);
  });

  it('draws a red separator line the width of the type area, 4 mm below the 发文字号', () => {
    const rows = wideRows(pages[0]!, isRed, 150);
    expect(rows.length).toBeGreaterThan(0);
    const lineTop = rows[0]!;
    const line = inkBox(pages[0]!, isRed, { y0: lineTop - 0.2, y1: lineTop + 1 })!;
    expect(line.left).toBeCloseTo(28, 0);
    expect(line.right).toBeCloseTo(184, 0);
    // The colour is red, not black or pink.
    const p = pages[0]!;
    const [r, g, b] = p.pixel(Math.round((100 / 25.4) * 150), Math.round(((lineTop + 0.15) / 25.4) * 150));
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
    // The 发文字号 is the black ink just above the line: its bottom 4 mm above it, centred.
    const number = inkBox(p, isDark, { y0: lineTop - 12, y1: lineTop - 0.5 })!;
    expect(lineTop - number.bottom).toBeGreaterThan(4 - tol);
    expect(lineTop - number.bottom).toBeLessThan(4 + tol);
    expect((number.left + number.right) / 2).toBeCloseTo(106, -0.5);
  });

  it('puts page numbers 7 mm below the type area, odd pages right and even pages left', () => {
    expect(pages.length).toBe(2);
    const odd = inkBox(pages[0]!, isInk, { y0: 263, y1: 280 })!;
    const even = inkBox(pages[1]!, isInk, { y0: 263, y1: 280 })!;
    expect((odd.top + odd.bottom) / 2).toBeGreaterThan(262 + 7 - 2);
    expect((odd.top + odd.bottom) / 2).toBeLessThan(262 + 7 + 2);
    expect(odd.right).toBeGreaterThan(184 - 5.6 - tol);
    expect(odd.right).toBeLessThan(184);
    expect(even.left).toBeGreaterThan(28 + 5.6 - tol);
    expect(even.left).toBeLessThan(28 + 5.6 + tol);
  });

  it('extracts the exact Chinese text', () => {
    const text = pdfText(sealed.pdf);
    for (const s of [
      '000123',
      '秘密★1年',
      '加急',
      '某市人民政府办公室文件',
      '某政办发〔2026〕12号',
      '关于做好2026年春节期间安全生产工作的通知',
      '各区人民政府、市政府各部门：',
      '一、提高思想认识。',
      '（一）加强组织领导。',
      '2026年11月22日',
      '抄送：市委办公室，市人大常委会办公室。',
      '2026年11月22日印发',
      '— 1 —',
      '— 2 —',
    ])
      expect(text).toContain(s);
  });

  it('places the seal over 署名 and 成文日期, both in its lower half, its top within one line of the text', () => {
    const seal = sealed.seal!;
    expect(seal.diameterMm).toBe(42);
    const p = pages[seal.pageIndex]!;
    const r = seal.diameterMm / 2;
    // Ink inside the seal's square: the name and the date (and nothing above the centre).
    const inside = inkBox(p, isInk, { x0: seal.centerXMm - r, x1: seal.centerXMm + r, y0: seal.centerYMmFromTop - r, y1: seal.centerYMmFromTop + r })!;
    expect(inside.top).toBeGreaterThanOrEqual(seal.centerYMmFromTop - 0.5);
    expect(inside.bottom).toBeLessThanOrEqual(seal.centerYMmFromTop + r);
    // 成文日期 ends four characters (4 × 5.57 mm) in from the right edge of the type area.
    const dateRow = inkBox(p, isInk, { y0: inside.bottom - 6, y1: inside.bottom + 0.1, x0: 100, x1: 190 })!;
    // (ink stops a side bearing short of the character cell, hence the wider tolerance)
    expect(dateRow.right).toBeGreaterThan(184 - 4 * 5.571 - 1.5);
    expect(dateRow.right).toBeLessThan(184 - 4 * 5.571 + tol);
    // The last line of text above the seal ends within one line (10.2 mm) above its top.
    const above = inkBox(p, isInk, { y0: 37, y1: seal.centerYMmFromTop - r, x0: 28, x1: 184 })!;
    expect(seal.centerYMmFromTop - r - above.bottom).toBeLessThan(225 / 22);
    expect(seal.centerYMmFromTop - r - above.bottom).toBeGreaterThan(0);
    // PDF-space corner agrees with the centre.
    expect(seal.xMm + r).toBeCloseTo(seal.centerXMm, 6);
    expect(297 - (seal.yMm + r)).toBeCloseTo(seal.centerYMmFromTop, 6);
  });

  it('rules the 版记 with the last rule on the bottom edge of the type area', () => {
    const p = pages[pages.length - 1]!;
    const rules = wideRows(p, isDark, 150).filter((y) => y > 200 && y < 265);
    // Group adjacent rows into rules.
    const grouped: number[][] = [];
    for (const y of rules) {
      const last = grouped[grouped.length - 1];
      if (last && y - last[last.length - 1]! < 0.3) last.push(y);
      else grouped.push([y]);
    }
    expect(grouped.length).toBe(3);
    expect(grouped[2]![grouped[2]!.length - 1]!).toBeGreaterThan(262 - tol);
    expect(grouped[2]![0]!).toBeLessThan(262 + tol);
  });
});

describe('the 22 × 28 grid', () => {
  it('sets a full page of body text as 22 lines of 28 characters', async () => {
    const para = '这是用于检验版心行数与字数的正文段落内容'.repeat(30);
    const doc = await renderOfficialDocument({ title: '版式检验', issuingOrgan: '某市人民政府办公室', body: `${para}\n${para}` });
    const page2 = rasterise(doc.pdf, 150)[1]!;
    const bands = inkBands(page2, { x0: 27, x1: 185, y0: 36, y1: 263 });
    expect(bands).toHaveLength(22);
    // A continuation line runs the full type-area width: 28 characters in 156 mm.
    const line = inkBox(page2, isInk, { y0: bands[3]!.top - 0.2, y1: bands[3]!.bottom + 0.2 })!;
    expect(line.left).toBeCloseTo(28, 0);
    expect(line.right).toBeGreaterThan(184 - 1.5);
    expect(line.right).toBeLessThanOrEqual(184 + 0.5);
    const text = pdfText(doc.pdf).split('\n').map((l) => l.trim());
    const full = text.find((l) => l.startsWith('用于检验') || l.startsWith('的正文'));
    expect(full ? [...full].length : 0).toBe(28);
  });
});

describe('信函格式 (函)', () => {
  it('puts the red name 30 mm from the top between red double lines 170 mm long, with no first-page number', async () => {
    const doc = await renderOfficialDocument(
      {
        title: '关于商请支持某某项目建设的函',
        issuingOrgan: '某市人民政府办公室',
        type: 'letter',
        docNumber: { organCode: '某政办函', year: 2026, serial: 3 },
        mainRecipients: [{ name: '市发展和改革委员会' }],
        ccRecipients: [{ name: '市财政局' }],
        writtenDate: '2026-11-22',
        body: '为推进某某项目建设，现商请贵委给予支持。',
      },
      { sealed: true },
    );
    const [p] = rasterise(doc.pdf, 150);
    const mark = inkBox(p!, isRed, { y0: 20, y1: 50 })!;
    expect(mark.top).toBeGreaterThan(30 - tol);
    expect(mark.top).toBeLessThan(30 + tol);
    const rules = wideRows(p!, isRed, 160);
    const top = rules.filter((y) => y < 100);
    const bottom = rules.filter((y) => y > 250);
    expect(top.length).toBeGreaterThan(0);
    expect(bottom.length).toBeGreaterThan(0);
    // The first pair starts 4 mm under the name; the second ends 20 mm above the bottom edge.
    expect(top[0]! - mark.bottom).toBeGreaterThan(4 - tol - 1);
    expect(top[0]! - mark.bottom).toBeLessThan(4 + tol);
    expect(297 - bottom[bottom.length - 1]!).toBeGreaterThan(20 - tol);
    expect(297 - bottom[bottom.length - 1]!).toBeLessThan(20 + tol);
    const span = inkBox(p!, isRed, { y0: top[0]! - 0.1, y1: top[0]! + 0.5 })!;
    expect(span.left).toBeCloseTo(20, 0);
    expect(span.right).toBeCloseTo(190, 0);
    // Two separate lines in each pair (thick and thin).
    const bands = (rows: number[]) => rows.filter((y, i) => i === 0 || y - rows[i - 1]! > 0.3).length;
    expect(bands(top)).toBe(2);
    expect(bands(bottom)).toBe(2);
    // No page number on the first page; 发文字号 on the right under the line.
    expect(inkBox(p!, isInk, { y0: 263, y1: 274 })).toBeNull();
    const text = pdfText(doc.pdf);
    expect(text).toContain('某政办函〔2026〕3号');
    expect(text).not.toContain('某市人民政府办公室文件');
    const number = inkBox(p!, isDark, { y0: top[top.length - 1]! + 0.5, y1: top[top.length - 1]! + 12, x0: 105 })!;
    expect(number.right).toBeGreaterThan(184 - tol - 0.5);
    expect(number.right).toBeLessThanOrEqual(184 + 0.5);
  });
});

describe('a long title', () => {
  it('wraps into lines of even length', async () => {
    const title = '关于进一步加强和改进新形势下全市安全生产监督管理工作切实防范化解重大风险的实施意见';
    const doc = await renderOfficialDocument({ title, issuingOrgan: '某市人民政府办公室', body: '正文。' });
    const lines = pdfText(doc.pdf)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => title.includes(l) && l.length > 3);
    expect(lines.join('')).toBe(title);
    // 41 characters need three lines of at most 20; balanced, they carry 13 or 14 each.
    expect(lines).toHaveLength(3);
    const lengths = lines.map((l) => [...l].length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
  });
});

describe('版记 with a long 抄送 list', () => {
  it('wraps 抄送 inside the type area, aligned after the colon, ending with a full stop', async () => {
    const cc = Array.from({ length: 9 }, (_, i) => ({ name: `市第${'一二三四五六七八九'[i]}人民政府办公室` }));
    const doc = await renderOfficialDocument({ ...sample, ccRecipients: cc }, { sealed: true });
    const pages = rasterise(doc.pdf, 150);
    const last = pages[pages.length - 1]!;
    const box = inkBox(last, isInk, { y0: 150, y1: 263 })!;
    expect(box.right).toBeLessThanOrEqual(184 + 0.5);
    const text = pdfText(doc.pdf);
    expect(text).toContain('抄送：市第一人民政府办公室，');
    expect(text.replace(/\s+/g, '')).toContain('市第九人民政府办公室。');
    // Three rules: the outer two and the one between 抄送 and 印发.
    const rows = wideRows(last, isDark, 150).filter((y) => y > 150 && y < 265);
    const rules = rows.filter((y, i) => i === 0 || y - rows[i - 1]! > 0.3);
    expect(rules).toHaveLength(3);
  });
});

describe('unsealed documents and 签发人', () => {
  it('puts the unsealed 署名 two characters in from the right and 签发人 beside the left 发文字号', async () => {
    const doc = await renderOfficialDocument({
      ...sample,
      type: 'request',
      signatories: ['王建国'],
      ccRecipients: [],
      printingOrgan: undefined,
      printDate: undefined,
      secrecy: { level: 'none' },
      urgency: 'normal',
      copyNumber: undefined,
      body: '关于某事项，请示如下。',
    });
    expect(doc.seal).toBeUndefined();
    const [p] = rasterise(doc.pdf, 150);
    const text = pdfText(doc.pdf);
    expect(text).toContain('签发人：王建国');
    const lineTop = wideRows(p!, isRed, 150)[0]!;
    const row = inkBox(p!, isDark, { y0: lineTop - 12, y1: lineTop - 0.5 })!;
    expect(row.left).toBeGreaterThan(28 + 5.57 - tol);
    expect(row.left).toBeLessThan(28 + 5.57 + tol);
    expect(row.right).toBeGreaterThan(184 - 5.57 - tol);
    expect(row.right).toBeLessThan(184 - 5.57 + tol);
    // 署名 and date: the name ends two characters in from the right edge.
    const bands = inkBands(p!, { x0: 120, x1: 185, y0: lineTop + 40, y1: 262 });
    const nameBand = bands[0]!;
    const name = inkBox(p!, isInk, { y0: nameBand.top, y1: nameBand.bottom, x0: 100, x1: 190 })!;
    expect(name.right).toBeGreaterThan(184 - 2 * 5.571 - tol);
    expect(name.right).toBeLessThan(184 - 2 * 5.571 + tol);
  });

  it('fails with a clear error when a configured official font is missing', async () => {
    await expect(renderOfficialDocument(sample, { fonts: { xiaobiaosong: '/opt/fonts/FZXBSJW.TTF' } })).rejects.toThrow(/小标宋/);
  });
});
