/**
 * A file sent in chunks waits on disk, not in main's memory, and goes to the server a piece at a
 * time: the transport here is an injected `fetch` that reads the request body slowly and counts how
 * far the reader of the spool ran ahead of it. A connection lost midway, a page that stops sending
 * and a process killed mid-upload each end cleanly: a clear message, no message queued, no file left.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileUploadSpool, createMessagingService, type MessagingService, type UploadSpool } from '../../src/main/services/messaging';
import { createServerClient } from '../../src/main/services/serverClient';
import type { OfflineServices } from '../../src/main/services/sync/offlineServices';
import type { OutboxCommand, OutboxEntry } from '../../src/shared/api/offline.contract';
import { UPLOAD_CHUNK_BYTES } from '../../src/shared/api/messaging.contract';

const CONVERSATION = 'dm.user-li.user-wang';

/** A loopback port nobody listens on (the chat socket of the service just fails to connect there). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

/** The spool, counting the bytes read back from disk (what main holds is read minus sent). */
function countingSpool(inner: UploadSpool): UploadSpool & { read: UploadSpool['read']; bytesRead: () => number } {
  let bytesRead = 0;
  return {
    ...inner,
    async *read(uploadId, pieceBytes) {
      for await (const piece of inner.read(uploadId, pieceBytes)) {
        bytesRead += piece.byteLength;
        yield piece;
      }
    },
    bytesRead: () => bytesRead,
  };
}

/** Lets every other pending task run (an eager reader would read ahead now). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('chunked uploads stream from a spool on disk', () => {
  let root: string;
  let spoolDir: string;
  let service: MessagingService | null = null;
  let queued: OutboxCommand[];

  async function start(fetchImpl: typeof fetch, spool: UploadSpool, uploadIdleMs?: number): Promise<MessagingService> {
    const port = await closedPort();
    queued = [];
    const outbox = {
      enqueue: (command: OutboxCommand, clientId: string): Promise<OutboxEntry> => {
        queued.push(command);
        return Promise.resolve({ seq: queued.length, clientId, command, status: 'pending', reason: null, attempts: 0, createdAt: Date.now(), updatedAt: Date.now() });
      },
      flush: () => Promise.resolve(),
    };
    service = createMessagingService({
      serverClient: createServerClient(`http://127.0.0.1:${port}`),
      session: {
        token: () => 'token-li',
        current: () => ({ user: { id: 'user-li' } }),
        reportUnauthorized: () => undefined,
        onSessionChange: () => () => undefined,
      },
      // Only the outbox is used by uploads; the rest of the offline services is not reached here.
      offline: { current: () => ({ outbox }) as unknown as OfflineServices, ready: () => Promise.resolve(), connection: { reportFailure: () => undefined } },
      emit: () => undefined,
      reconnect: { minMs: 60_000, maxMs: 60_000 },
      fetch: fetchImpl,
      uploadSpool: spool,
      ...(uploadIdleMs !== undefined ? { uploadIdleMs } : {}),
    });
    return service;
  }

  /** Hands a file to the service the way the renderer does: begin, chunks in order. */
  async function sendChunks(messaging: MessagingService, bytes: Buffer, afterChunk?: (received: number) => void): Promise<string> {
    const begun = await messaging.handlers.uploadBegin({ conversationId: CONVERSATION, name: '年度报告.pdf', mimeType: 'application/pdf', size: bytes.length }, {});
    for (let offset = 0; offset < bytes.length; offset += begun.chunkBytes) {
      const { received } = await messaging.handlers.uploadChunk({ uploadId: begun.uploadId, offset, base64: bytes.subarray(offset, offset + begun.chunkBytes).toString('base64') }, {});
      afterChunk?.(received);
    }
    return begun.uploadId;
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xt-upload-spool-'));
    spoolDir = join(root, 'uploads');
  });
  afterEach(async () => {
    await service?.close();
    service = null;
    rmSync(root, { recursive: true, force: true });
  });

  it('a 20 MB file is written to disk as it arrives and sent a piece at a time, never more than two pieces ahead', async () => {
    const spool = countingSpool(createFileUploadSpool(spoolDir));
    const bytes = randomBytes(20 * 1024 * 1024);
    let maxAhead = 0;
    let maxPiece = 0;
    let streamed = false;
    const transport = (async (_url: string | URL | Request, init?: RequestInit) => {
      const body = init?.body;
      if (!(body instanceof ReadableStream)) throw new Error('the upload body is not a stream');
      streamed = true;
      const reader = (body as ReadableStream<Uint8Array>).getReader();
      const hash = createHash('sha256');
      let consumed = 0;
      for (let step = 0; step < 10_000; step++) {
        await settle();
        maxAhead = Math.max(maxAhead, spool.bytesRead() - consumed);
        const { done, value } = await reader.read();
        if (done) break;
        consumed += value.byteLength;
        maxPiece = Math.max(maxPiece, value.byteLength);
        hash.update(value);
      }
      return Response.json({ sha256: hash.digest('hex'), name: '年度报告.pdf', mimeType: 'application/pdf', size: consumed }, { status: 201 });
    }) as typeof fetch;
    const messaging = await start(transport, spool);

    let uploadFile = '';
    const uploadId = await sendChunks(messaging, bytes, (received) => {
      // Each accepted chunk is on disk already: the service keeps a count, not the bytes.
      uploadFile ||= join(spoolDir, readdirSync(spoolDir)[0]!);
      expect(statSync(uploadFile).size).toBe(received);
    });
    const message = await messaging.handlers.uploadFinish({ uploadId }, {});

    expect(streamed).toBe(true);
    expect(message.content).toMatchObject({ type: 'file', file: { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length } });
    expect(maxPiece).toBeLessThanOrEqual(UPLOAD_CHUNK_BYTES);
    expect(maxAhead).toBeLessThanOrEqual(2 * UPLOAD_CHUNK_BYTES);
    expect(queued).toHaveLength(1);
    expect(readdirSync(spoolDir)).toEqual([]);
  }, 60_000);

  it('the connection breaks midway: a clear reason, no message queued, the temporary file removed', async () => {
    const spool = createFileUploadSpool(spoolDir);
    const transport = (async (_url: string | URL | Request, init?: RequestInit) => {
      const reader = (init?.body as ReadableStream<Uint8Array>).getReader();
      for (let i = 0; i < 3; i++) await reader.read();
      throw new TypeError('fetch failed'); // what undici throws when the server goes away mid-request
    }) as typeof fetch;
    const messaging = await start(transport, spool);
    const uploadId = await sendChunks(messaging, randomBytes(3 * 1024 * 1024));
    await expect(messaging.handlers.uploadFinish({ uploadId }, {})).rejects.toThrow('文件“年度报告.pdf”未发送：与服务器的连接中断，请联网后重新发送');
    expect(queued).toEqual([]);
    expect(readdirSync(spoolDir)).toEqual([]);
    await expect(messaging.handlers.uploadChunk({ uploadId, offset: 0, base64: 'AAAA' }, {})).rejects.toThrow(/上传已失效/);
  });

  it('a page that stops sending: the upload expires and its file is deleted', async () => {
    const messaging = await start((() => Promise.reject(new Error('not reached'))), createFileUploadSpool(spoolDir), 100);
    const begun = await messaging.handlers.uploadBegin({ conversationId: CONVERSATION, name: 'a.bin', mimeType: 'application/octet-stream', size: 10 }, {});
    await messaging.handlers.uploadChunk({ uploadId: begun.uploadId, offset: 0, base64: Buffer.from('abcde').toString('base64') }, {});
    expect(readdirSync(spoolDir)).toHaveLength(1);
    await expect.poll(() => readdirSync(spoolDir), { timeout: 5000 }).toEqual([]);
    await expect(messaging.handlers.uploadChunk({ uploadId: begun.uploadId, offset: 5, base64: Buffer.from('fghij').toString('base64') }, {})).rejects.toThrow(/上传已失效/);
    expect(queued).toEqual([]);
  });

  it('what a process killed mid-upload left behind is removed when the service starts again', async () => {
    mkdirSync(spoolDir, { recursive: true });
    const leftover = join(spoolDir, '7f0c6a2e-0000-4000-8000-000000000000.part');
    writeFileSync(leftover, randomBytes(1024));
    const messaging = await start((() => Promise.reject(new Error('not reached'))), createFileUploadSpool(spoolDir));
    // The first upload waits for the sweep, so the folder holds only its own file.
    const begun = await messaging.handlers.uploadBegin({ conversationId: CONVERSATION, name: 'b.bin', mimeType: 'application/octet-stream', size: 3 }, {});
    expect(existsSync(leftover)).toBe(false);
    expect(readdirSync(spoolDir)).toEqual([`${begun.uploadId}.part`]);
    expect(queued).toEqual([]);
  });
});
