import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReplica, type Replica } from '../../src/main/services/replica/replica';
import { Outbox } from '../../src/main/services/outbox/outbox';
import { createHttpTransport } from '../../src/main/services/outbox/httpTransport';
import type { OutboxEntry } from '../../src/shared/api/offline.contract';
import { startTestServer, type TestServer } from './helpers/testServer';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const waitFor = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 500; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

async function setup(token = 'token-ok') {
  const dir = mkdtempSync(join(tmpdir(), 'xt-outbox-'));
  const replica: Replica = await openReplica({ dir });
  const changes: OutboxEntry[] = [];
  const reachability: boolean[] = [];
  const signedOut: string[] = [];
  let currentToken = token;
  const outbox = new Outbox({
    replica,
    transport: createHttpTransport({ serverUrl: server.url, getToken: () => currentToken, readBlob: async (sha) => (await replica.getBlob(sha))?.data ?? null }),
    currentUserId: () => 'li',
    onChange: (entry) => changes.push(entry),
    onReachability: (up) => reachability.push(up),
    onUnauthenticated: (reason) => signedOut.push(reason),
    retry: { baseMs: 10, maxMs: 50 },
  });
  const cleanup = async () => {
    await outbox.close();
    await replica.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, replica, outbox, changes, reachability, signedOut, setToken: (t: string) => (currentToken = t), cleanup };
}

describe('outbox', () => {
  it('sends commands in order with their clientId and records 已发送 / 被拒绝 with the server reason', async () => {
    const { outbox, changes, cleanup } = await setup();
    try {
      const first = await outbox.enqueue({ type: 'document.action', documentId: 'o1', action: 'submit', opinion: { text: '请审核' } });
      expect(first.status).toBe('pending');
      await outbox.enqueue({ type: 'document.action', documentId: 'o1', action: 'forbidden' });
      await outbox.enqueue({ type: 'message.send', conversation: 'c9', text: '已提交' });
      await outbox.enqueue({ type: 'exchange.action', exchangeId: 'e1', action: 'receive' });
      await outbox.flush();
      await waitFor(async () => (await outbox.list('pending')).length === 0, 'queue drained');
      const all = await outbox.list();
      expect(all.map((e) => e.status).reverse()).toEqual(['sent', 'rejected', 'sent', 'sent']);
      expect(all.find((e) => e.status === 'rejected')?.reason).toBe('您无权执行此操作');
      const mine = server.applied.filter((a) => all.some((e) => e.clientId === a.clientId));
      expect(mine.map((a) => a.route)).toEqual(['documents/o1/actions', 'conversations/c9/messages', 'exchange/e1/actions']);
      expect(mine[0]!.body).toMatchObject({ action: 'submit', opinion: { text: '请审核' }, clientId: first.clientId });
      expect(changes.some((c) => c.clientId === first.clientId && c.status === 'sent')).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('keeps commands 待发送 while the server is down and sends each once when it returns', async () => {
    const { outbox, reachability, cleanup } = await setup();
    try {
      await server.stop();
      const queued: OutboxEntry[] = [];
      for (let i = 0; i < 5; i += 1) queued.push(await outbox.enqueue({ type: 'document.action', documentId: 'o2', action: 'approve', reason: `第${i}条` }));
      await outbox.flush();
      expect((await outbox.list('pending')).length).toBe(5);
      expect(reachability).toContain(false);
      const head = (await outbox.list('pending')).at(-1)!;
      expect(head.attempts).toBeGreaterThan(0);
      expect(head.reason).toMatch(/无法连接服务器/);
      await server.start();
      await outbox.resume();
      await waitFor(async () => (await outbox.list('pending')).length === 0, 'queue drained after restart');
      const applied = server.applied.filter((a) => queued.some((q) => q.clientId === a.clientId));
      expect(applied.map((a) => (a.body as { reason: string }).reason)).toEqual(['第0条', '第1条', '第2条', '第3条', '第4条']);
      expect(reachability.at(-1)).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('retries by itself with backoff when the server answers 503, and applies a resent clientId once', async () => {
    const { outbox, cleanup } = await setup();
    try {
      server.failing = true;
      const entry = await outbox.enqueue({ type: 'document.action', documentId: 'o3', action: 'approve' });
      await waitFor(async () => ((await outbox.list('pending'))[0]?.attempts ?? 0) >= 2, 'two failed attempts');
      server.failing = false;
      await waitFor(async () => (await outbox.list('pending')).length === 0, 'sent after recovery');
      // A second client process re-sending the same command (e.g. after a crash) is not applied twice.
      const again = await outbox.enqueue({ type: 'document.action', documentId: 'o3', action: 'approve' }, entry.clientId);
      expect(again.status).toBe('sent');
      const transport = createHttpTransport({ serverUrl: server.url, getToken: () => 'token-ok', readBlob: () => Promise.resolve(null) });
      expect((await transport.send(entry.clientId, entry.command)).kind).toBe('applied');
      expect(server.applied.filter((a) => a.clientId === entry.clientId)).toHaveLength(1);
    } finally {
      server.failing = false;
      await cleanup();
    }
  });

  it('pauses on an expired token and tells the session, then continues after sign-in', async () => {
    const { outbox, signedOut, setToken, cleanup } = await setup('expired');
    try {
      const entry = await outbox.enqueue({ type: 'document.action', documentId: 'o4', action: 'approve' });
      await waitFor(() => signedOut.length > 0, 'signed-out notice');
      expect(signedOut[0]).toBe('登录已过期');
      expect((await outbox.list('pending')).map((e) => e.clientId)).toEqual([entry.clientId]);
      setToken('token-ok');
      await outbox.resume();
      expect((await outbox.list('sent')).map((e) => e.clientId)).toEqual([entry.clientId]);
    } finally {
      await cleanup();
    }
  });

  it('uploads a signed PDF from the blob store and rejects one whose file is gone', async () => {
    const { outbox, replica, cleanup } = await setup();
    try {
      const sha = await replica.putBlob(new TextEncoder().encode('%PDF-1.7 signed'), 'application/pdf');
      await outbox.enqueue({ type: 'document.signedPdf', documentId: 'o5', pdfSha256: sha });
      await outbox.enqueue({ type: 'document.signedPdf', documentId: 'o5', pdfSha256: 'f'.repeat(64) });
      await waitFor(async () => (await outbox.list('pending')).length === 0, 'uploads settled');
      const [missing, uploaded] = await outbox.list();
      expect(uploaded?.status).toBe('sent');
      expect(missing).toMatchObject({ status: 'rejected', reason: '签章后的文件在本地已不存在，无法上传' });
      expect(server.applied.find((a) => a.clientId === uploaded?.clientId)?.body).toEqual({ bytes: 15 });
    } finally {
      await cleanup();
    }
  });

  it('records the outcome even when nobody listens for changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xt-outbox-quiet-'));
    const replica = await openReplica({ dir });
    const outbox = new Outbox({
      replica,
      transport: createHttpTransport({ serverUrl: server.url, getToken: () => 'token-ok', readBlob: () => Promise.resolve(null) }),
      currentUserId: () => 'li',
    });
    try {
      await outbox.enqueue({ type: 'document.action', documentId: 'o6', action: 'approve' });
      await waitFor(async () => (await outbox.list('pending')).length === 0, 'sent without a listener');
      expect((await outbox.list())[0]?.status).toBe('sent');
    } finally {
      await outbox.close();
      await replica.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
