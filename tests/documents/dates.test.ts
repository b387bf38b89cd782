/**
 * Impossible dates (issue 15): every date field of every request schema refuses a day that does not
 * exist, with a Chinese message naming it, and the server stores nothing of such a request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DocumentFieldsSchema, IsoDateSchema } from '../../src/shared/domain/documents';
import { CreateDelegationRequestSchema, CreateDocumentRequestSchema, UpdateDocumentRequestSchema, type DocumentView } from '../../src/shared/http/documents';
import { call, startOrg, uid, type Org } from './helpers';

const IMPOSSIBLE = ['2024-02-30', '2026-13-01', '2025-02-29', '2026-04-31', '2026-00-10', '2026-06-00'];

function messageOf(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value);
  expect(parsed.success).toBe(false);
  return parsed.success ? '' : parsed.error.issues.map((issue) => issue.message).join('；');
}

describe('the shared date schema', () => {
  it('accepts real days, leap days included', () => {
    for (const day of ['2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30', '2026-01-01']) expect(IsoDateSchema.safeParse(day).success).toBe(true);
  });

  it('refuses days that do not exist with a message that says why', () => {
    expect(messageOf(IsoDateSchema, '2024-02-30')).toBe('日期 2024-02-30 不存在：2024 年 2 月只有 29 天');
    expect(messageOf(IsoDateSchema, '2025-02-29')).toBe('日期 2025-02-29 不存在：2025 年 2 月只有 28 天');
    expect(messageOf(IsoDateSchema, '1900-02-29')).toBe('日期 1900-02-29 不存在：1900 年 2 月只有 28 天');
    expect(messageOf(IsoDateSchema, '2026-13-01')).toBe('日期 2026-13-01 不存在：月份应为 01–12');
    expect(messageOf(IsoDateSchema, '2026/11/22')).toContain('日期格式应为 YYYY-MM-DD');
  });

  it('is what every date field of every request schema uses', () => {
    for (const day of IMPOSSIBLE) {
      for (const field of ['writtenDate', 'printDate', 'dueDate']) {
        expect(messageOf(DocumentFieldsSchema, { title: '通知', [field]: day })).toMatch(/^日期 .* 不存在/);
        expect(messageOf(CreateDocumentRequestSchema, { kind: 'outgoing', title: '通知', [field]: day })).toMatch(/^日期 .* 不存在/);
        expect(messageOf(UpdateDocumentRequestSchema, { [field]: day })).toMatch(/^日期 .* 不存在/);
      }
      expect(messageOf(CreateDelegationRequestSchema, { to: 'user-zhao', until: `${day}T18:00:00+08:00` })).toMatch(/^日期 .* 不存在/);
    }
    expect(CreateDelegationRequestSchema.safeParse({ to: 'user-zhao', until: '2024-02-29T18:00:00+08:00' }).success).toBe(true);
    expect(messageOf(CreateDelegationRequestSchema, { to: 'user-zhao', until: '2024-02-28 18:00' })).toContain('时间格式应为');
  });
});

describe('the server refuses impossible dates and keeps what it had', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(() => org.server.stop());

  it('answers 400 with the Chinese reason at create, edit (办理期限) and 委托, and stores nothing', async () => {
    const url = org.server.url;
    const token = org.tokens.li!;
    const refusedCreate = await call(url, 'POST', '/api/documents', { token, json: { kind: 'outgoing', title: '关于日期的通知', writtenDate: '2025-02-29' } });
    expect(refusedCreate.status).toBe(400);
    expect(refusedCreate.body).toMatchObject({ error: { code: 'invalid_input', message: expect.stringContaining('日期 2025-02-29 不存在：2025 年 2 月只有 28 天') as string } });
    const drafts = await call<{ items: { title: string }[] }>(url, 'GET', '/api/documents?box=drafts', { token });
    expect(drafts.body.items.map((item) => item.title)).not.toContain('关于日期的通知');

    const created = await call<DocumentView>(url, 'POST', '/api/documents', { token, json: { kind: 'outgoing', title: '关于日期的通知', dueDate: '2024-02-29' } });
    expect(created.status).toBe(201);
    for (const day of IMPOSSIBLE.slice(0, 3)) {
      const refused = await call(url, 'PATCH', `/api/documents/${created.body.id}`, { token, json: { dueDate: day } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { message: expect.stringContaining(`日期 ${day} 不存在`) as string } });
    }
    const stored = await call<{ fields?: { dueDate?: string }; dueDate?: string }>(url, 'GET', `/api/documents/${created.body.id}`, { token });
    expect(JSON.stringify(stored.body)).toContain('2024-02-29');
    expect(JSON.stringify(stored.body)).not.toContain('2024-02-30');

    const delegation = await call(url, 'POST', '/api/delegations', { token: org.tokens.wang!, json: { to: uid('zhao'), until: '2026-02-30T18:00:00+08:00' } });
    expect(delegation.status).toBe(400);
    expect(delegation.body).toMatchObject({ error: { message: expect.stringContaining('日期 2026-02-30 不存在') as string } });
  });
});
