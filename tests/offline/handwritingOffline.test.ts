/**
 * A handwritten opinion (手写签批) given offline: the strokes wait in the outbox with their action,
 * go out on reconnect, and the real server applies them exactly once.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpTransport } from '../../src/main/services/outbox/httpTransport';
import { createOfflineServices } from '../../src/main/services/sync/offlineServices';
import { OutboxEntrySchema } from '../../src/shared/api/offline.contract';
import type { InkDrawing } from '../../src/shared/domain/documents/opinion';
import { startProxy } from './helpers/proxy';
import { useDemoServer, waitFor } from './helpers/demoServer';

const demo = useDemoServer('xt-ink-server-');
const dirs = demo.dirs;

async function api<T>(path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${demo.server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const ink: InkDrawing = {
  width: 800,
  height: 400,
  strokes: [{ color: 'blue', size: 9, points: Array.from({ length: 25 }, (_, i) => [100 + i * 10, 200 - i * 3, 0.35 + i * 0.02, i * 12, 15, -8] as [number, number, number, number, number, number]) }],
};

describe('手写签批 offline', () => {
  it('queues the strokes with 同意, sends them on reconnect, and the server applies them once', async () => {
    const li = await api<{ token: string }>('/api/auth/login', null, { username: 'li', password: 'demo1234' });
    const wang = await api<{ token: string; user: { id: string } }>('/api/auth/login', null, { username: 'wang', password: 'demo1234' });
    const doc = await api<{ id: string }>('/api/documents', li.token, { kind: 'outgoing', title: '关于离线手写签批的通知' });
    await api(`/api/documents/${doc.id}/actions`, li.token, { action: 'submit', to: [wang.user.id] });

    const proxy = await startProxy(() => Number(new URL(demo.server.url).port));
    const dir = mkdtempSync(join(tmpdir(), 'xt-ink-client-'));
    dirs.push(dir);
    const desk = await createOfflineServices({
      userDataDir: dir,
      serverUrl: proxy.url,
      getToken: () => wang.token,
      currentUserId: () => wang.user.id,
      onSignedOut: () => undefined,
      backoff: { baseMs: 20, maxMs: 200 },
    });
    try {
      proxy.cut();
      const approve = await desk.outbox.enqueue({ type: 'document.action', documentId: doc.id, action: 'approve', opinion: { text: '同意', ink } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [pending] = await desk.outbox.list('pending');
      expect(pending?.clientId).toBe(approve.clientId);
      // What waits in the replica is the whole drawing, not just the text.
      expect(pending?.command).toMatchObject({ opinion: { text: '同意', ink } });
      // …and the outbox contract the window lists it through keeps the strokes too.
      expect(OutboxEntrySchema.parse(pending).command).toMatchObject({ opinion: { text: '同意', ink } });

      proxy.restore();
      await waitFor(async () => (await desk.outbox.list('pending')).length === 0, 'outbox drained');
      expect((await desk.outbox.list())[0]).toMatchObject({ clientId: approve.clientId, status: 'sent' });

      type View = { state: string; history: Array<{ action: string; opinion?: string; opinionInk?: InkDrawing }> };
      const approvals = async () => (await api<View>(`/api/documents/${doc.id}`, wang.token)).history.filter((h) => h.action === 'approve');
      expect(await approvals()).toEqual([expect.objectContaining({ opinion: '同意', opinionInk: ink })]);
      // Sent again with the same clientId (a lost answer): applied once all the same.
      const transport = createHttpTransport({ serverUrl: demo.server.url, getToken: () => wang.token, readBlob: () => Promise.resolve(null) });
      expect((await transport.send(approve.clientId, approve.command)).kind).toBe('applied');
      expect(await approvals()).toHaveLength(1);
    } finally {
      await desk.close();
      await proxy.close();
    }
  });
});
