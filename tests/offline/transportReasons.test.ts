/**
 * The outbox's transport reasons are kept as catalogue keys beside the zh-CN message (encodeReason),
 * so a step that waits or is refused reads in the person's language.
 */
import { describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../src/main/services/outbox/httpTransport';
import { decodeReason } from '../../src/shared/errors';

const command = { type: 'document.action' as const, documentId: 'd1', action: 'approve' };
const transport = (fetchImpl: typeof fetch, token: string | null = 't') =>
  createHttpTransport({ serverUrl: 'http://127.0.0.1:9', getToken: () => token, readBlob: () => Promise.resolve(null), fetch: fetchImpl });

describe('outbox transport reasons', () => {
  it('keys not signed in, unreachable and a bare status', async () => {
    const never = (() => Promise.reject(new Error('should not fetch'))) as unknown as typeof fetch;
    const signedOut = await transport(never, null).send('c1', command);
    expect(decodeReason(signedOut.kind === 'applied' ? '' : signedOut.reason)).toEqual({ message: '尚未登录', key: 'outbox.notSignedIn' });

    const down = (() => Promise.reject(new Error('connect ECONNREFUSED'))) as unknown as typeof fetch;
    const unreachable = await transport(down).send('c1', command);
    expect(unreachable.kind).toBe('unavailable');
    expect(decodeReason(unreachable.kind === 'applied' ? '' : unreachable.reason)).toEqual({
      message: '无法连接服务器：connect ECONNREFUSED',
      key: 'outbox.unreachable',
      params: { reason: 'connect ECONNREFUSED' },
    });

    const busy = (() => Promise.resolve(new Response('', { status: 503 }))) as unknown as typeof fetch;
    const waiting = await transport(busy).send('c1', command);
    expect(decodeReason(waiting.kind === 'applied' ? '' : waiting.reason)).toEqual({ message: '服务器返回 503', key: 'outbox.serverStatus', params: { status: 503 } });
  });

  it('keeps the server\'s key on a 401', async () => {
    const body = JSON.stringify({ error: { code: 'unauthenticated', key: 'auth.sessionExpired', message: '登录已失效，请重新登录' } });
    const expired = (() => Promise.resolve(new Response(body, { status: 401, headers: { 'content-type': 'application/json' } }))) as unknown as typeof fetch;
    const outcome = await transport(expired).send('c1', command);
    expect(outcome.kind).toBe('unauthenticated');
    expect(decodeReason(outcome.kind === 'applied' ? '' : outcome.reason)).toMatchObject({ key: 'auth.sessionExpired' });
  });
});
