import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { embedCjkFont, embedCjkFonts, resolveCjkFont, FontUnavailableError, parseFontSpec } from '../../src/signing/fonts';
import { fontOverridesFromEnv } from '../../src/sync-server/documents/pdfService';
import { needs, requireTools } from '../support/systemTools';

// Debian's TrueType CJK fonts: the fallbacks these tests resolve, embed and name in overrides.
const FONTS = ['/usr/share/fonts/truetype/arphic/uming.ttc', '/usr/share/fonts/truetype/arphic/ukai.ttc', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'];

describe(`CJK font resolver ${needs(...FONTS)}`, () => {
  beforeAll(() => requireTools(...FONTS));

  it('falls back to Debian TrueType fonts per role', () => {
    expect(resolveCjkFont('kaiti')).toMatchObject({ face: 'UKaiCN', official: false });
    expect(resolveCjkFont('heiti')).toMatchObject({ face: 'WenQuanYiMicroHei', official: false });
    expect(resolveCjkFont('fangsong').path).toMatch(/uming\.ttc$/);
  });

  it('uses a configured override and marks it official', () => {
    const r = resolveCjkFont('fangsong', { fangsong: '/usr/share/fonts/truetype/arphic/ukai.ttc#UKaiTW' });
    expect(r).toMatchObject({ face: 'UKaiTW', official: true });
  });

  it('refuses a missing override with a clear Chinese error instead of silently falling back', () => {
    expect(() => resolveCjkFont('xiaobiaosong', { xiaobiaosong: '/nonexistent/FZXBS.ttf' })).toThrow(FontUnavailableError);
    expect(() => resolveCjkFont('xiaobiaosong', { xiaobiaosong: '/nonexistent/FZXBS.ttf' })).toThrow(/小标宋.*不存在/);
  });

  it('refuses a face name the collection does not hold', () => {
    expect(() => resolveCjkFont('kaiti', { kaiti: '/usr/share/fonts/truetype/arphic/ukai.ttc#NoSuchFace' })).toThrow(FontUnavailableError);
  });

  it('refuses a file that is not a font', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xt-font-'));
    try {
      const bogus = join(dir, 'bogus.ttf');
      writeFileSync(bogus, 'not a font at all');
      expect(() => resolveCjkFont('song', { song: bogus })).toThrow(/无法读取|不是/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses path#face specs', () => {
    expect(parseFontSpec('/a/b.ttc#Face')).toEqual({ path: '/a/b.ttc', face: 'Face' });
    expect(parseFontSpec('/a/b.ttf')).toEqual({ path: '/a/b.ttf', face: undefined });
  });
});

describe(`embedCjkFont ${needs(...FONTS, 'pdftotext')}`, () => {
  beforeAll(() => requireTools(...FONTS, 'pdftotext'));

  it('embeds a small subset whose text pdftotext reads back exactly', async () => {
    const doc = await PDFDocument.create();
    const fonts = await embedCjkFonts(doc, ['fangsong', 'heiti', 'kaiti']);
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('关于做好2026年春节期间工作的通知', { x: 50, y: 700, size: 16, font: fonts.fangsong });
    page.drawText('一、总体要求', { x: 50, y: 660, size: 16, font: fonts.heiti });
    page.drawText('（一）工作目标', { x: 50, y: 620, size: 16, font: fonts.kaiti });
    const bytes = await doc.save();
    expect(bytes.length).toBeLessThan(200_000);
    const dir = mkdtempSync(join(tmpdir(), 'xt-font-'));
    try {
      const file = join(dir, 'f.pdf');
      writeFileSync(file, bytes);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('关于做好2026年春节期间工作的通知');
      expect(text).toContain('一、总体要求');
      expect(text).toContain('（一）工作目标');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shares one embedded font between roles that resolve to the same face', async () => {
    const doc = await PDFDocument.create();
    const fonts = await embedCjkFonts(doc, ['fangsong', 'song']);
    expect(fonts.fangsong).toBe(fonts.song);
    const single = await embedCjkFont(doc, 'kaiti');
    expect(single.name).toMatch(/UKai/);
  });
});

describe(`server font configuration ${needs('/usr/share/fonts/truetype/arphic/ukai.ttc')}`, () => {
  beforeAll(() => requireTools('/usr/share/fonts/truetype/arphic/ukai.ttc'));

  it('reads XIETONG_FONT_<ROLE> and checks each file at start', () => {
    expect(fontOverridesFromEnv({ XIETONG_FONT_KAITI: '/usr/share/fonts/truetype/arphic/ukai.ttc#UKaiTW', PATH: '/bin' })).toEqual({
      kaiti: '/usr/share/fonts/truetype/arphic/ukai.ttc#UKaiTW',
    });
    expect(fontOverridesFromEnv({})).toEqual({});
    expect(() => fontOverridesFromEnv({ XIETONG_FONT_FANGSONG: '/srv/fonts/仿宋_GB2312.ttf' })).toThrow(/仿宋.*不存在/);
  });
});
