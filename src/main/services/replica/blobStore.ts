/**
 * Content-addressed files: the name is the SHA-256 of the bytes. Writes go to a temporary file,
 * are fsynced, then renamed into place, so a crash leaves either no file or the whole file — never
 * a torn one under a valid name. Reads re-hash, so a damaged file is reported, not served.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiFailure } from '../../../shared/api/result';
import { errorText } from '../../../shared/errors';

export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

const hashPattern = /^[0-9a-f]{64}$/;

export class BlobFiles {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private pathOf(sha256: string): string {
    if (!hashPattern.test(sha256)) throw new ApiFailure('invalid_input', errorText('replica.badDigest', { sha256 }));
    // Two-character fan-out keeps directories small on file systems that slow down with many entries.
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Stores `data` durably; returns its SHA-256. Storing the same bytes twice is a no-op. */
  write(data: Uint8Array): string {
    const sha256 = sha256Hex(data);
    const target = this.pathOf(sha256);
    if (existsSync(target)) return sha256;
    const folder = join(this.dir, sha256.slice(0, 2));
    mkdirSync(folder, { recursive: true });
    const temp = join(folder, `.${sha256}.${randomUUID()}.tmp`);
    const fd = openSync(temp, 'wx');
    try {
      let offset = 0;
      while (offset < data.byteLength) offset += writeSync(fd, data, offset, data.byteLength - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    // The rename itself must reach the disk too, or a power cut could forget the new name.
    const dirFd = openSync(folder, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    return sha256;
  }

  /** The bytes stored under `sha256`, or null when absent. Throws if the file no longer matches its name. */
  read(sha256: string): Uint8Array | null {
    const path = this.pathOf(sha256);
    if (!existsSync(path)) return null;
    const data = readFileSync(path);
    if (sha256Hex(data) !== sha256) throw new ApiFailure('internal', errorText('replica.blobCorrupt', { sha256 }));
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  remove(sha256: string): void {
    rmSync(this.pathOf(sha256), { force: true });
  }
}
