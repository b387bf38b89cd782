/**
 * Messaging on one real server (SQLite, demo organisation): conversations, the one order, txn-id
 * idempotency, edit and 撤回 within two minutes, read marks, files, unit and department groups,
 * limits, and delivery on the chat socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_TEXT_MAX, type Conversation, type Message } from '../../src/shared/http/messaging';
import { call, login, startTestServer, type TestServer } from '../server/helpers';
import { isType, openChat, upgradeStatus } from './helpers';

const LI = 'user-li';
const WANG = 'user-wang';
const ZHAO = 'user-zhao';
const DM = 'dm.user-li.user-wang';

describe('messaging on one server', () => {
  let server: TestServer;
  let clock = Date.parse('2026-12-01T09:00:00Z');
  const tokens: Record<string, string> = {};
  let txn = 0;
  const nextTxn = (): string => `txn-test-${++txn}`;

  beforeAll(async () => {
    server = await startTestServer({ now: () => clock, messagingLimits: { burst: 40, perSecond: 10 } });
    for (const name of ['li', 'wang', 'zhao', 'chen']) tokens[name] = await login(server.url, name);
  });
  afterAll(async () => {
    await server.stop();
  });

  const send = (who: string, conversationId: string, text: string, txnId = nextTxn()) =>
    call<Message>(server.url, 'POST', `/api/conversations/${conversationId}/messages`, { token: tokens[who]!, json: { txnId, content: { type: 'text', text } } });

  it('li starts a chat with 王建国; asking again (either of them) gives the same conversation', async () => {
    const first = await call<Conversation>(server.url, 'POST', '/api/conversations', { token: tokens.li!, json: { kind: 'direct', userId: WANG } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: DM, kind: 'direct', title: '王建国', memberIds: expect.arrayContaining([LI, WANG]) as unknown, lastSeq: 0, unread: 0 });
    const again = await call<Conversation>(server.url, 'POST', '/api/conversations', { token: tokens.wang!, json: { kind: 'direct', userId: LI } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: DM, title: '李文' });
  });

  it('messages get the conversation’s sequence; a repeated txn id is stored once and answers the first message', async () => {
    const a = await send('li', DM, '王主任，材料已发您');
    const b = await send('wang', DM, '收到');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.seq, b.body.seq]).toEqual([1, 2]);
    const repeat = await send('li', DM, '王主任，材料已发您', a.body.txnId);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(a.body);
    const history = await call<{ items: Message[]; lastSeq: number }>(server.url, 'GET', `/api/conversations/${DM}/messages?after=0`, { token: tokens.wang! });
    expect(history.body.lastSeq).toBe(2);
    expect(history.body.items.map((m) => m.content?.type === 'text' && m.content.text)).toEqual(['王主任，材料已发您', '收到']);
  });

  it('the list shows unread counts and the last message; read marks move forward only', async () => {
    await send('li', DM, '请尽快审阅');
    let wangsList = await call<{ items: Conversation[] }>(server.url, 'GET', '/api/conversations', { token: tokens.wang! });
    let dm = wangsList.body.items.find((c) => c.id === DM)!;
    // wang read up to his own reply (2); li's 3 is unread.
    expect(dm).toMatchObject({ readSeq: 2, unread: 1, lastSeq: 3, lastMessage: { seq: 3, senderId: LI } });
    expect((await call(server.url, 'POST', `/api/conversations/${DM}/read`, { token: tokens.wang!, json: { seq: 99 } })).body).toEqual({ readSeq: 3 });
    expect((await call(server.url, 'POST', `/api/conversations/${DM}/read`, { token: tokens.wang!, json: { seq: 1 } })).body).toEqual({ readSeq: 3 });
    wangsList = await call<{ items: Conversation[] }>(server.url, 'GET', '/api/conversations', { token: tokens.wang! });
    dm = wangsList.body.items.find((c) => c.id === DM)!;
    expect(dm).toMatchObject({ readSeq: 3, unread: 0 });
    const reads = await call<{ items: { userId: string; name: string; readSeq: number }[] }>(server.url, 'GET', `/api/conversations/${DM}/reads`, { token: tokens.li! });
    expect(reads.body.items).toEqual(expect.arrayContaining([{ userId: WANG, name: '王建国', readSeq: 3 }, { userId: LI, name: '李文', readSeq: 3 }]));
  });

  it('edit within 2 minutes keeps the replaced text; after 2 minutes it is refused', async () => {
    const sent = await send('li', DM, '明天上午开会');
    const edited = await call<Message>(server.url, 'PATCH', `/api/conversations/${DM}/messages/${sent.body.id}`, { token: tokens.li!, json: { text: '明天下午开会' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ seq: sent.body.seq, content: { type: 'text', text: '明天下午开会' }, editedAt: clock });
    const history = await call<{ items: { content: { text: string } }[] }>(server.url, 'GET', `/api/conversations/${DM}/messages/${sent.body.id}/edits`, { token: tokens.wang! });
    expect(history.body.items.map((e) => e.content.text)).toEqual(['明天上午开会']);
    const notMine = await call(server.url, 'PATCH', `/api/conversations/${DM}/messages/${sent.body.id}`, { token: tokens.wang!, json: { text: '改' } });
    expect(notMine.status).toBe(403);
    clock += 2 * 60 * 1000 + 1;
    const late = await call<{ error: { message: string } }>(server.url, 'PATCH', `/api/conversations/${DM}/messages/${sent.body.id}`, { token: tokens.li!, json: { text: '再改' } });
    expect(late.status).toBe(422);
    expect(late.body.error.message).toContain('2 分钟');
  });

  it('撤回 removes the content for everyone, keeps who and when, and keeps an audit copy with the edits', async () => {
    const sent = await send('li', DM, '发错了的内容');
    await call(server.url, 'PATCH', `/api/conversations/${DM}/messages/${sent.body.id}`, { token: tokens.li!, json: { text: '发错了的内容（改）' } });
    clock += 60_000;
    const recalled = await call<Message>(server.url, 'POST', `/api/conversations/${DM}/messages/${sent.body.id}/recall`, { token: tokens.li! });
    expect(recalled.status).toBe(200);
    expect(recalled.body).toMatchObject({ content: null, recalled: { by: LI, at: clock } });
    const seen = await call<{ items: Message[] }>(server.url, 'GET', `/api/conversations/${DM}/messages?after=${sent.body.seq - 1}`, { token: tokens.wang! });
    expect(seen.body.items[0]).toMatchObject({ id: sent.body.id, content: null, recalled: { by: LI } });
    expect(JSON.stringify(seen.body)).not.toContain('发错了');
    expect((await call<{ items: unknown[] }>(server.url, 'GET', `/api/conversations/${DM}/messages/${sent.body.id}/edits`, { token: tokens.wang! })).body.items).toEqual([]);
    const audit = await server.deps.db.get<{ content: string; edits: string; recalled_by: string }>('SELECT content, edits, recalled_by FROM chat_recall_audit WHERE message_id = ?', [sent.body.id]);
    expect(audit?.recalled_by).toBe(LI);
    expect(audit?.content).toContain('发错了的内容（改）');
    expect(audit?.edits).toContain('发错了的内容');
    expect((await call(server.url, 'POST', `/api/conversations/${DM}/messages/${sent.body.id}/recall`, { token: tokens.li! })).status).toBe(409);
    const old = await send('li', DM, '旧消息');
    clock += 2 * 60 * 1000 + 1;
    expect((await call(server.url, 'POST', `/api/conversations/${DM}/messages/${old.body.id}/recall`, { token: tokens.li! })).status).toBe(422);
  });

  it('files: uploaded to the conversation, sent by digest, read back byte-identical by members only', async () => {
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const upload = await call<{ sha256: string; size: number }>(server.url, 'POST', `/api/conversations/${DM}/files?name=${encodeURIComponent('会议纪要.pdf')}&type=application/pdf`, {
      token: tokens.li!,
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(upload.status).toBe(201);
    expect(upload.body.size).toBe(bytes.length);
    const message = await call<Message>(server.url, 'POST', `/api/conversations/${DM}/messages`, { token: tokens.li!, json: { txnId: nextTxn(), content: { type: 'file', file: { sha256: upload.body.sha256, name: '会议纪要.pdf', mimeType: 'application/pdf', size: bytes.length } } } });
    expect(message.status).toBe(201);
    const response = await fetch(`${server.url}/api/conversations/${DM}/files/${upload.body.sha256}`, { headers: { authorization: `Bearer ${tokens.wang}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('会议纪要.pdf'));
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    // A digest not uploaded to this conversation cannot be sent in it.
    const foreign = await call(server.url, 'POST', `/api/conversations/${DM}/messages`, { token: tokens.li!, json: { txnId: nextTxn(), content: { type: 'file', file: { sha256: 'a'.repeat(64), name: 'x', mimeType: 'text/plain', size: 1 } } } });
    expect(foreign.status).toBe(400);
  });

  it('a document card and @mentions of members are stored; a mention of a stranger is refused', async () => {
    const card = await call<Message>(server.url, 'POST', `/api/conversations/${DM}/messages`, { token: tokens.li!, json: { txnId: nextTxn(), content: { type: 'document', documentId: 'doc-1', title: '关于春节值班的通知' } } });
    expect(card.body.content).toEqual({ type: 'document', documentId: 'doc-1', title: '关于春节值班的通知' });
    const mention = await call<Message>(server.url, 'POST', `/api/conversations/${DM}/messages`, { token: tokens.li!, json: { txnId: nextTxn(), content: { type: 'text', text: '@王建国 请看', mentions: [WANG] } } });
    expect(mention.status).toBe(201);
    const stranger = await call<{ error: { message: string } }>(server.url, 'POST', `/api/conversations/${DM}/messages`, { token: tokens.li!, json: { txnId: nextTxn(), content: { type: 'text', text: '@陈静', mentions: ['user-chen'] } } });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.message).toContain('只能 @ 本会话的成员');
  });

  it('the unit and department groups exist for their people and follow the directory', async () => {
    const list = await call<{ items: Conversation[] }>(server.url, 'GET', '/api/conversations', { token: tokens.li! });
    const unit = list.body.items.find((c) => c.kind === 'unit')!;
    const dept = list.body.items.find((c) => c.kind === 'department')!;
    expect(unit).toMatchObject({ id: 'unit.unit-szfb', title: '市政府办公室' });
    expect(unit.memberIds).toEqual(expect.arrayContaining([LI, WANG, ZHAO]));
    expect(unit.memberIds).not.toContain('user-chen');
    expect(dept).toMatchObject({ id: 'dept.dept-szfb-mishu', memberIds: [LI] });
    // Zhao changes department: the 秘书科 group now has him, without any other step.
    await server.deps.db.run("UPDATE users SET department_id = 'dept-szfb-mishu' WHERE id = ?", [ZHAO]);
    const after = await call<Conversation>(server.url, 'GET', '/api/conversations/dept.dept-szfb-mishu', { token: tokens.li! });
    expect(after.body.memberIds).toEqual(expect.arrayContaining([LI, ZHAO]));
    await server.deps.db.run("UPDATE users SET department_id = 'dept-szfb-wendian' WHERE id = ?", [ZHAO]);
    expect((await call(server.url, 'GET', '/api/conversations/unit.unit-szfb', { token: tokens.chen! })).status).toBe(403);
    expect((await send('zhao', 'unit.unit-szfb', '各位，下午三点开会')).status).toBe(201);
  });

  it('a group chat: created once per client id, members may add people, strangers are refused', async () => {
    const request = { kind: 'group', title: '春节值班', memberIds: [WANG], clientId: 'grp-test-0001' };
    const made = await call<Conversation>(server.url, 'POST', '/api/conversations', { token: tokens.li!, json: request });
    expect(made.status).toBe(201);
    expect((await call(server.url, 'POST', '/api/conversations', { token: tokens.li!, json: request })).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/conversations', { token: tokens.wang!, json: request })).status).toBe(409);
    const added = await call<Conversation>(server.url, 'POST', `/api/conversations/${made.body.id}/members`, { token: tokens.wang!, json: { userIds: [ZHAO] } });
    expect(added.body.memberIds).toEqual([LI, WANG, ZHAO]);
    expect((await call(server.url, 'GET', `/api/conversations/${made.body.id}`, { token: tokens.chen! })).status).toBe(403);
    const unknown = await call(server.url, 'POST', '/api/conversations', { token: tokens.li!, json: { ...request, clientId: 'grp-test-0002', memberIds: ['user-nobody'] } });
    expect(unknown.status).toBe(400);
  });

  it('limits: an empty or too long text is 400 with the reason; sending too fast is 429 with the wait', async () => {
    const empty = await send('li', DM, '  ');
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('消息不能为空');
    const tooLong = await send('li', DM, '字'.repeat(MESSAGE_TEXT_MAX + 1));
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain(`不能超过 ${MESSAGE_TEXT_MAX} 字`);
    // 40 at once, then refused; the clock stands still so nothing refills.
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await send('wang', DM, `快速消息 ${i}`)).status);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(40);
    const refused = await send('wang', DM, '再来一条');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'too_many_requests', retryAfterSeconds: 1 } });
    expect(refused.headers.get('retry-after')).toBe('1');
    clock += 5_000;
    expect((await send('wang', DM, '过一会儿再发')).status).toBe(201);
  });

  it('the chat socket: sends are acked, stored before delivery, delivered to both devices once, in order', async () => {
    const li = await openChat(server.url, tokens.li!);
    const wangPhone = await openChat(server.url, tokens.wang!);
    const wangDesk = await openChat(server.url, tokens.wang!);
    try {
      const before = (await call<{ lastSeq: number }>(server.url, 'GET', `/api/conversations/${DM}/messages?after=0&limit=1`, { token: tokens.li! })).body.lastSeq;
      for (let i = 0; i < 5; i++) li.send({ type: 'send', conversationId: DM, txnId: `sock-${i}-abcdef`, content: { type: 'text', text: `第${i}条` } });
      li.send({ type: 'send', conversationId: DM, txnId: 'sock-0-abcdef', content: { type: 'text', text: '第0条' } }); // a resend
      const acks = await Promise.all([0, 1, 2, 3, 4].map((i) => li.next(isType('ack', (m) => m.txnId === `sock-${i}-abcdef`))));
      expect(acks.map((a) => a.message.seq)).toEqual([1, 2, 3, 4, 5].map((n) => before + n));
      for (const device of [wangPhone, wangDesk]) {
        await device.next(isType('message', (m) => m.message.txnId === 'sock-4-abcdef'));
        const texts = device.received.filter(isType('message')).map((m) => m.message.content?.type === 'text' && m.message.content.text);
        expect(texts).toEqual(['第0条', '第1条', '第2条', '第3条', '第4条']);
      }
      // Every delivered message is in the store already.
      const stored = await call<{ items: Message[] }>(server.url, 'GET', `/api/conversations/${DM}/messages?after=${before}`, { token: tokens.wang! });
      expect(stored.body.items.map((m) => m.txnId)).toEqual([0, 1, 2, 3, 4].map((i) => `sock-${i}-abcdef`));
      // Read marks reach the sender.
      wangDesk.send({ type: 'read', conversationId: DM, seq: before + 5 });
      const read = await li.next(isType('read', (m) => m.userId === WANG));
      expect(read.readSeq).toBe(before + 5);
    } finally {
      await Promise.all([li.close(), wangPhone.close(), wangDesk.close()]);
    }
  });

  it('presence follows connections: 在线, 离开, 离线', async () => {
    const zhao = await openChat(server.url, tokens.zhao!);
    const li = await openChat(server.url, tokens.li!);
    try {
      const state = async () => (await call<{ items: { state: string }[] }>(server.url, 'GET', `/api/messaging/presence?ids=${LI}`, { token: tokens.zhao! })).body.items[0]!.state;
      expect(await state()).toBe('online');
      li.send({ type: 'presence', state: 'away' });
      await zhao.next(isType('presence', (m) => m.userId === LI && m.state === 'away'));
      expect(await state()).toBe('away');
      await li.close();
      await zhao.next(isType('presence', (m) => m.userId === LI && m.state === 'offline'));
      expect(await state()).toBe('offline');
    } finally {
      await Promise.all([zhao.close(), li.close()]);
    }
  });

  it('a token that stops counting (account disabled) closes its chat socket (4401) at its next message', async () => {
    const token = await login(server.url, 'zhao');
    const zhao = await openChat(server.url, token);
    await server.deps.accounts.setDisabled('zhao', true);
    clock += 3_000;
    const closed = new Promise<number>((resolve) => zhao.ws.once('close', (code) => resolve(code)));
    zhao.send({ type: 'ping' });
    expect(await closed).toBe(4401);
    expect(await upgradeStatus(server.url, `?token=${token}`)).toBe(401);
  });
});
