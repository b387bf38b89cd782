/**
 * Only members read a conversation or its files: every messaging route and every socket message,
 * with a non-member of the same unit (zhao), someone of another unit (chen) and no token at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageFile } from '../../src/shared/http/messaging';
import { call, login, startTestServer, type TestServer } from '../server/helpers';
import { isType, openChat, upgradeStatus } from './helpers';

const DM = 'dm.user-li.user-wang';

describe('messaging refuses strangers', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let message: Message;
  let file: MessageFile;

  beforeAll(async () => {
    server = await startTestServer();
    for (const name of ['li', 'wang', 'zhao', 'chen']) tokens[name] = await login(server.url, name);
    await call(server.url, 'POST', '/api/conversations', { token: tokens.li!, json: { kind: 'direct', userId: 'user-wang' } });
    file = (await call<MessageFile>(server.url, 'POST', `/api/conversations/${DM}/files?name=a.txt&type=text/plain`, { token: tokens.li!, body: Buffer.from('机密材料'), headers: { 'content-type': 'text/plain' } })).body;
    message = (await call<Message>(server.url, 'POST', `/api/conversations/${DM}/messages`, { token: tokens.li!, json: { txnId: 'sec-txn-0001', content: { type: 'text', text: '只给王主任看' } } })).body;
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Every route naming a conversation, with a valid body, so only membership can refuse it. */
  const routes = (): { method: string; path: string; json?: unknown; body?: Buffer }[] => [
    { method: 'GET', path: `/api/conversations/${DM}` },
    { method: 'POST', path: `/api/conversations/${DM}/members`, json: { userIds: ['user-zhao'] } },
    { method: 'PUT', path: `/api/conversations/${DM}/settings`, json: { muted: true } },
    { method: 'GET', path: `/api/conversations/${DM}/messages?after=0` },
    { method: 'POST', path: `/api/conversations/${DM}/messages`, json: { txnId: 'sec-txn-stranger', content: { type: 'text', text: '我也来' } } },
    { method: 'PATCH', path: `/api/conversations/${DM}/messages/${message.id}`, json: { text: '改' } },
    { method: 'POST', path: `/api/conversations/${DM}/messages/${message.id}/recall` },
    { method: 'GET', path: `/api/conversations/${DM}/messages/${message.id}/edits` },
    { method: 'POST', path: `/api/conversations/${DM}/read`, json: { seq: 1 } },
    { method: 'GET', path: `/api/conversations/${DM}/reads` },
    { method: 'POST', path: `/api/conversations/${DM}/files?name=b.txt`, body: Buffer.from('x') },
    { method: 'GET', path: `/api/conversations/${DM}/files/${file.sha256}` },
  ];

  it.each([
    ['a non-member of the same unit (zhao)', 'zhao', 403],
    ['someone of another unit (chen)', 'chen', 403],
    ['no token', null, 401],
  ] as const)('every conversation route refuses %s', async (_who, name, status) => {
    for (const route of routes()) {
      const response = await call<{ error: { code: string; message: string } }>(server.url, route.method, route.path, {
        ...(name ? { token: tokens[name]! } : {}),
        ...(route.json !== undefined ? { json: route.json } : {}),
        ...(route.body ? { body: route.body, headers: { 'content-type': 'application/octet-stream' } } : {}),
      });
      expect([route.method, route.path, response.status]).toEqual([route.method, route.path, status]);
      expect(response.body.error.message).toMatch(status === 401 ? /登录/ : /不是该会话的成员/);
    }
    // Nothing of theirs got in, and nothing leaked out.
    const history = await call<{ items: Message[] }>(server.url, 'GET', `/api/conversations/${DM}/messages?after=0`, { token: tokens.wang! });
    expect(history.body.items.map((m) => m.txnId)).toEqual(['sec-txn-0001']);
    expect(history.body.items[0]?.content).toEqual({ type: 'text', text: '只给王主任看', mentions: [] });
  });

  it('the list and presence routes need a token, and a stranger’s list has no one else’s conversations', async () => {
    expect((await call(server.url, 'GET', '/api/conversations')).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/conversations', { json: { kind: 'direct', userId: 'user-li' } })).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/messaging/presence?ids=user-li')).status).toBe(401);
    const chens = await call<{ items: { id: string }[] }>(server.url, 'GET', '/api/conversations', { token: tokens.chen! });
    expect(chens.body.items.map((c) => c.id).sort()).toEqual(['dept.dept-sfgw-bgs', 'unit.unit-sfgw']);
  });

  it('the chat socket: no token or a bad one is refused with 401', async () => {
    expect(await upgradeStatus(server.url, '')).toBe(401);
    expect(await upgradeStatus(server.url, '?token=forged.token.value')).toBe(401);
    expect(await upgradeStatus(server.url, `?token=${tokens.chen}`)).toBe(101);
  });

  it.each(['zhao', 'chen'])('every socket message naming the conversation is refused for %s, and nothing reaches them', async (name) => {
    const stranger = await openChat(server.url, tokens[name]!);
    const li = await openChat(server.url, tokens.li!);
    try {
      stranger.send({ type: 'send', conversationId: DM, txnId: `sock-${name}-stranger`, content: { type: 'text', text: '偷看' } });
      const refusedSend = await stranger.next(isType('error', (m) => m.txnId === `sock-${name}-stranger`));
      expect(refusedSend.error).toMatchObject({ code: 'forbidden', message: '你不是该会话的成员' });
      stranger.send({ type: 'read', conversationId: DM, seq: 1 });
      const refusedRead = await stranger.next(isType('error', (m) => m.txnId === undefined));
      expect(refusedRead.error.code).toBe('forbidden');
      // li writes; the stranger's socket receives nothing of it.
      li.send({ type: 'send', conversationId: DM, txnId: `sock-li-after-${name}`, content: { type: 'text', text: '新消息' } });
      await li.next(isType('ack'));
      stranger.send({ type: 'ping' });
      await stranger.next(isType('pong'));
      expect(stranger.received.filter((m) => m.type === 'message' || m.type === 'read' || m.type === 'update')).toEqual([]);
    } finally {
      await Promise.all([stranger.close(), li.close()]);
    }
  });

  it('a malformed or oversized socket message gets a clear error, the socket stays usable', async () => {
    const li = await openChat(server.url, tokens.li!);
    try {
      li.ws.send('not json');
      expect((await li.next(isType('error'))).error).toMatchObject({ code: 'invalid_input', message: '消息不是有效的 JSON' });
      li.send({ type: 'send', conversationId: DM, txnId: 'bad', content: { type: 'text', text: 'x' } });
      expect((await li.next(isType('error', (m) => m.txnId === 'bad'))).error.message).toContain('事务编号无效');
      li.send({ type: 'ping' });
      await li.next(isType('pong'));
      const closed = new Promise<number>((resolve) => li.ws.once('close', (code) => resolve(code)));
      li.ws.send('x'.repeat(70 * 1024));
      expect(await closed).toBe(1009);
    } finally {
      await li.close();
    }
  });
});
