/**
 * Uploads are checked before they are read (issue 15): a person who may not touch a document is
 * answered 403/404 before the body arrives, so 20 concurrent 40 MB uploads hold almost no memory; one
 * person has at most two uploads in progress (429 with Retry-After); an allowed upload streams to disk
 * with its SHA-256, and one cut off half-way leaves no file and no blob.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentView } from '../../src/shared/http/documents';
import { call, startOrg, type Org } from './helpers';

const MB = 1024 * 1024;

interface Upload {
  req: ClientRequest;
  /** Resolves with the answer and how many body bytes had been sent when it came. */
  answered: Promise<{ status: number; retryAfter: string | undefined; sentWhenAnswered: number; body: string }>;
  /** Sends `bytes` more of the body (one reused chunk: the test itself must not hold the upload). */
  send(bytes: number): Promise<void>;
  sent(): number;
}

const CHUNK = randomBytes(MB);

function startUpload(base: string, path: string, token: string, length: number, contentType = 'application/octet-stream'): Upload {
  const url = new URL(path, base);
  const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: url.pathname.endsWith('/pdf') ? 'PUT' : 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': length } });
  let sent = 0;
  let done = false;
  const answered = new Promise<{ status: number; retryAfter: string | undefined; sentWhenAnswered: number; body: string }>((resolve, reject) => {
    req.once('response', (res: IncomingMessage) => {
      done = true;
      const sentWhenAnswered = sent;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], sentWhenAnswered, body: Buffer.concat(chunks).toString() }));
    });
    req.once('error', (error) => (done ? undefined : reject(error)));
  });
  answered.catch(() => undefined);
  const send = async (bytes: number): Promise<void> => {
    let left = bytes;
    while (left > 0 && !done && !req.destroyed) {
      const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= piece.length;
      sent += piece.length;
      if (!req.write(piece)) {
        // Backpressure: wait for the server to read, or for its answer (then stop sending).
        await Promise.race([new Promise((resolve) => req.once('drain', resolve)), answered.then(() => undefined, () => undefined)]);
      }
    }
  };
  return { req, answered, send, sent: () => sent };
}

describe('uploads', () => {
  let org: Org;
  let draftId: string;
  beforeAll(async () => {
    org = await startOrg();
    const draft = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '关于上传的通知' } });
    draftId = draft.body.id;
  });
  afterAll(() => org.server.stop());

  const stagingFiles = () => readdirSync(join(org.server.dataDir, 'uploads'));
  const blobCount = async () => Number((await org.server.deps.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM document_blobs'))?.n);

  it('answers 20 concurrent 40 MB uploads to documents the person may not touch before reading them, holding almost no memory', async () => {
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakBuffers = before.arrayBuffers;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
    }, 10);
    // chen (another unit) on li's draft: 403; on a document that does not exist: 404. Attachments and sealed PDFs alike.
    const uploads = Array.from({ length: 20 }, (_, i) => {
      const target = i % 2 === 0 ? draftId : 'no-such-document';
      const path = i < 10 ? `/api/documents/${target}/attachments?name=${encodeURIComponent(`附件${i}.bin`)}` : `/api/documents/${target}/pdf`;
      return startUpload(org.server.url, path, org.tokens.chen!, 40 * MB, i < 10 ? 'application/octet-stream' : 'application/pdf');
    });
    const sending = uploads.map((upload) => upload.send(40 * MB));
    const answers = await Promise.all(uploads.map((upload) => upload.answered));
    clearInterval(sampler);
    for (const upload of uploads) upload.req.destroy();
    await Promise.all(sending);
    answers.forEach((answer, i) => expect(answer.status).toBe(i % 2 === 0 ? 403 : 404));
    // Answered while the body was still on its way: at most a few MB of each 40 MB had been sent.
    for (const answer of answers) expect(answer.sentWhenAnswered).toBeLessThan(8 * MB);
    const rssGrowth = (peakRss - before.rss) / MB;
    const bufferGrowth = (peakBuffers - before.arrayBuffers) / MB;
    console.log(`20 refused 40 MB uploads: RSS +${rssGrowth.toFixed(1)} MB, buffers +${bufferGrowth.toFixed(1)} MB, sent before the answer ≤ ${(Math.max(...answers.map((a) => a.sentWhenAnswered)) / MB).toFixed(1)} MB`);
    // Buffering them (what the server did before) would hold 800 MB.
    expect(bufferGrowth).toBeLessThan(60);
    expect(rssGrowth).toBeLessThan(150);
    expect(stagingFiles()).toEqual([]);
  });

  it('streams an allowed upload to disk with its SHA-256 and serves the same bytes back', async () => {
    const bytes = randomBytes(3 * MB + 123);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const added = await call<DocumentView>(org.server.url, 'POST', `/api/documents/${draftId}/attachments?name=${encodeURIComponent('统计表.xlsx')}`, {
      token: org.tokens.li!,
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(added.status).toBe(201);
    expect(added.body.fields.attachments).toContainEqual({ name: '统计表.xlsx', sha256: sha });
    const back = await fetch(`${org.server.url}/api/documents/${draftId}/attachments/${sha}`, { headers: { authorization: `Bearer ${org.tokens.li!}` } });
    expect(createHash('sha256').update(Buffer.from(await back.arrayBuffer())).digest('hex')).toBe(sha);
    expect(stagingFiles()).toEqual([]);
  });

  it('gives one person two uploads at a time: a third is answered 429 with Retry-After before it is read', async () => {
    const first = startUpload(org.server.url, `/api/documents/${draftId}/attachments?name=a.bin`, org.tokens.li!, 4 * MB);
    const second = startUpload(org.server.url, `/api/documents/${draftId}/attachments?name=b.bin`, org.tokens.li!, 5 * MB);
    await first.send(1 * MB);
    await second.send(1 * MB);
    // Both are streaming to disk now.
    for (let i = 0; i < 100 && stagingFiles().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stagingFiles()).toHaveLength(2);
    const third = startUpload(org.server.url, `/api/documents/${draftId}/attachments?name=c.bin`, org.tokens.li!, 40 * MB);
    const sendingThird = third.send(40 * MB);
    const refused = await third.answered;
    third.req.destroy();
    await sendingThird;
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('5');
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'too_many_requests', message: '您已有 2 个文件正在上传，请等其完成后再试' } });
    expect(refused.sentWhenAnswered).toBeLessThan(8 * MB);
    // The two finish; then li may upload again.
    await first.send(3 * MB);
    first.req.end();
    expect((await first.answered).status).toBe(201);
    await second.send(4 * MB);
    second.req.end();
    expect((await second.answered).status).toBe(201);
    const again = await call(org.server.url, 'POST', `/api/documents/${draftId}/attachments?name=d.bin`, { token: org.tokens.li!, body: randomBytes(1000), headers: { 'content-type': 'application/octet-stream' } });
    expect(again.status).toBe(201);
  });

  it('leaves no partial file and no blob when an upload is cut off half-way', async () => {
    const blobs = await blobCount();
    const view = await call<DocumentView>(org.server.url, 'GET', `/api/documents/${draftId}`, { token: org.tokens.li! });
    const killed = startUpload(org.server.url, `/api/documents/${draftId}/attachments?name=${encodeURIComponent('断开.bin')}`, org.tokens.li!, 8 * MB);
    await killed.send(2 * MB);
    for (let i = 0; i < 100 && stagingFiles().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stagingFiles()).toHaveLength(1);
    killed.req.destroy();
    for (let i = 0; i < 100 && stagingFiles().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stagingFiles()).toEqual([]);
    expect(await blobCount()).toBe(blobs);
    const after = await call<DocumentView>(org.server.url, 'GET', `/api/documents/${draftId}`, { token: org.tokens.li! });
    expect(after.body.fields.attachments).toEqual(view.body.fields.attachments);
    // The cap slot came back: li can upload again at once.
    const next = await call(org.server.url, 'POST', `/api/documents/${draftId}/attachments?name=e.bin`, { token: org.tokens.li!, body: randomBytes(1000), headers: { 'content-type': 'application/octet-stream' } });
    expect(next.status).toBe(201);
  });

  it('still refuses too large an upload by its declared length (413) before reading it', async () => {
    const huge = startUpload(org.server.url, `/api/documents/${draftId}/attachments?name=huge.bin`, org.tokens.li!, 51 * MB);
    const sending = huge.send(51 * MB);
    const answer = await huge.answered;
    huge.req.destroy();
    await sending;
    expect(answer.status).toBe(413);
    expect(answer.sentWhenAnswered).toBeLessThan(8 * MB);
  });
});
