/**
 * 语音签批 and 附件 through main's dispatcher (as the renderer reaches them) against a real sync
 * server this test stops and starts: wang keeps a recording and approves with it while the server
 * is down — both wait as 待发送 — and when it is back they go out once; zhao, on her own computer,
 * hears the recording and plays her copy while the server is down again; a 附件 added offline is
 * uploaded on reconnect, or its refusal kept with the server's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { DocumentCommand, LocalDocument, Result } from '../../src/shared/api';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

let root: string;
let server: RunningServer;
const closers: (() => Promise<void>)[] = [];

async function client(username: string) {
  const services = await createAppServices({ userDataDir: mkdtempSync(join(root, `client-${username}-`)), serverUrl: server.url, secrets: plainSecretBox, emit: () => undefined });
  closers.push(() => services.close());
  const call = <T>(channel: string, input: unknown) => services.dispatcher.dispatch(channel, input) as Promise<Result<T>>;
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await call<T>(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  await value('session:login', { username, password: 'demo1234' });
  return { call, value };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 150; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const startAt = (port: number) => startServer({ host: '127.0.0.1', port, demo: true, demoCertificates: false, log: silentLogger, dataDir: join(root, 'server') });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-voice-client-'));
  server = await startAt(0);
}, 60_000);
afterAll(async () => {
  for (const close of closers) await close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('语音签批 and 附件 offline, through main', () => {
  it('queues the recording before the step, sends both once on reconnect, and plays offline from the replica', async () => {
    const li = await client('li');
    const wang = await client('wang');
    const draft = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于离线语音签批的通知' });
    const id = draft.document.id;
    await wang.value('documents:get', { id }).catch(() => undefined);
    await li.value('documents:act', { id, action: 'submit', to: ['user-wang'] });
    await wang.value('documents:get', { id });
    await li.value('documents:get', { id });

    const audio = Buffer.from(Uint8Array.from({ length: 5_000 }, (_, i) => (i * 7) & 0xff));
    const digest = createHash('sha256').update(audio).digest('hex');
    const mimeType = 'audio/webm;codecs=opus';
    const file = Buffer.from('离线添加的附件内容', 'utf8');

    const port = server.port;
    await server.close();
    try {
      // A bad recording is refused before anything is kept.
      expect(await wang.call('voice:store', { documentId: id, base64: audio.toString('base64'), mimeType: 'audio/mpeg' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const kept = await wang.value<{ sha256: string }>('voice:store', { documentId: id, base64: audio.toString('base64'), mimeType });
      expect(kept.sha256).toBe(digest);
      const acted = await wang.value<{ command: DocumentCommand }>('documents:act', { id, action: 'approve', opinion: '同意', voice: { sha256: digest, durationMs: 2_000, mimeType } });
      expect(acted.command.status).toBe('pending');
      expect(acted.command.summary).toBe('同意：同意（附语音 0:02）');
      const waiting = await wang.value<{ items: DocumentCommand[] }>('outbox:list', { targetId: id });
      expect(waiting.items.map((c) => [c.summary, c.status]).sort()).toEqual([
        ['上传语音签批录音', 'pending'],
        ['同意：同意（附语音 0:02）', 'pending'],
      ]);
      // Playable offline from this computer's copy.
      const mine = await wang.value<{ base64: string; mimeType: string }>('voice:get', { documentId: id, sha256: digest });
      expect(Buffer.from(mine.base64, 'base64').equals(audio)).toBe(true);
      // A recording never kept here cannot be cited.
      expect(await wang.call('documents:act', { id, action: 'approve', voice: { sha256: 'e'.repeat(64), durationMs: 1_000, mimeType } })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: '录音不在本机，请重新录制' },
      });

      // li, offline too, tries to add a 附件 to the document wang now holds: it is queued (nothing
      // here can tell), and the server's refusal must come back with its reason, not vanish.
      const queued = await li.call<LocalDocument>('attachments:add', { documentId: id, name: '离线附件.txt', base64: file.toString('base64') });
      expect(queued.ok).toBe(true);
    } finally {
      server = await startAt(port);
    }

    const done = await until(
      () => wang.value<{ items: DocumentCommand[] }>('outbox:list', { targetId: id }),
      (r) => r.items.length === 2 && r.items.every((c) => c.status === 'sent'),
      'the recording and the step to be sent',
    );
    expect(done.items).toHaveLength(2);
    const after = await wang.value<LocalDocument>('documents:get', { id });
    expect(after.document.state).toBe('numbering');
    expect(after.document.history.filter((h) => h.opinionVoice)).toEqual([expect.objectContaining({ opinion: '同意', opinionVoice: { sha256: digest, durationMs: 2_000, mimeType } })]);

    // li's queued 附件 was refused by the server (she no longer holds the document), with its reason kept.
    const refused = await until(
      () => li.value<{ items: DocumentCommand[] }>('outbox:list', { targetId: id }),
      (r) => r.items.some((c) => c.kind === 'document.attachment' && c.status !== 'pending'),
      'li’s queued attachment to be decided',
    );
    const attachment = refused.items.find((c) => c.kind === 'document.attachment')!;
    expect(attachment).toMatchObject({ status: 'rejected', summary: '添加附件：离线附件.txt' });
    expect(attachment.reason).toMatch(/[\u4e00-\u9fff]/);

    // zhao hears it from the server (her computer never had it), and keeps a copy.
    const zhao = await client('zhao');
    const heard = await zhao.value<{ base64: string; mimeType: string }>('voice:get', { documentId: id, sha256: digest });
    expect(Buffer.from(heard.base64, 'base64').equals(audio)).toBe(true);
    expect(heard.mimeType).toBe(mimeType);
    // Someone of another unit hears nothing.
    const chen = await client('chen');
    expect(await chen.call('voice:get', { documentId: id, sha256: digest })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const port2 = server.port;
    await server.close();
    try {
      const again = await zhao.value<{ base64: string }>('voice:get', { documentId: id, sha256: digest });
      expect(Buffer.from(again.base64, 'base64').equals(audio)).toBe(true);
    } finally {
      server = await startAt(port2);
    }
  }, 120_000);

  it('uploads a 附件 added offline once the server is back', async () => {
    const li = await client('li');
    const draft = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于离线附件的通知' });
    const id = draft.document.id;
    await li.value('documents:get', { id });
    const file = Buffer.from('年度预算表（离线添加）', 'utf8');
    const digest = createHash('sha256').update(file).digest('hex');

    const port = server.port;
    await server.close();
    try {
      const added = await li.value<LocalDocument>('attachments:add', { documentId: id, name: '预算表.txt', base64: file.toString('base64') });
      expect(added.fromReplica).toBe(true);
      expect(added.commands.map((c) => [c.summary, c.status])).toEqual([['添加附件：预算表.txt', 'pending']]);
    } finally {
      server = await startAt(port);
    }
    const done = await until(
      () => li.value<LocalDocument>('documents:get', { id }),
      (d) => !d.fromReplica && d.document.fields.attachments.length > 0,
      'the queued attachment to be uploaded',
    );
    expect(done.document.fields.attachments).toEqual([{ name: '预算表.txt', sha256: digest }]);
    const read = await li.value<{ name: string; base64: string }>('attachments:get', { documentId: id, sha256: digest });
    expect(Buffer.from(read.base64, 'base64').equals(file)).toBe(true);
  }, 120_000);
});
