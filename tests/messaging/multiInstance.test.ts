/**
 * Two server instances sharing only PostgreSQL and Redis: members connected to different instances
 * talk to each other, every message is stored once however often it is resent (to either
 * instance), and every device sees one order — the conversation's sequence, without gaps.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatServerMessage, Message } from '../../src/shared/http/messaging';
import { call, login, pgSchema, REDIS_URL, startTestServer, type TestServer } from '../server/helpers';
import { isType, openChat, type ChatClient } from './helpers';

const DM = 'dm.user-li.user-wang';
const UNIT = 'unit.unit-szfb';

describe('messaging across two instances on PostgreSQL and Redis', () => {
  const schema = pgSchema();
  const prefix = `xietong-msg-test-${randomBytes(4).toString('hex')}:`;
  let first: TestServer;
  let second: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const limits = { messagingLimits: { burst: 1000, perSecond: 1000 } };
    first = await startTestServer({ postgresUrl: schema.url, redisUrl: REDIS_URL, redisPrefix: prefix, ...limits });
    second = await startTestServer({ postgresUrl: schema.url, redisUrl: REDIS_URL, redisPrefix: prefix, ...limits });
    for (const name of ['li', 'wang', 'zhao']) tokens[name] = await login(first.url, name);
    await call(first.url, 'POST', '/api/conversations', { token: tokens.li!, json: { kind: 'direct', userId: 'user-wang' } });
  }, 30_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await schema.drop();
  });

  const messagesOf = (client: ChatClient, conversationId: string): Message[] =>
    client.received.filter((m): m is Extract<ChatServerMessage, { type: 'message' }> => m.type === 'message' && m.message.conversationId === conversationId).map((m) => m.message);

  it('li on instance 1 and wang on instance 2 talk; each message arrives once', async () => {
    const li = await openChat(first.url, tokens.li!);
    const wang = await openChat(second.url, tokens.wang!);
    try {
      li.send({ type: 'send', conversationId: DM, txnId: 'cross-li-0001', content: { type: 'text', text: '王主任好' } });
      const got = await wang.next(isType('message', (m) => m.message.txnId === 'cross-li-0001'));
      wang.send({ type: 'read', conversationId: DM, seq: got.message.seq });
      expect((await li.next(isType('read', (m) => m.userId === 'user-wang'))).readSeq).toBe(got.message.seq);
      wang.send({ type: 'send', conversationId: DM, txnId: 'cross-wang-0001', content: { type: 'text', text: '你好' } });
      const reply = await li.next(isType('message', (m) => m.message.txnId === 'cross-wang-0001'));
      expect(reply.message.seq).toBe(got.message.seq + 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(messagesOf(wang, DM).filter((m) => m.txnId === 'cross-li-0001')).toHaveLength(1);
    } finally {
      await Promise.all([li.close(), wang.close()]);
    }
  });

  it('three people on two instances write at once, resending to both: stored once each, one gapless order everywhere', async () => {
    const writers = [
      { name: 'li', server: first },
      { name: 'wang', server: second },
      { name: 'zhao', server: first },
    ];
    const sockets = await Promise.all(writers.map((w) => openChat(w.server.url, tokens[w.name]!)));
    const readers = await Promise.all([openChat(first.url, tokens.wang!), openChat(second.url, tokens.li!)]);
    const perWriter = 40;
    try {
      const start = (await call<{ lastSeq: number }>(first.url, 'GET', `/api/conversations/${UNIT}/messages?limit=1`, { token: tokens.li! })).body.lastSeq;
      // Each writer sends on its socket and, like a client reconnecting to another instance before
      // its acks arrived, repeats every fifth message over HTTP to the *other* instance meanwhile.
      const work = writers.map(async (writer, w) => {
        const other = writer.server === first ? second : first;
        const txn = (i: number): string => `multi-${writer.name}-${String(i).padStart(3, '0')}`;
        const content = (i: number) => ({ type: 'text' as const, text: `${writer.name} ${i}` });
        for (let i = 0; i < perWriter; i++) sockets[w]!.send({ type: 'send', conversationId: UNIT, txnId: txn(i), content: content(i) });
        // zhao does not repeat: his messages must keep the order his one socket wrote them in.
        for (let i = 0; writer.name !== 'zhao' && i < perWriter; i += 5) {
          const repeat = await call(other.url, 'POST', `/api/conversations/${UNIT}/messages`, { token: tokens[writer.name]!, json: { txnId: txn(i), content: content(i) } });
          expect([200, 201]).toContain(repeat.status);
        }
      });
      await Promise.all(work);
      const total = writers.length * perWriter;
      const stored = await call<{ items: Message[]; lastSeq: number }>(second.url, 'GET', `/api/conversations/${UNIT}/messages?after=${start}&limit=1000`, { token: tokens.zhao! });
      await expect.poll(async () => (await call<{ lastSeq: number }>(first.url, 'GET', `/api/conversations/${UNIT}/messages?limit=1`, { token: tokens.li! })).body.lastSeq, { timeout: 10_000 }).toBe(start + total);
      const all = (await call<{ items: Message[] }>(second.url, 'GET', `/api/conversations/${UNIT}/messages?after=${start}&limit=1000`, { token: tokens.zhao! })).body.items;
      expect(stored.status).toBe(200);
      // Exactly once: every txn id once, and the sequence has no gaps or repeats.
      expect(all).toHaveLength(total);
      expect(new Set(all.map((m) => `${m.senderId}/${m.txnId}`)).size).toBe(total);
      expect(all.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => start + i + 1));
      // One socket's messages keep the order they were written in. (A repeat racing its original on
      // another instance may be stored first: then the repeat is the one copy.)
      const zhaos = all.filter((m) => m.txnId.startsWith('multi-zhao-')).map((m) => m.txnId);
      expect(zhaos).toEqual([...zhaos].sort());
      // Every connected device (on either instance) received each message once; sorted by seq they show the same order.
      for (const device of [...sockets, ...readers]) {
        await expect.poll(() => messagesOf(device, UNIT).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(total);
        const got = messagesOf(device, UNIT);
        expect(got).toHaveLength(total);
        expect([...got].sort((a, b) => a.seq - b.seq).map((m) => m.id)).toEqual(all.map((m) => m.id));
      }
    } finally {
      await Promise.all([...sockets, ...readers].map((s) => s.close()));
    }
  }, 60_000);

  it('presence crosses instances', async () => {
    const zhao = await openChat(first.url, tokens.zhao!);
    try {
      const li = await openChat(second.url, tokens.li!);
      await zhao.next(isType('presence', (m) => m.userId === 'user-li' && m.state === 'online'));
      await expect.poll(async () => (await call<{ items: { state: string }[] }>(first.url, 'GET', '/api/messaging/presence?ids=user-li', { token: tokens.zhao! })).body.items[0]?.state).toBe('online');
      await li.close();
      await zhao.next(isType('presence', (m) => m.userId === 'user-li' && m.state === 'offline'));
    } finally {
      await zhao.close();
    }
  });
});
