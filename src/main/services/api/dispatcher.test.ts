import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiFailure, defineCall } from '../../../shared/api';
import { createDispatcher } from './dispatcher';
import { issueMessage, wordError } from '../../../shared/errors';

const contract = {
  notes: {
    add: defineCall('notes:add', z.object({ text: z.string().min(1) }), z.object({ length: z.number() })),
    broken: defineCall('notes:broken', z.object({}), z.object({ length: z.number() })),
    refuse: defineCall('notes:refuse', z.object({}), z.object({})),
    sign: defineCall('notes:sign', z.object({ password: z.string().min(1, issueMessage('input.certificatePasswordMissing')) }), z.object({})),
  },
};

const dispatcher = createDispatcher(
  contract,
  {
    notes: {
      add: ({ text }) => Promise.resolve({ length: text.length }),
      broken: () => Promise.resolve({ length: 'not a number' } as unknown as { length: number }),
      refuse: () => Promise.reject(new ApiFailure('forbidden', '无权操作')),
      sign: () => Promise.resolve({}),
    },
  },
  {},
  { logError: () => undefined },
);

describe('dispatcher', () => {
  it('runs a call whose input parses', async () => {
    expect(await dispatcher.dispatch('notes:add', { text: '公文' })).toEqual({ ok: true, value: { length: 2 } });
  });

  it('refuses input that does not parse, naming the field', async () => {
    const result = await dispatcher.dispatch('notes:add', { text: 42 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toContain('text');
    }
  });

  it('sends a keyed validation message with its key: the same zh-CN text, worded in English too', async () => {
    const result = await dispatcher.dispatch('notes:sign', { password: '' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', key: 'client.invalidField', message: '输入无效：password: 请输入证书密码' } });
    if (!result.ok) expect(wordError(result.error, 'en')).toBe('Invalid input: password: Enter the certificate password');
  });

  it('refuses unknown channels', async () => {
    const result = await dispatcher.dispatch('fs:readFile', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('turns a handler failure into data with its code', async () => {
    expect(await dispatcher.dispatch('notes:refuse', {})).toEqual({ ok: false, error: { code: 'forbidden', message: '无权操作' } });
  });

  it('does not pass a malformed handler result to the renderer', async () => {
    expect(await dispatcher.dispatch('notes:broken', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
