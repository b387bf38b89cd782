/**
 * 成文日期 on the printed document (GB/T 9704 7.3.5): after 签发, 编号 and 用印 the sealed PDF carries
 * the date under the 发文机关署名 — the day of 签发 in China unless the drafter set one — four
 * characters in from the right, the 署名 centred above it and the seal pressing on both.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateOf } from '../../src/shared/domain/documents';
import type { DocumentView } from '../../src/shared/http/documents';
import { needs, requireTools } from '../support/systemTools';
import { act, call, getPdf, NDRC, putPdf, sealPdf, startOrg, uid, type Org } from './helpers';

const PT = 25.4 / 72;

interface Word {
  readonly text: string;
  /** Millimetres from the page's left and top edges. */
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** Every word pdftotext finds on `page` (1-based), with its box in millimetres from the top left. */
function words(pdf: Buffer, page: number): Word[] {
  const dir = mkdtempSync(join(tmpdir(), 'xt-date-'));
  try {
    writeFileSync(join(dir, 'd.pdf'), pdf);
    const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), join(dir, 'd.pdf'), '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      text: m[5]!,
      x0: Number(m[1]) * PT,
      y0: Number(m[2]) * PT,
      x1: Number(m[3]) * PT,
      y1: Number(m[4]) * PT,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 2026-12-05 → 2026年12月5日, computed here independently of the product's formatter. */
function chineseDate(instant: string): string {
  const d = new Date(Date.parse(instant) + 8 * 3_600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

describe(`成文日期 on the sealed document ${needs('pdftotext')}`, () => {
  let org: Org;
  beforeAll(async () => {
    requireTools('pdftotext');
    org = await startOrg({ certified: { zhao: '赵敏|市政府办公室' } });
  });
  afterAll(async () => org?.server.stop());

  /** li drafts (with or without a 成文日期), wang signs off, zhao numbers and seals: the sealed PDF. */
  async function sealedDocument(writtenDate?: string): Promise<{ pdf: Buffer; signedOffAt: string; placement: Record<string, number> }> {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.li!,
      json: {
        kind: 'outgoing',
        type: 'notice',
        title: '关于开展安全生产检查的通知',
        issuingOrgan: '市人民政府办公室',
        organCode: '市政办',
        body: '各有关单位要认真开展安全生产检查。',
        mainRecipients: [{ unitId: NDRC, name: '市发展和改革委员会' }],
        ...(writtenDate ? { writtenDate } : {}),
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await act(org, 'li', id, { action: 'submit', to: [uid('wang')] })).status).toBe(200);
    const signedOff = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意' } });
    expect(signedOff.status).toBe(200);
    expect((await act(org, 'zhao', id, { action: 'number' })).status).toBe(200);
    const frozen = await getPdf(org, 'zhao', id);
    const sealed = await putPdf(org, 'zhao', id, await sealPdf(frozen.bytes, org.p12.zhao!, frozen.placement!, '市政府办公室'));
    expect(sealed.status).toBe(200);
    return { pdf: (await getPdf(org, 'zhao', id)).bytes, signedOffAt: signedOff.body.signedOffBy!.at, placement: frozen.placement! };
  }

  it('prints the day of 签发 under the 署名, four characters in from the right, the seal over both', async () => {
    const { pdf, signedOffAt, placement } = await sealedDocument();
    const page = words(pdf, placement.pageNumber!);
    const date = page.find((w) => w.text === chineseDate(signedOffAt));
    const name = page.find((w) => w.text === '市人民政府办公室' && w.y0 > 100);
    expect(date, `no ${chineseDate(signedOffAt)} on the page: ${page.map((w) => w.text).join(' ')}`).toBeDefined();
    expect(name).toBeDefined();
    // The date is the line under the 署名.
    expect(date!.y0).toBeGreaterThan(name!.y1 - 0.5);
    expect(date!.y0 - name!.y0).toBeLessThan(225 / 22 + 1);
    // It ends four characters (4 × 5.57 mm) in from the type area's right edge (210 − 26 mm).
    expect(date!.x1).toBeCloseTo(184 - 4 * (156 / 28), 0);
    // The 署名 is centred above it.
    expect((name!.x0 + name!.x1) / 2).toBeCloseTo((date!.x0 + date!.x1) / 2, 0);
    // The seal presses on both, centred on them: both in its lower half, the date inside its circle.
    const r = placement.diameterMm! / 2;
    const centre = { x: placement.xMm! + r, y: 297 - (placement.yMm! + r) };
    expect(Math.abs((date!.x0 + date!.x1) / 2 - centre.x)).toBeLessThan(1);
    expect(name!.y0).toBeGreaterThan(centre.y - 1);
    expect(date!.y1).toBeLessThan(centre.y + r);
    expect(Math.hypot((date!.x0 + date!.x1) / 2 - centre.x, (date!.y0 + date!.y1) / 2 - centre.y)).toBeLessThan(r);
  });

  it('prints the 成文日期 the drafter set instead, in Arabic numerals without leading zeros', async () => {
    const { pdf, placement } = await sealedDocument('2026-03-05');
    const page = words(pdf, placement.pageNumber!);
    expect(page.map((w) => w.text)).toContain('2026年3月5日');
  });
});

describe('the day of 签发 is the day in China', () => {
  it('turns over at 16:00 UTC, midnight in Beijing', () => {
    expect(chinaDateOf('2026-12-05T15:59:59.999Z')).toBe('2026-12-05');
    expect(chinaDateOf('2026-12-05T16:00:00.000Z')).toBe('2026-12-06');
    expect(() => chinaDateOf('yesterday')).toThrow(RangeError);
  });
});
