import { describe, expect, it } from 'vitest';
import { ApiErrorSchema, ApiFailure, fail } from '../api/result';
import { HttpErrorBodySchema } from '../http/errors';
import { decodeReason, encodeReason, errorCatalogue, errorText, wordError } from './index';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
const han = /\p{Script=Han}/u;

describe('error catalogue', () => {
  const entries = Object.entries(errorCatalogue);

  it('has a zh-CN and an English wording for every key, with the same placeholders', () => {
    expect(entries.length).toBeGreaterThan(150);
    for (const [key, entry] of entries) {
      expect(key, key).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
      expect(entry.zh.trim(), key).not.toBe('');
      expect(entry.en.trim(), key).not.toBe('');
      expect(placeholders(entry.en), key).toEqual(placeholders(entry.zh));
    }
  });

  it('words English without Chinese (only parameters may bring it) and zh-CN in Chinese', () => {
    for (const [key, entry] of entries) {
      expect(han.test(entry.en.replace(/\{\w+\}/g, '')), `${key}: ${entry.en}`).toBe(false);
      expect(han.test(entry.zh), `${key}: ${entry.zh}`).toBe(true);
    }
  });

  it('keeps the zh-CN message on the wire and adds the key and params', () => {
    const text = errorText('directory.userNotFound', { userId: 'u-9' });
    expect(text).toEqual({ key: 'directory.userNotFound', params: { userId: 'u-9' }, message: '找不到用户 u-9' });
    expect(wordError(text, 'en')).toBe('User u-9 not found');
    expect(wordError(text, 'zh-CN')).toBe('找不到用户 u-9');
  });

  it('words an error without a known key as its message (an older server, a library)', () => {
    expect(wordError({ message: '旧服务器的消息' }, 'en')).toBe('旧服务器的消息');
    expect(wordError({ key: 'no.suchKey', message: '未知' }, 'en')).toBe('未知');
  });

  it('carries key and params through fail, ApiFailure and the HTTP error body, and old bodies still parse', () => {
    const failed = fail('conflict', errorText('documents.stale'));
    expect(failed).toEqual({ ok: false, error: { code: 'conflict', key: 'documents.stale', message: '公文已被他人办理，请刷新后重试' } });
    expect(ApiErrorSchema.parse(failed.ok ? null : failed.error)).toEqual(failed.ok ? null : failed.error);
    const thrown = new ApiFailure('rejected', errorText('voice.tooLarge', { mb: 5 }));
    expect(fail(thrown.code, thrown)).toMatchObject({ error: { key: 'voice.tooLarge', params: { mb: 5 }, message: '录音过大（不能超过 5 MB）' } });
    expect(fail('invalid_input', '纯文本')).toEqual({ ok: false, error: { code: 'invalid_input', message: '纯文本' } });
    expect(HttpErrorBodySchema.safeParse({ error: { code: 'forbidden', message: '旧格式' } }).success).toBe(true);
    expect(HttpErrorBodySchema.safeParse({ error: { code: 'forbidden', message: 'x', params: { a: { nested: true } } } }).success).toBe(false);
  });

  it('keeps a refusal in one text column with its key, and reads reasons stored before keys existed', () => {
    const text = errorText('workflow.notHolder', { step: '核稿', label: '同意' });
    expect(decodeReason(encodeReason(text))).toEqual(text);
    expect(encodeReason({ message: '旧的理由' })).toBe('旧的理由');
    expect(decodeReason('旧的理由')).toEqual({ message: '旧的理由' });
    expect(decodeReason('理由\u0000{not json')).toEqual({ message: '理由' });
  });

  it('gives every Chinese wording one key, so a message found word for word names one key', () => {
    const byWording = new Map<string, string[]>();
    for (const [key, entry] of Object.entries(errorCatalogue)) byWording.set(entry.zh, [...(byWording.get(entry.zh) ?? []), key]);
    expect([...byWording.values()].filter((keys) => keys.length > 1)).toEqual([]);
  });
});
