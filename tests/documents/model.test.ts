import { describe, it, expect } from 'vitest';
import {
  DocumentFieldsSchema,
  DocumentTypeSchema,
  documentTypeLabels,
  formatChineseDate,
  formatDocNumber,
  formatSecrecy,
  parseDocNumber,
  SecrecySchema,
} from '../../src/shared/domain/documents';

describe('document model', () => {
  it('has the 15 types of the 2012 regulation', () => {
    expect(DocumentTypeSchema.options).toHaveLength(15);
    expect(Object.values(documentTypeLabels)).toEqual(['决议', '决定', '命令（令）', '公报', '公告', '通告', '意见', '通知', '通报', '报告', '请示', '批复', '议案', '函', '纪要']);
  });

  it('formats 发文字号 with hexagonal brackets, no 第 and no leading zeros', () => {
    expect(formatDocNumber({ organCode: '某政办发', year: 2026, serial: 12 })).toBe('某政办发〔2026〕12号');
  });

  it('parses a correct 发文字号 and refuses the usual mistakes with a reason', () => {
    expect(parseDocNumber('某政办发〔2026〕12号')).toEqual({ ok: true, value: { organCode: '某政办发', year: 2026, serial: 12 } });
    expect(parseDocNumber('某政办发〔2026〕第12号')).toMatchObject({ ok: false, reason: expect.stringContaining('第') as string });
    expect(parseDocNumber('某政办发〔2026〕012号')).toMatchObject({ ok: false, reason: expect.stringContaining('前导零') as string });
    expect(parseDocNumber('某政办发[2026]12号')).toMatchObject({ ok: false, reason: expect.stringContaining('六角括号') as string });
    expect(parseDocNumber('某政办发（2026）12号')).toMatchObject({ ok: false });
    expect(parseDocNumber('〔2026〕12号')).toMatchObject({ ok: false });
    expect(parseDocNumber('某政办发〔2026〕0号')).toMatchObject({ ok: false });
  });

  it('round-trips numbers through format and parse', () => {
    for (const serial of [1, 9, 10, 123, 99999]) {
      const n = { organCode: '发改委函', year: 2027, serial };
      expect(parseDocNumber(formatDocNumber(n))).toEqual({ ok: true, value: n });
    }
  });

  it('prints 密级 with 保密期限 and refuses a period without a level', () => {
    expect(formatSecrecy({ level: 'secret', period: '1年' })).toBe('秘密★1年');
    expect(formatSecrecy({ level: 'topSecret' })).toBe('绝密');
    expect(formatSecrecy({ level: 'none' })).toBe('');
    expect(SecrecySchema.safeParse({ level: 'none', period: '1年' }).success).toBe(false);
  });

  it('prints dates with Arabic numerals and no leading zeros', () => {
    expect(formatChineseDate('2026-01-05')).toBe('2026年1月5日');
  });

  it('fills defaults and validates fields with Chinese messages', () => {
    const f = DocumentFieldsSchema.parse({ title: '关于开展安全检查的通知' });
    expect(f).toMatchObject({ type: 'notice', urgency: 'normal', secrecy: { level: 'none' }, mainRecipients: [], body: '' });
    const bad = DocumentFieldsSchema.safeParse({ title: ' ', copyNumber: '12' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message).join()).toMatch(/标题不能为空/);
    expect(bad.error?.issues.map((i) => i.message).join()).toMatch(/份号/);
    expect(DocumentFieldsSchema.safeParse({ title: 'x', writtenDate: '2026-13-01' }).success).toBe(false);
  });
});
