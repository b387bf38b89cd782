/**
 * One server per data folder. Two processes on one SQLite folder would both accept writes, but each
 * would hold its own copy of the open Yjs rooms and edits would diverge; several instances are
 * meant to share PostgreSQL + Redis instead. The lock is a file holding the owner's PID; a lock
 * whose process is gone (a crash, a kill -9) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'server.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock; throws when a live process holds it. Resolves to the release function. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new Error(`data folder ${dataDir} is in use by another server (pid ${owner}); several instances share PostgreSQL and Redis instead`, { cause: error });
      }
      if (owner === process.pid) throw new Error(`data folder ${dataDir} is already served by this process`, { cause: error });
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`cannot lock data folder ${dataDir}`);
}
