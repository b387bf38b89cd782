/**
 * Blobs through the outbox against the real sync server: a 附件 and a 语音签批 recording queued while
 * the client is cut off go out on reconnect before the steps that need them, each applied once; the
 * recording stays in the replica after sending (流转记录 plays it offline); and a client killed
 * after the server got an upload but before it recorded the answer sends it again harmlessly.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfflineServices, type OfflineServices } from '../../src/main/services/sync/offlineServices';
import { createHttpTransport } from '../../src/main/services/outbox/httpTransport';
import type { DocumentView } from '../../src/shared/http/documents';
import { startProxy, type CuttableProxy } from './helpers/proxy';
import { useDemoServer, waitFor as waitUpTo } from './helpers/demoServer';
import { decodeReason } from '../../src/shared/errors';

const demo = useDemoServer('xt-blob-server-');
const dirs = demo.dirs;
// At most 15 s: uploads with the proxy cut and restored take longer than the default.
const waitFor = (check: () => boolean | Promise<boolean>, what: string) => waitUpTo(check, what, 1500);


async function api<T>(path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${demo.server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
const login = (username: string) => api<{ token: string; user: { id: string } }>('/api/auth/login', null, { username, password: 'demo1234' });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function clientAt(dir: string, token: string, userId: string, serverUrl: string): Promise<OfflineServices> {
  return createOfflineServices({ userDataDir: dir, serverUrl, getToken: () => token, currentUserId: () => userId, onSignedOut: () => undefined, backoff: { baseMs: 20, maxMs: 200 } });
}
function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xt-blob-client-'));
  dirs.push(dir);
  return dir;
}

/** Bytes that stand for an Opus recording (the server stores, never decodes, them). */
const recording = (seed: number) => Uint8Array.from({ length: 6_000 }, (_, i) => (i * 13 + seed) & 0xff);

describe('blob uploads in the outbox, with the real sync server', () => {
  it('an attachment and a voice note queued offline go out once, in order, before the steps that need them', async () => {
    const li = await login('li');
    const wang = await login('wang');
    const doc = await api<DocumentView>('/api/documents', li.token, { kind: 'outgoing', title: '关于离线附件与语音签批的通知' });
    const proxy: CuttableProxy = await startProxy(() => Number(new URL(demo.server.url).port));
    const liClient = await clientAt(newDir(), li.token, li.user.id, proxy.url);
    const wangClient = await clientAt(newDir(), wang.token, wang.user.id, proxy.url);
    try {
      proxy.cut();
      // li, offline: a 附件, then 提交 to wang.
      const file = new TextEncoder().encode('预算表：第一季度 120 万元\n');
      const fileSha = await liClient.replica.putBlob(file, 'application/octet-stream');
      const attach = await liClient.outbox.enqueue({ type: 'document.attachment', documentId: doc.id, sha256: fileSha, name: '附件1：预算表.csv' });
      const submit = await liClient.outbox.enqueue({ type: 'document.action', documentId: doc.id, action: 'submit', to: [wang.user.id] });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await liClient.outbox.list('pending')).sort((a, b) => a.seq - b.seq).map((e) => e.clientId)).toEqual([attach.clientId, submit.clientId]);

      proxy.restore();
      await liClient.outbox.resume();
      await waitFor(async () => (await liClient.outbox.list('pending')).length === 0, 'li outbox drained');
      expect((await liClient.outbox.list()).sort((a, b) => a.seq - b.seq).map((e) => [e.clientId, e.status])).toEqual([
        [attach.clientId, 'sent'],
        [submit.clientId, 'sent'],
      ]);
      let view = await api<DocumentView>(`/api/documents/${doc.id}`, wang.token);
      expect(view.state).toBe('signoff');
      expect(view.fields.attachments).toEqual([{ name: '附件1：预算表.csv', sha256: fileSha }]);
      // The attachment went up before 提交 (the text may change only until then).
      const trail = await api<{ entries: { action: string }[] }>(`/api/documents/${doc.id}/audit`, wang.token);
      expect(trail.entries.map((e) => e.action)).toEqual(['create', 'attachment.add', 'submit']);

      // wang, offline: a recording and 同意 citing it.
      proxy.cut();
      const audio = recording(1);
      const audioSha = await wangClient.replica.putBlob(audio, 'audio/webm;codecs=opus');
      const voice = { sha256: audioSha, durationMs: 2_300, mimeType: 'audio/webm;codecs=opus' };
      const upload = await wangClient.outbox.enqueue({ type: 'document.voice', documentId: doc.id, sha256: audioSha, mimeType: voice.mimeType });
      const approve = await wangClient.outbox.enqueue({ type: 'document.action', documentId: doc.id, action: 'approve', opinion: { text: '同意', voice } });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await wangClient.outbox.list('pending')).sort((a, b) => a.seq - b.seq).map((e) => e.clientId)).toEqual([upload.clientId, approve.clientId]);

      proxy.restore();
      await wangClient.outbox.resume();
      await waitFor(async () => (await wangClient.outbox.list('pending')).length === 0, 'wang outbox drained');
      expect((await wangClient.outbox.list()).sort((a, b) => a.seq - b.seq).map((e) => e.status)).toEqual(['sent', 'sent']);
      view = await api<DocumentView>(`/api/documents/${doc.id}`, li.token);
      expect(view.state).toBe('numbering');
      expect(view.history.filter((h) => h.opinionVoice)).toEqual([expect.objectContaining({ action: 'approve', opinion: '同意', opinionVoice: voice })]);
      // li, a reader, hears exactly what wang recorded.
      const heard = await fetch(`${demo.server.url}/api/documents/${doc.id}/voice/${audioSha}`, { headers: { authorization: `Bearer ${li.token}` } });
      expect(sha(new Uint8Array(await heard.arrayBuffer()))).toBe(audioSha);
      // wang's replica keeps its copy after sending, for 流转记录 offline.
      expect(sha((await wangClient.replica.getBlob(audioSha))!.data)).toBe(audioSha);
    } finally {
      await liClient.close();
      await wangClient.close();
      await proxy.close();
    }
  }, 60_000);

  it('a client killed after the server took an upload, but before it recorded the answer, sends it again without a second copy', async () => {
    const li = await login('li');
    const wang = await login('wang');
    const doc = await api<DocumentView>('/api/documents', li.token, { kind: 'outgoing', title: '关于重发附件的通知' });
    const proxy: CuttableProxy = await startProxy(() => Number(new URL(demo.server.url).port));
    const dir = newDir();
    let first: OfflineServices | null = await clientAt(dir, li.token, li.user.id, proxy.url);
    try {
      proxy.cut();
      const file = new TextEncoder().encode('重发测试的附件内容');
      const fileSha = await first.replica.putBlob(file, 'application/octet-stream');
      const attach = await first.outbox.enqueue({ type: 'document.attachment', documentId: doc.id, sha256: fileSha, name: '附件.txt' });
      const submit = await first.outbox.enqueue({ type: 'document.action', documentId: doc.id, action: 'submit', to: [wang.user.id] });
      await first.close();
      first = null;

      // What the killed process managed to send: the upload reached the server, the answer was lost.
      const transport = createHttpTransport({ serverUrl: demo.server.url, getToken: () => li.token, readBlob: () => Promise.resolve(file) });
      expect((await transport.send(attach.clientId, attach.command)).kind).toBe('applied');

      // The next start finds both still 待发送 and sends them in order; the upload is a repeat.
      proxy.restore();
      const second = await clientAt(dir, li.token, li.user.id, proxy.url);
      try {
        await second.outbox.resume();
        await waitFor(async () => (await second.outbox.list('pending')).length === 0, 'outbox drained after restart');
        expect((await second.outbox.list()).sort((a, b) => a.seq - b.seq).map((e) => [e.clientId, e.status])).toEqual([
          [attach.clientId, 'sent'],
          [submit.clientId, 'sent'],
        ]);
      } finally {
        await second.close();
      }
      const view = await api<DocumentView>(`/api/documents/${doc.id}`, li.token);
      expect(view.fields.attachments).toEqual([{ name: '附件.txt', sha256: fileSha }]);
      const trail = await api<{ entries: { action: string }[] }>(`/api/documents/${doc.id}/audit`, li.token);
      expect(trail.entries.map((e) => e.action)).toEqual(['create', 'attachment.add', 'submit']);

      // A voice upload resent after its action went through is answered as a success too (by digest).
      const audio = recording(2);
      const audioSha = sha(audio);
      const voiceTransport = createHttpTransport({ serverUrl: demo.server.url, getToken: () => wang.token, readBlob: () => Promise.resolve(audio) });
      const upload = { type: 'document.voice' as const, documentId: doc.id, sha256: audioSha, mimeType: 'audio/webm;codecs=opus' };
      expect((await voiceTransport.send('2f9c1d8e-4b7a-4c1e-9a55-0d5e3c7b9f10', upload)).kind).toBe('applied');
      await api(`/api/documents/${doc.id}/actions`, wang.token, { action: 'approve', opinion: { voice: { sha256: audioSha, durationMs: 1_500, mimeType: upload.mimeType } } });
      expect((await voiceTransport.send('2f9c1d8e-4b7a-4c1e-9a55-0d5e3c7b9f10', upload)).kind).toBe('applied');
      // A recording gone from the replica is refused with a reason, never dropped silently.
      const lost = createHttpTransport({ serverUrl: demo.server.url, getToken: () => wang.token, readBlob: () => Promise.resolve(null) });
      const refused = await lost.send('8a1f0e2c-3b4d-4e5f-8a6b-7c8d9e0f1a2b', upload);
      expect(refused.kind).toBe('rejected');
      // Stored with its key, so the window words it in the person's language.
      expect(refused.kind === 'rejected' && decodeReason(refused.reason)).toEqual({ key: 'outbox.voiceMissing', message: '语音签批的录音在本地已不存在，无法上传' });
    } finally {
      await first?.close();
      await proxy.close();
    }
  }, 60_000);
});
