/**
 * The memory-mapped append area of the SQLite journal (native/journal-map.c, built by
 * scripts/build-node.mjs). A copy into a shared file mapping reaches the kernel's page cache as a
 * pwrite does, and survives a killed process the same way, but costs no system call: measured on
 * this machine, a pwrite of a small record took 11–12 µs of CPU with cold caches, and it was paid
 * on the relay path of every group commit.
 *
 * Loaded lazily and only on Linux; undefined where the addon was not built (then the journal
 * writes with pwrite). It is looked up in the folders above this module (the source tree, dist/ or
 * a bench bundle).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An open mapping of one journal file; JavaScript never holds a view of the mapped memory. */
export type JournalMapHandle = { readonly __journalMap: unique symbol };

/** The addon's functions. */
export interface JournalMapAddon {
  /** Reserves the file's first `capacity` bytes on disk (zero-filled) and maps them. */
  map(fd: number, capacity: number): JournalMapHandle;
  /**
   * Copies `data` to `position`, growing the mapping (reserved on disk first) when it does not
   * reach that far; throws, having written nothing, when the space cannot be reserved or mapped.
   */
  write(handle: JournalMapHandle, data: Uint8Array, position: number): void;
  /** Releases the mapping; what was written stays in the file. Idempotent. */
  unmap(handle: JournalMapHandle): void;
}

/** Where the build puts the addon, relative to the project's root. */
const ADDON_PATH = join('native', 'build', 'journal-map.node');
/** This module is at most this many folders below the root (src/sync-server/sync, dist, .tmp/bench). */
const MAX_DEPTH = 4;

let loaded: JournalMapAddon | null | undefined;

/** The addon, or undefined where it is not available (not Linux, or not built). */
export function journalMapAddon(): JournalMapAddon | undefined {
  if (loaded === undefined) loaded = process.platform === 'linux' ? load() : null;
  return loaded ?? undefined;
}

function load(): JournalMapAddon | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const candidate = join(dir, ADDON_PATH);
    if (existsSync(candidate)) return createRequire(import.meta.url)(candidate) as JournalMapAddon;
    dir = dirname(dir);
  }
  return null;
}
