/**
 * Large uploads (PDFs, attachments) without holding them in memory while nobody knows whether they
 * are allowed (issue 15: N refused uploads used to hold N × 50 MB).
 *
 * A route checks the person's rights first, takes one of their upload slots, and only then reads the
 * body: `stageUpload` streams it into a private file under the data folder while hashing it
 * (SHA-256), so what reaches the store is the complete, digested upload — and an upload cut off
 * half-way leaves nothing behind, neither a file nor a blob.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError } from './errors';
import { errorText } from '../../shared/errors';

/** A complete upload waiting in its staging file. */
export interface StagedUpload {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** The bytes (read once the upload is known to be whole and allowed). */
  read(): Promise<Buffer>;
  /** Removes the staging file; safe to call twice. */
  discard(): Promise<void>;
}

const tooLarge = (maxBytes: number): HttpError => new HttpError('payload_too_large', errorText('uploads.tooLarge', { mb: Math.floor(maxBytes / 1024 / 1024) }));

/** Counts and hashes what passes, and stops the stream once it exceeds `maxBytes`. */
class DigestLimit extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return callback(tooLarge(this.maxBytes));
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

/**
 * The staging folder of a data folder, emptied: files left there by a process that died mid-upload
 * are incomplete by definition.
 */
export function prepareStagingDir(dataDir: string): string {
  const dir = join(dataDir, 'uploads');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Streams the request body into a new file in `dir`, hashing it. Rejects with 413 as soon as it is
 * known to be larger than `maxBytes` (declared length or bytes received), and with the stream's error
 * when the client goes away; in both cases the partial file is removed before the promise settles.
 */
export async function stageUpload(req: IncomingMessage, options: { dir: string; maxBytes: number }): Promise<StagedUpload> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) throw tooLarge(options.maxBytes);
  const path = join(options.dir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
  const digest = new DigestLimit(options.maxBytes);
  try {
    await pipeline(req, digest, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    if (error instanceof HttpError) throw error;
    throw new HttpError('invalid_input', errorText('uploads.interrupted'));
  }
  if (!req.complete) {
    await rm(path, { force: true });
    throw new HttpError('invalid_input', errorText('uploads.interrupted'));
  }
  const sha256 = digest.hash.digest('hex');
  return {
    path,
    sha256,
    size: digest.size,
    read: () => readFile(path),
    discard: () => rm(path, { force: true }),
  };
}

/**
 * At most `perPerson` uploads of one person at a time on this instance; one more is answered 429 with
 * Retry-After before its body is read.
 */
export class UploadSlots {
  private readonly inUse = new Map<string, number>();

  constructor(
    readonly perPerson = 2,
    private readonly retryAfterSeconds = 5,
  ) {}

  /** Takes a slot for `userId`; the returned function gives it back (call it exactly once, in `finally`). */
  acquire(userId: string): () => void {
    const used = this.inUse.get(userId) ?? 0;
    if (used >= this.perPerson) {
      throw new HttpError('too_many_requests', errorText('uploads.tooManyAtOnce', { perPerson: this.perPerson }), { retryAfterSeconds: this.retryAfterSeconds });
    }
    this.inUse.set(userId, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inUse.get(userId) ?? 1) - 1;
      if (left <= 0) this.inUse.delete(userId);
      else this.inUse.set(userId, left);
    };
  }

  /** Uploads in progress of one person (tests, metrics). */
  active(userId: string): number {
    return this.inUse.get(userId) ?? 0;
  }
}
