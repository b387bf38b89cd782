/**
 * Handwriting geometry (stroke → filled outline) and the 处理笺 renderer: the ink lands inside its
 * box at the place and in the proportions it was written, and the same input gives the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { fitDrawing, inkBounds, inkDrawingPaths, inkStrokeOutline, outlineToSvgPath } from '../../src/shared/domain/documents/inkOutline';
import type { InkDrawing, InkPoint } from '../../src/shared/domain/documents/opinion';
import { opinionSheetBoxes, renderOpinionSheet, type SheetOpinion } from '../../src/signing/render';
import { inkBox, pdfText, rasterise } from './pixels';

const isRedInk = ([r, g, b]: [number, number, number]) => r > 150 && g < 110 && b < 110;

/** A horizontal stroke from x0 to x1 at height y with the given pressure along it. */
function line(x0: number, x1: number, y: number, pressure: (f: number) => number, n = 30): InkPoint[] {
  return Array.from({ length: n }, (_, i) => [x0 + ((x1 - x0) * i) / (n - 1), y, pressure(i / (n - 1)), i * 16, 0, 0] as InkPoint);
}

describe('stroke → outline', () => {
  it('surrounds the stroke, and pen pressure makes it wider', () => {
    const light = inkStrokeOutline({ size: 10, points: line(0, 200, 50, () => 0.1) });
    const heavy = inkStrokeOutline({ size: 10, points: line(0, 200, 50, () => 0.95) });
    const height = (o: Array<[number, number]>) => Math.max(...o.map((p) => p[1])) - Math.min(...o.map((p) => p[1]));
    const xs = heavy.map((p) => p[0]);
    expect(Math.min(...xs)).toBeLessThan(5);
    expect(Math.max(...xs)).toBeGreaterThan(195);
    expect(height(heavy)).toBeGreaterThan(height(light) * 2);
    // perfect-freehand's radius is size × (0.5 + thinning × (pressure − 0.5)): at most 1.6 × size wide.
    expect(height(heavy)).toBeLessThanOrEqual(16.1);
  });

  it('a pressure rising along the stroke gives ink that thickens along it', () => {
    const outline = inkStrokeOutline({ size: 12, points: line(0, 300, 50, (f) => 0.05 + 0.9 * f, 60) });
    const thickness = (x0: number, x1: number) => {
      const ys = outline.filter((p) => p[0] >= x0 && p[0] <= x1).map((p) => p[1]);
      return Math.max(...ys) - Math.min(...ys);
    };
    expect(thickness(220, 280)).toBeGreaterThan(thickness(20, 80) * 1.5);
  });

  it('writes a closed SVG path with one curve per outline point', () => {
    const d = outlineToSvgPath([
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ]);
    expect(d).toMatch(/^M0 5Q0 0 5 0Q10 0 10 5Q10 10 5 10Q0 10 0 5Z$/);
    expect(outlineToSvgPath([])).toBe('');
  });

  it('keeps each stroke with its colour and measures where the ink is', () => {
    const drawing: InkDrawing = {
      width: 400,
      height: 200,
      strokes: [
        { color: 'red', size: 8, points: line(100, 300, 100, () => 0.5) },
        { color: 'blue', size: 8, points: line(50, 60, 20, () => 0.7) },
      ],
    };
    const paths = inkDrawingPaths(drawing);
    expect(paths.map((p) => p.color)).toEqual(['red', 'blue']);
    const bounds = inkBounds(drawing)!;
    expect(bounds.left).toBeGreaterThan(40);
    expect(bounds.right).toBeGreaterThan(295);
    expect(bounds.top).toBeLessThan(20);
    expect(fitDrawing(drawing, 100, 100)).toEqual({ scale: 0.25, width: 100, height: 50 });
  });
});

describe('处理笺 rendering', () => {
  const drawing: InkDrawing = {
    width: 600,
    height: 300,
    // A firm red stroke across the left half of the pad, a third of the way down.
    strokes: [{ color: 'red', size: 10, points: line(40, 280, 100, (f) => 0.4 + 0.5 * f) }],
  };
  const opinions: SheetOpinion[] = [
    { box: 'draft', actorName: '李文', at: '2026-12-05T08:00:00Z', label: '提交' },
    { box: 'signoff', actorName: '王建国', at: '2026-12-05T09:30:00Z', label: '同意', text: '同意印发。', ink: drawing },
    { box: 'countersign', actorName: '刘强', at: '2026-12-05T09:00:00Z', label: '同意', voice: { sha256: 'ab'.repeat(32), durationMs: 12_400, mimeType: 'audio/ogg' } },
  ];
  const input = { kind: 'outgoing' as const, unitName: '市政府办公室', title: '关于开展安全生产检查的通知', asOf: '2026-12-05T09:30:00Z', opinions };

  it('draws the handwriting inside the 签发 box where it was written, and prints every opinion with who and when', async () => {
    const sheet = await renderOpinionSheet(input);
    const signoff = opinionSheetBoxes('outgoing').find((b) => b.box === 'signoff')!;
    const [page] = rasterise(sheet.pdf, 100);
    const red = inkBox(page!, isRedInk);
    expect(red).not.toBeNull();
    // Nothing red outside the 签发 box: the ink is there and only there.
    expect(red!.top).toBeGreaterThan(signoff.yMm);
    expect(red!.bottom).toBeLessThan(signoff.yMm + signoff.heightMm);
    const placed = sheet.ink.find((p) => p.box === 'signoff')!;
    // Same place and proportions: x 40…280 and y 100 of the 600 × 300 pad, scaled uniformly.
    // The ink reaches past the sampled points by its round caps (at most 0.8 × size) plus a pixel.
    const slack = 0.8 * 10 * placed.scale + 0.3;
    expect(Math.abs(red!.left - (placed.xMm + 40 * placed.scale))).toBeLessThan(slack);
    expect(Math.abs(red!.right - (placed.xMm + 280 * placed.scale))).toBeLessThan(slack);
    expect(Math.abs((red!.top + red!.bottom) / 2 - (placed.yMm + 100 * placed.scale))).toBeLessThan(slack);
    expect(placed.widthMm / placed.heightMm).toBeCloseTo(2, 5);

    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    expect(text).toContain('市政府办公室发文稿纸');
    expect(text).toContain('同意印发。');
    expect(text).toContain('王建国2026年12月5日17:30');
    expect(text).toContain('李文2026年12月5日16:00');
    expect(text).toContain('语音批示0:12');
    expect(text).toContain('ab'.repeat(32));
  });

  it('is reproducible: the same opinions give the same bytes', async () => {
    const a = await renderOpinionSheet(input);
    const b = await renderOpinionSheet(input);
    expect(Buffer.from(a.pdf).equals(Buffer.from(b.pdf))).toBe(true);
  });

  it('a 收文处理笺 has 登记, 拟办, 批示 and 承办', async () => {
    const sheet = await renderOpinionSheet({ ...input, kind: 'incoming', opinions: [{ box: 'instruct', actorName: '王建国', at: '2026-12-05T09:30:00Z', label: '批示', ink: drawing }] });
    expect(sheet.boxes.map((b) => b.label)).toEqual(['登记', '拟办', '批示', '承办']);
    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    expect(text).toContain('收文处理笺');
    const instruct = sheet.boxes.find((b) => b.box === 'instruct')!;
    const red = inkBox(rasterise(sheet.pdf, 100)[0]!, isRedInk)!;
    expect(red.top).toBeGreaterThan(instruct.yMm);
    expect(red.bottom).toBeLessThan(instruct.yMm + instruct.heightMm);
  });

  it('a crowded box gives every opinion a line of its own, ink included, without leaving the box', async () => {
    const draft: SheetOpinion[] = Array.from({ length: 6 }, (_, i) => ({
      box: 'draft',
      actorName: '李文',
      at: `2026-12-05T0${i}:00:00Z`,
      label: i % 2 ? '退回' : '提交',
      text: i % 2 ? '请补充第三部分的数据来源并重新核对所有附件内容后再提交审核。' : `第${i + 1}稿，请审阅。`,
      ...(i === 3 ? { ink: drawing } : {}),
    }));
    const sheet = await renderOpinionSheet({ ...input, opinions: draft });
    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    for (const hour of ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00']) expect(text).toContain(`李文2026年12月5日${hour}`);
    expect(text).toContain('第5稿，请审阅。');
    const box = sheet.boxes.find((b) => b.box === 'draft')!;
    // A one-line thumbnail is fine ink (about 0.2 mm): look closer and for reddish, antialiased pixels.
    const reddish = ([r, g, b]: [number, number, number]) => r > 150 && r - g > 50 && r - b > 50;
    const red = inkBox(rasterise(sheet.pdf, 300)[0]!, reddish);
    expect(red).not.toBeNull();
    expect(red!.top).toBeGreaterThan(box.yMm);
    expect(red!.bottom).toBeLessThan(box.yMm + box.heightMm);
    const placed = sheet.ink[0]!;
    expect(placed.widthMm / placed.heightMm).toBeCloseTo(2, 5);
  });
});
