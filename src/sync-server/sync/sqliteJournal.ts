/**
 * The SQLite room store's write-ahead journal: one file beside the database (`<db>-sync-journal`)
 * that every commit is appended to, instead of one SQLite transaction: copied into a memory mapping
 * of the file where the addon is built (journalMap.ts), else with one `write` (and one `fdatasync`
 * when the store runs `synchronous = FULL`; such a journal is never mapped). A small commit costs
 * ~43 µs of CPU in SQLite and now and then a WAL checkpoint of several ms on the event loop; the
 * append costs a few µs. The store moves the journal's batches into `sync_room_updates` later, many
 * at a time.
 *
 * Layout: a header `[magic "XTSJ"][u32 version][u64 epoch][u32 crc32 of the previous 16 bytes]`,
 * then records `[u32 payload length][u32 crc32 of the payload][payload]`, one per appended batch;
 * a payload is `[u32 entries]` then per entry `[u32 room length][room, UTF-8][u32 update length]
 * [update]` (little-endian). A record is only ever written whole at the end, so after a crash or a
 * power cut the file is a run of good records possibly followed by a torn or garbled tail: reading
 * stops at the first record that does not check out and keeps everything before it.
 *
 * The epoch says which generation of the journal a file is; SQLite records which one it has
 * ingested and up to which offset (see sqliteStore.ts), so an old file found after a crash is
 * never ingested twice.
 */
import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

import type { RoomName } from '../../shared/rooms';
import { journalMapAddon, type JournalMapAddon, type JournalMapHandle } from './journalMap';
import type { RoomUpdateEntry } from './types';

/** The journal of database file `db` is `db + JOURNAL_SUFFIX`. */
export const JOURNAL_SUFFIX = '-sync-journal';

const MAGIC = 0x4a535458; // "XTSJ" read as a little-endian u32
const VERSION = 1;
/** Bytes of the header; the first record starts here. */
export const JOURNAL_HEADER_BYTES = 20;
const RECORD_HEADER_BYTES = 8;
/** A payload holds at least its entry count; zero-filled space (length 0, crc 0) is no record. */
const MIN_PAYLOAD_BYTES = 4;

/**
 * The first size of a journal's mapping (journalMap.ts); it grows with the journal, which the
 * store restarts at about 64 MiB.
 */
const INITIAL_MAP_BYTES = 1024 * 1024;

/** The file operations the journal uses; tests replace `writeSync` to make writes fail. */
export interface JournalIo {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fdatasyncSync(fd: number): void;
}

const nodeIo: JournalIo = { writeSync, fdatasyncSync };

/** One record read back: its entries and the offset just after it. */
export interface JournalBatch {
  entries: RoomUpdateEntry[];
  end: number;
}

/** What a journal file holds that SQLite does not. */
export interface JournalContents {
  epoch: number;
  batches: JournalBatch[];
}

/**
 * Reads the journal at `path`: its epoch and the good records SQLite has not ingested yet, given
 * that it ingested journal `ingested.epoch` up to byte `ingested.offset` (a record boundary) and
 * every older journal entirely. Undefined when there is no file or its header is not a journal
 * header (a file cut before its header was written holds no record either).
 */
export function readJournal(path: string, ingested: { epoch: number; offset: number }): JournalContents | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (file.length < JOURNAL_HEADER_BYTES || file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(4) !== VERSION) return undefined;
  if (file.readUInt32LE(16) !== crc32(file.subarray(0, 16))) return undefined;
  const epoch = Number(file.readBigUInt64LE(8));
  const batches: JournalBatch[] = [];
  if (epoch < ingested.epoch) return { epoch, batches };
  let at = epoch === ingested.epoch ? Math.max(ingested.offset, JOURNAL_HEADER_BYTES) : JOURNAL_HEADER_BYTES;
  for (;;) {
    const batch = readRecord(file, at);
    if (!batch) break;
    batches.push(batch);
    at = batch.end;
  }
  return { epoch, batches };
}

/** The record at `at`, or undefined when there is none or it is torn or corrupt. */
function readRecord(file: Buffer, at: number): JournalBatch | undefined {
  if (at + RECORD_HEADER_BYTES > file.length) return undefined;
  const length = file.readUInt32LE(at);
  const start = at + RECORD_HEADER_BYTES;
  const end = start + length;
  if (length < MIN_PAYLOAD_BYTES || end > file.length) return undefined;
  const payload = file.subarray(start, end);
  if (crc32(payload) !== file.readUInt32LE(at + 4)) return undefined;
  const entries = decodePayload(payload);
  return entries && { entries, end };
}

/** The entries of a payload whose checksum matched; undefined if it still does not parse. */
function decodePayload(payload: Buffer): RoomUpdateEntry[] | undefined {
  const count = payload.readUInt32LE(0);
  const entries: RoomUpdateEntry[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + 4 > payload.length) return undefined;
    const roomEnd = at + 4 + payload.readUInt32LE(at);
    if (roomEnd + 4 > payload.length) return undefined;
    const room = payload.toString('utf8', at + 4, roomEnd) as RoomName;
    const updateEnd = roomEnd + 4 + payload.readUInt32LE(roomEnd);
    if (updateEnd > payload.length) return undefined;
    entries.push({ room, update: payload.subarray(roomEnd + 4, updateEnd) });
    at = updateEnd;
  }
  return at === payload.length && count > 0 ? entries : undefined;
}

/** How a journal is opened. */
export interface JournalWriterOptions {
  /** fdatasync every record (the store's `synchronous = FULL`); such a journal is never mapped. */
  sync: boolean;
  /** Write with these file operations instead of Node's (tests); such a journal is never mapped. */
  io?: JournalIo;
  /** Whether to copy records into a memory mapping when the addon is there (default true). */
  map?: boolean;
}

/** The open journal of the current epoch, appended to at its end. */
export class JournalWriter {
  private closed = false;

  private constructor(
    private readonly fd: number,
    readonly path: string,
    readonly epoch: number,
    private end: number,
    private readonly sync: boolean,
    private readonly io: JournalIo,
    private readonly mapping: { addon: JournalMapAddon; handle: JournalMapHandle } | undefined,
  ) {}

  /**
   * Starts the journal of `epoch` at `path`, replacing whatever file was there: only once SQLite
   * durably holds what that file had (or its epoch marks it as ingested) may it be overwritten.
   * Unless told otherwise, a journal that is not synced record by record is memory-mapped where
   * the addon is built (journalMap.ts): its file is then reserved in steps (1 MiB first, doubling
   * up to steps of 16 MiB) and zero-filled beyond the last record, which reading treats as the end.
   */
  static create(path: string, epoch: number, options: JournalWriterOptions): JournalWriter {
    const io = options.io ?? nodeIo;
    // Read and write: a shared mapping needs both.
    const fd = openSync(path, 'w+', 0o600);
    try {
      const header = Buffer.alloc(JOURNAL_HEADER_BYTES);
      header.writeUInt32LE(MAGIC, 0);
      header.writeUInt32LE(VERSION, 4);
      header.writeBigUInt64LE(BigInt(epoch), 8);
      header.writeUInt32LE(crc32(header.subarray(0, 16)), 16);
      writeAll(io, fd, header, 0);
      if (options.sync) io.fdatasyncSync(fd);
      const addon = !options.sync && !options.io && options.map !== false ? journalMapAddon() : undefined;
      return new JournalWriter(fd, path, epoch, JOURNAL_HEADER_BYTES, options.sync, io, addon && mapJournal(addon, fd));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Offset just after the last record written (a record boundary). */
  get size(): number {
    return this.end;
  }

  /**
   * Whether records are copied into a memory mapping rather than written with a system call: an
   * append then costs about a copy, so the store can take every update as it arrives.
   */
  get mapped(): boolean {
    return this.mapping !== undefined;
  }

  /**
   * Appends `entries` as one record and returns their updates as views into the written bytes
   * (immutable copies, whatever the caller later does to its own buffers). Throws if the record
   * could not be written (and synced); then it counts as not written and the next record is written
   * at the same end. Mapped, nothing got out (only reserving more space can fail, before the copy);
   * with pwrite the file is cut back to the previous end, and the next record overwrites any part
   * that got out anyway.
   */
  append(entries: readonly RoomUpdateEntry[]): Uint8Array[] {
    if (this.closed) throw new Error('sync journal is closed');
    const { record, updates } = encodeRecord(entries);
    if (this.mapping) {
      // Copied whole or not at all (a failure is reserving more space, before any byte is copied).
      this.mapping.addon.write(this.mapping.handle, record, this.end);
      this.end += record.length;
      return updates;
    }
    try {
      writeAll(this.io, this.fd, record, this.end);
      if (this.sync) this.io.fdatasyncSync(this.fd);
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.end);
      } catch {
        // The partial record stays behind the end; the next append overwrites it from its start.
      }
      throw error;
    }
    this.end += record.length;
    return updates;
  }

  /** Closes the file; `remove` also deletes it (everything in it is in SQLite). */
  close(remove: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.mapping?.addon.unmap(this.mapping.handle);
    closeSync(this.fd);
    if (remove) unlinkSync(this.path);
  }
}

/**
 * Maps a new journal file, or undefined when its first reservation cannot be made or mapped (a
 * full disk, a file system without shared mappings): the journal is then written with pwrite,
 * which `mapped` and the server's start-up line show.
 */
function mapJournal(addon: JournalMapAddon, fd: number): { addon: JournalMapAddon; handle: JournalMapHandle } | undefined {
  try {
    return { addon, handle: addon.map(fd, INITIAL_MAP_BYTES) };
  } catch {
    return undefined;
  }
}

/** Writes all of `data` at `position`, however many calls the kernel needs. */
function writeAll(io: JournalIo, fd: number, data: Uint8Array, position: number): void {
  let written = 0;
  while (written < data.length) written += io.writeSync(fd, data, written, data.length - written, position + written);
}

function encodeRecord(entries: readonly RoomUpdateEntry[]): { record: Buffer; updates: Uint8Array[] } {
  let size = RECORD_HEADER_BYTES + 4;
  const roomBytes: number[] = [];
  for (const { room, update } of entries) {
    const n = Buffer.byteLength(room);
    roomBytes.push(n);
    size += 8 + n + update.length;
  }
  const record = Buffer.allocUnsafe(size);
  record.writeUInt32LE(size - RECORD_HEADER_BYTES, 0);
  record.writeUInt32LE(entries.length, RECORD_HEADER_BYTES);
  const updates: Uint8Array[] = [];
  let at = RECORD_HEADER_BYTES + 4;
  entries.forEach(({ room, update }, i) => {
    record.writeUInt32LE(roomBytes[i]!, at);
    at += 4 + record.write(room, at + 4, 'utf8');
    record.writeUInt32LE(update.length, at);
    record.set(update, at + 4);
    updates.push(record.subarray(at + 4, at + 4 + update.length));
    at += 4 + update.length;
  });
  record.writeUInt32LE(crc32(record.subarray(RECORD_HEADER_BYTES)), 4);
  return { record, updates };
}
