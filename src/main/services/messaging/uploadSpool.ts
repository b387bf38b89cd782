/**
 * Where a file sent in chunks waits between the renderer and the server: a temporary file on disk,
 * not main's memory. A 50 MB upload costs main one chunk at a time — written as it arrives, read
 * back one piece per request pull as it goes to the server — instead of 50 MB of heap (times the
 * four uploads a person may have under way).
 *
 * Files are named by upload id in one folder owned by the messaging service; whatever is there when
 * the service starts was left by a process killed mid-upload, and is removed.
 */
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Temporary files of uploads under way (one per upload id). */
export interface UploadSpool {
  /** Creates the empty file of an upload. */
  create(uploadId: string): Promise<void>;
  /** Appends one chunk at the end of the upload's file. */
  append(uploadId: string, bytes: Uint8Array): Promise<void>;
  /** Reads the file back from the start, at most `pieceBytes` per step, reading only when asked for the next. */
  read(uploadId: string, pieceBytes: number): AsyncIterable<Uint8Array>;
  /** Deletes the upload's file (finished, cancelled, expired); no error when it is gone already. */
  remove(uploadId: string): Promise<void>;
  /** Deletes every file in the spool (left by a process that was killed mid-upload). */
  clear(): Promise<void>;
}

/** Upload ids are UUIDs (the contract's `UploadIdSchema`); anything else never becomes a path. */
const SAFE_NAME = /^[A-Za-z0-9-]{1,80}$/;

/** A spool in `dir` (created when first needed). */
export function createFileUploadSpool(dir: string): UploadSpool {
  const handles = new Map<string, FileHandle>();
  const pathOf = (uploadId: string): string => {
    if (!SAFE_NAME.test(uploadId)) throw new Error(`bad upload id: ${uploadId}`);
    return join(dir, `${uploadId}.part`);
  };
  const closeHandle = async (uploadId: string): Promise<void> => {
    const handle = handles.get(uploadId);
    handles.delete(uploadId);
    await handle?.close().catch(() => undefined);
  };

  return {
    async create(uploadId) {
      await mkdir(dir, { recursive: true });
      // 'wx': an id is used once; a file already there is not ours to overwrite.
      handles.set(uploadId, await open(pathOf(uploadId), 'wx', 0o600));
    },
    async append(uploadId, bytes) {
      const handle = handles.get(uploadId);
      if (!handle) throw new Error(`no spool file for upload ${uploadId}`);
      let written = 0;
      // `write` may write less than asked (a full disk, a signal); go on until every byte is down.
      while (written < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.byteLength - written);
        if (bytesWritten <= 0) throw new Error('spool write made no progress');
        written += bytesWritten;
      }
    },
    async *read(uploadId, pieceBytes) {
      await closeHandle(uploadId);
      const handle = await open(pathOf(uploadId), 'r');
      try {
        let position = 0;
        for (;;) {
          // A fresh buffer per piece: the consumer (the request body) may keep it until it is sent.
          const piece = new Uint8Array(pieceBytes);
          const { bytesRead } = await handle.read(piece, 0, pieceBytes, position);
          if (bytesRead === 0) return;
          position += bytesRead;
          yield bytesRead === pieceBytes ? piece : piece.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    },
    async remove(uploadId) {
      await closeHandle(uploadId);
      await rm(pathOf(uploadId), { force: true });
    },
    async clear() {
      for (const uploadId of [...handles.keys()]) await closeHandle(uploadId);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) if (name.endsWith('.part')) await rm(join(dir, name), { force: true });
    },
  };
}

/**
 * A request body that pulls the spool one piece at a time: the next piece is read from disk only
 * when the transport asked for it (highWaterMark 0), so main holds about one piece per upload.
 */
export function spoolBody(spool: UploadSpool, uploadId: string, pieceBytes: number): ReadableStream<Uint8Array> {
  const pieces = spool.read(uploadId, pieceBytes)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await pieces.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
