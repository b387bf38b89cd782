/**
 * Main's messaging service against a real server: two people's app services (each with its own
 * replica and outbox) talk; a message written while the server is gone goes out when it is back,
 * exactly once and in order; history comes from the replica; a day's 10,000 messages catch up fast.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { Result } from '../../src/shared/api';
import type { ChatHistory, ChatMessage } from '../../src/shared/api/messaging.contract';
import type { Conversation } from '../../src/shared/http/messaging';
import { call, login, startTestServer, type TestServer } from '../server/helpers';

const DM = 'dm.user-li.user-wang';

describe('the messaging client service', () => {
  let root: string;
  let server: TestServer;
  let port = 0;
  const opened: AppServices[] = [];
  const events: Record<string, { event: string; payload: unknown }[]> = {};

  async function client(username: string) {
    // This instance's events only: earlier instances of the same person stay open until the end.
    const mine: { event: string; payload: unknown }[] = [];
    events[username] = mine;
    const userDataDir = mkdtempSync(join(root, `client-${username}-`));
    const services = await createAppServices({
      userDataDir,
      serverUrl: server.url,
      secrets: plainSecretBox,
      emit: (event, payload) => mine.push({ event, payload }),
    });
    opened.push(services);
    const value = async <T>(channel: string, input: unknown): Promise<T> => {
      const result = (await services.dispatcher.dispatch(channel, input)) as Result<T>;
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value;
    };
    await value('session:login', { username, password: 'demo1234' });
    /** Reads this person's replica file directly (WAL: a second reader is fine). */
    const heldUpTo = (conversationId: string): number => {
      const db = new Database(join(userDataDir, 'users', `user-${username}`, 'replica', 'replica.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare<[string], { synced_seq: number }>('SELECT synced_seq FROM chat_conversations WHERE id = ?').get(conversationId)?.synced_seq ?? 0;
      } finally {
        db.close();
      }
    };
    return { value, services, heldUpTo, events: () => mine };
  }

  const texts = (history: ChatHistory): (string | null)[] => history.items.map((m) => (m.content?.type === 'text' ? m.content.text : null));

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'xt-msg-client-'));
    server = await startTestServer({ dataDir: join(root, 'server'), messagingLimits: { burst: 100, perSecond: 100 } });
    port = server.port;
  }, 60_000);
  afterAll(async () => {
    for (const services of opened) await services.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('li writes to 王建国; wang receives it in his replica, reads it, and li sees the mark', async () => {
    const li = await client('li');
    const wang = await client('wang');
    const conversation = await li.value<Conversation>('messaging:create', { kind: 'direct', userId: 'user-wang' });
    expect(conversation).toMatchObject({ id: DM, title: '王建国' });
    const pending = await li.value<ChatMessage>('messaging:post', { conversationId: DM, content: { type: 'text', text: '王主任，请审阅' } });
    expect(pending).toMatchObject({ status: 'pending', seq: null });
    await expect.poll(async () => texts(await wang.value<ChatHistory>('messaging:history', { conversationId: DM })), { timeout: 10_000 }).toEqual(['王主任，请审阅']);
    const list = await wang.value<{ items: Conversation[] }>('messaging:conversations', {});
    await expect.poll(async () => (await wang.value<{ items: Conversation[] }>('messaging:conversations', {})).items.find((c) => c.id === DM)?.unread, { timeout: 5000 }).toBe(1);
    expect(list.items.some((c) => c.kind === 'unit')).toBe(true);
    // A notification was asked of the (web) host for wang, not for li.
    expect(events.wang!.some((e) => e.event === 'messagingNotify')).toBe(true);
    expect(events.li!.some((e) => e.event === 'messagingNotify')).toBe(false);
    // With its parts, so the host words it in the person's language (the body stays zh-CN).
    expect(events.wang!.find((e) => e.event === 'messagingNotify')?.payload).toMatchObject({ body: '王主任，请审阅', content: { type: 'text', text: '王主任，请审阅' } });
    await wang.value('messaging:mark-read', { conversationId: DM, seq: 1 });
    await expect.poll(() => events.li!.some((e) => e.event === 'messagingRead' && (e.payload as { userId: string }).userId === 'user-wang'), { timeout: 5000 }).toBe(true);
    const reads = await li.value<{ items: { userId: string; readSeq: number }[] }>('messaging:reads', { conversationId: DM });
    expect(reads.items.find((r) => r.userId === 'user-wang')?.readSeq).toBe(1);
    await expect.poll(async () => (await li.value<ChatHistory>('messaging:history', { conversationId: DM })).items[0]?.status).toBe('sent');
  }, 30_000);

  it('written while the server is gone: pending, then sent once each and in order when it is back', async () => {
    const li = await client('li');
    const wang = await client('wang');
    await expect.poll(async () => (await li.value<ChatHistory>('messaging:history', { conversationId: DM })).items.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await server.close();
    await li.value('messaging:post', { conversationId: DM, content: { type: 'text', text: '离线第一条' } });
    await li.value('messaging:post', { conversationId: DM, content: { type: 'text', text: '离线第二条' } });
    const offline = await li.value<ChatHistory>('messaging:history', { conversationId: DM });
    expect(offline.items.slice(-2).map((m) => [m.status, m.seq])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);
    server = await startTestServer({ dataDir: join(root, 'server'), port, messagingLimits: { burst: 100, perSecond: 100 } });
    await expect.poll(async () => texts(await wang.value<ChatHistory>('messaging:history', { conversationId: DM })).slice(-2), { timeout: 30_000, interval: 250 }).toEqual(['离线第一条', '离线第二条']);
    const stored = await server.deps.db.all<{ seq: number; content: string }>("SELECT seq, content FROM chat_messages WHERE conversation_id = ? AND content LIKE '%离线%' ORDER BY seq", [DM]);
    expect(stored.map((r) => (JSON.parse(r.content) as { text: string }).text)).toEqual(['离线第一条', '离线第二条']);
    await expect.poll(async () => (await li.value<ChatHistory>('messaging:history', { conversationId: DM })).items.slice(-2).map((m) => m.status), { timeout: 10_000 }).toEqual(['sent', 'sent']);
    const liHistory = await li.value<ChatHistory>('messaging:history', { conversationId: DM });
    // Shown once each (the pending row became the stored message), in the server's order.
    expect(texts(liHistory).filter((t) => t?.startsWith('离线'))).toEqual(['离线第一条', '离线第二条']);
    expect(liHistory.items.map((m) => m.seq)).toEqual([...liHistory.items.map((m) => m.seq)].sort((a, b) => a! - b!));
  }, 60_000);

  it('a 5 MB file goes in chunks and arrives intact; over 50 MB and chunks out of order are refused with the reason', async () => {
    const li = await client('li');
    const wang = await client('wang');
    await li.value<Conversation>('messaging:create', { kind: 'direct', userId: 'user-wang' });
    const bytes = randomBytes(5 * 1024 * 1024);
    const begun = await li.value<{ uploadId: string; chunkBytes: number }>('messaging:upload-begin', { conversationId: DM, name: '汇报材料.bin', mimeType: 'application/octet-stream', size: bytes.length });
    const seen: number[] = [];
    for (let offset = 0; offset < bytes.length; offset += begun.chunkBytes) {
      const base64 = bytes.subarray(offset, offset + begun.chunkBytes).toString('base64');
      seen.push((await li.value<{ received: number }>('messaging:upload-chunk', { uploadId: begun.uploadId, offset, base64 })).received);
    }
    expect(seen).toHaveLength(Math.ceil(bytes.length / begun.chunkBytes));
    expect(seen.at(-1)).toBe(bytes.length);
    const message = await li.value<ChatMessage>('messaging:upload-finish', { uploadId: begun.uploadId });
    expect(message.content).toMatchObject({ type: 'file', file: { name: '汇报材料.bin', size: bytes.length } });
    // wang fetches it through his own client: the same bytes.
    await expect.poll(async () => (await wang.value<ChatHistory>('messaging:history', { conversationId: DM })).items.some((m) => m.content?.type === 'file' && m.content.file.name === '汇报材料.bin'), { timeout: 10_000 }).toBe(true);
    const file = message.content?.type === 'file' ? message.content.file : null;
    const received = await wang.value<{ name: string; base64: string }>('messaging:file', { conversationId: DM, sha256: file!.sha256 });
    expect(received.name).toBe('汇报材料.bin');
    expect(Buffer.from(received.base64, 'base64').equals(bytes)).toBe(true);

    // Too large: refused before any byte is sent.
    await expect(li.value('messaging:upload-begin', { conversationId: DM, name: '太大.bin', mimeType: 'application/octet-stream', size: 50 * 1024 * 1024 + 1 })).rejects.toThrow(/文件不能超过 50 MB/);
    // A chunk at the wrong place is refused, nothing is sent.
    const other = await li.value<{ uploadId: string }>('messaging:upload-begin', { conversationId: DM, name: 'x.bin', mimeType: 'application/octet-stream', size: 10 });
    await expect(li.value('messaging:upload-chunk', { uploadId: other.uploadId, offset: 5, base64: Buffer.from('abcde').toString('base64') })).rejects.toThrow(/分块位置错误/);
    await li.value('messaging:upload-chunk', { uploadId: other.uploadId, offset: 0, base64: Buffer.from('abcde').toString('base64') });
    await expect(li.value('messaging:upload-finish', { uploadId: other.uploadId })).rejects.toThrow(/文件不完整/);
    // Finished or failed, an upload is gone.
    await expect(li.value('messaging:upload-chunk', { uploadId: other.uploadId, offset: 5, base64: Buffer.from('fghij').toString('base64') })).rejects.toThrow(/上传已失效/);
  }, 60_000);

  it('免打扰 counts at once: a message arriving right after it is pressed is not notified', async () => {
    const li = await client('li');
    const wang = await client('wang');
    await li.value<Conversation>('messaging:create', { kind: 'direct', userId: 'user-wang' });
    const has = async (text: string) => texts(await wang.value<ChatHistory>('messaging:history', { conversationId: DM })).includes(text);
    // wang is connected once a message reaches him live.
    await li.value('messaging:post', { conversationId: DM, content: { type: 'text', text: '免打扰之前' } });
    await expect.poll(() => has('免打扰之前'), { timeout: 15_000 }).toBe(true);
    await wang.value('messaging:mute', { conversationId: DM, muted: true });
    await li.value('messaging:post', { conversationId: DM, content: { type: 'text', text: '免打扰之后' } });
    await expect.poll(() => has('免打扰之后'), { timeout: 15_000 }).toBe(true);
    const notified = events.wang!.filter((e) => e.event === 'messagingNotify').map((e) => (e.payload as { body: string }).body);
    expect(notified).toContain('免打扰之前');
    expect(notified).not.toContain('免打扰之后');
    await wang.value('messaging:mute', { conversationId: DM, muted: false });
  }, 30_000);

  it('免打扰 pressed on one of wang\'s devices counts on his other device too', async () => {
    const li = await client('li');
    const desk = await client('wang');
    const laptop = await client('wang');
    await li.value<Conversation>('messaging:create', { kind: 'direct', userId: 'user-wang' });
    const hasOn = async (device: typeof desk, text: string) => texts(await device.value<ChatHistory>('messaging:history', { conversationId: DM })).includes(text);
    await li.value('messaging:post', { conversationId: DM, content: { type: 'text', text: '两台设备之前' } });
    await expect.poll(() => hasOn(desk, '两台设备之前'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => hasOn(laptop, '两台设备之前'), { timeout: 15_000 }).toBe(true);
    await laptop.value('messaging:mute', { conversationId: DM, muted: true });
    // The desk learns of it from the server (it was never asked).
    const mutedOnDesk = async () => (await desk.value<{ items: Conversation[] }>('messaging:conversations', {})).items.find((c) => c.id === DM)?.muted;
    await expect.poll(mutedOnDesk, { timeout: 10_000 }).toBe(true);
    const before = desk.events().length;
    await li.value('messaging:post', { conversationId: DM, content: { type: 'text', text: '两台设备之后' } });
    await expect.poll(() => hasOn(desk, '两台设备之后'), { timeout: 15_000 }).toBe(true);
    expect(desk.events().slice(before).filter((e) => e.event === 'messagingNotify')).toEqual([]);
    await laptop.value('messaging:mute', { conversationId: DM, muted: false });
  }, 40_000);

  it('a day offline: 10,000 messages catch up into a new replica (goal under 3 s); history pages from the replica', async () => {
    // The server's store gets a day of a busy unit group, as sends would have left it.
    const unit = 'unit.unit-szfb';
    // zhao's first look creates his unit's group (over HTTP: no second client catching up meanwhile).
    expect((await call(server.url, 'GET', '/api/conversations', { token: await login(server.url, 'zhao') })).status).toBe(200);
    await expect.poll(async () => (await server.deps.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM chat_conversations WHERE id = ?', [unit]))?.n).toBe(1);
    const start = Date.now() - 86_400_000;
    await server.deps.db.transaction(async (tx) => {
      for (let i = 1; i <= 10_000; i++) {
        await tx.run('INSERT INTO chat_messages (id, conversation_id, seq, sender_id, txn_id, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          `day-${i}`,
          unit,
          i,
          'user-zhao',
          `day-txn-${i}`,
          JSON.stringify({ type: 'text', text: `第 ${i} 条通知：请各科室按时报送材料`, mentions: [] }),
          start + i * 8000,
        ]);
      }
      await tx.run('UPDATE chat_conversations SET last_seq = 10000, last_message_at = ? WHERE id = ?', [start + 80_000_000, unit]);
    });
    // A new replica: li signs in on a fresh install; the clock starts once she is signed in.
    const li = await client('li');
    const began = Date.now();
    // Done when the replica holds every message up to the last (not just the newest page).
    await expect.poll(() => li.heldUpTo(unit), { timeout: 20_000, interval: 50 }).toBe(10_000);
    const seconds = (Date.now() - began) / 1000;
    console.log(`catch-up of 10,000 messages after sign-in: ${seconds.toFixed(2)} s`);
    // The goal is under 3 s (see docs/messaging.md for the figures); the test fails only far beyond it
    // (a scan per message took minutes), not on the load of this 2-core machine shared with other builds.
    expect(seconds).toBeLessThan(10);
    // Found by search right after (indexing waits for an idle replica, and a search indexes what still waits).
    const found = await li.value<{ messages: { id: string }[] }>('offline:search', { query: '9999 条通知', limit: 5 });
    expect(found.messages.map((m) => m.id)).toEqual(['day-9999']);
    // Paging back is served by the replica (the server is not asked: stop it first).
    await server.close();
    const page = await li.value<ChatHistory>('messaging:history', { conversationId: unit, beforeSeq: 5001, limit: 50 });
    expect(page.items.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 4951 + i));
    expect(page.hasMore).toBe(true);
    server = await startTestServer({ dataDir: join(root, 'server'), port });
  }, 60_000);
});
