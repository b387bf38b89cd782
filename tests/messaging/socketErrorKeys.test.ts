/**
 * What the chat socket tells a client in words carries the catalogue key, so the English interface
 * shows English: refused upgrades and refused socket messages alike, with the zh-CN message kept.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordError } from '../../src/shared/errors';
import { HttpErrorBodySchema, type HttpErrorBody } from '../../src/shared/http/errors';
import { login, startTestServer, type TestServer } from '../server/helpers';
import { isType, openChat } from './helpers';

/** The status and JSON body of a refused `/chat` upgrade. */
function refusedUpgrade(baseUrl: string, query: string): Promise<{ status: number; body: HttpErrorBody }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/chat${query}`);
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: HttpErrorBodySchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))) });
        ws.terminate();
      });
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}

describe('chat socket errors carry catalogue keys', () => {
  let server: TestServer;
  let chen: string;
  beforeAll(async () => {
    server = await startTestServer();
    chen = await login(server.url, 'chen');
  });
  afterAll(() => server.stop());

  it('a refused upgrade answers in the HTTP error shape with http.signInFirst', async () => {
    const refused = await refusedUpgrade(server.url, '?token=forged.token.value');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: { code: 'unauthenticated', key: 'http.signInFirst', message: '请先登录' } });
    expect(wordError(refused.body.error, 'en')).toBe('Please sign in first');
  });

  it('a refused socket message carries its key: not JSON, an invalid message, an unknown conversation', async () => {
    const socket = await openChat(server.url, chen);
    try {
      socket.ws.send('not json');
      const notJson = (await socket.next(isType('error'))).error;
      expect(notJson).toMatchObject({ code: 'invalid_input', key: 'messaging.jsonInvalid', message: '消息不是有效的 JSON' });
      expect(wordError(notJson, 'en')).toBe('The message is not valid JSON');

      socket.send({ type: 'send', conversationId: 'dm.user-li.user-wang', txnId: 'bad', content: { type: 'text', text: 'x' } });
      const invalid = (await socket.next(isType('error', (m) => m.txnId === 'bad'))).error;
      expect(invalid).toMatchObject({ code: 'invalid_input', key: 'http.invalidRequest' });
      expect(invalid.message).toMatch(/^请求内容无效（txnId: 事务编号无效）$/);
      expect(wordError(invalid, 'en')).toBe('The request is not valid (txnId: 事务编号无效)');

      socket.send({ type: 'send', conversationId: 'dm.user-li.user-wang', txnId: 'keys-txn-0001', content: { type: 'text', text: '偷看' } });
      const refused = (await socket.next(isType('error', (m) => m.txnId === 'keys-txn-0001'))).error;
      expect(refused).toMatchObject({ code: 'not_found', key: 'messaging.conversationNotFound', message: '找不到该会话' });
      expect(wordError(refused, 'en')).toBe('Conversation not found');
    } finally {
      await socket.close();
    }
  });
});
