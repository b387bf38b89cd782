/**
 * Group commit: updates received in the same turn of the event loop (and while the previous
 * commit is in flight) are written to the store in one transaction. One fsync then covers many
 * updates, so throughput holds under load while every update is still durable before anyone
 * else sees it.
 */
import type { SyncMetrics } from './metrics';
import type { RoomUpdateEntry, RoomUpdateStore, SyncLogger } from './types';

/** Called once the entry is committed (error undefined) or the commit failed. */
export type CommitCallback = (error: Error | undefined) => void;

interface PendingWrite {
  entry: RoomUpdateEntry;
  enqueuedAt: number;
  done: CommitCallback;
}

/** Serialises writes to a {@link RoomUpdateStore}, batching whatever queued up meanwhile. */
export class GroupCommitWriter {
  private pending: PendingWrite[] = [];
  private running = false;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];
  private lastCommitAt = -Infinity;

  constructor(
    private readonly store: RoomUpdateStore,
    private readonly metrics: SyncMetrics,
    private readonly log: SyncLogger,
    private readonly minCommitIntervalMs = 0,
    private readonly maxBatch = 5000,
  ) {}

  /** Queues one update; `done` runs after the transaction holding it committed or failed. */
  enqueue(entry: RoomUpdateEntry, done: CommitCallback): void {
    const now = performance.now();
    this.pending.push({ entry, enqueuedAt: now, done });
    if (!this.running && !this.scheduled) {
      this.scheduled = true;
      // A commit costs about as much CPU as applying and relaying a dozen small updates, so
      // commits are spaced at least `minCommitIntervalMs` apart: an update arriving on a quiet
      // server is committed at once (setImmediate still lets every message already read from the
      // sockets join), one arriving right after a commit waits for the next window with others.
      const wait = this.lastCommitAt + this.minCommitIntervalMs - now;
      if (wait < 1) setImmediate(this.runNow);
      else setTimeout(this.runNow, wait);
    }
  }

  private readonly runNow = (): void => void this.run();

  /** Resolves when every update queued so far has been committed (or has failed). */
  flush(): Promise<void> {
    if (!this.running && !this.scheduled && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    while (this.pending.length > 0) {
      const batch = this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch);
      this.pending = batch === this.pending ? [] : this.pending.slice(this.maxBatch);
      let failure: Error | undefined;
      this.lastCommitAt = performance.now();
      try {
        await this.store.appendBatch(batch.map((write) => write.entry));
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      const now = performance.now();
      if (failure) {
        this.metrics.persistFailures += 1;
        this.log.error({ err: failure.message, updates: batch.length }, 'sync: storing updates failed');
      } else {
        this.metrics.persistBatches += 1;
        this.metrics.updatesPersisted += batch.length;
      }
      for (const write of batch) {
        if (!failure) this.metrics.persistLatency.observe((now - write.enqueuedAt) / 1000);
        try {
          write.done(failure);
        } catch (error) {
          this.log.error({ err: error instanceof Error ? error.message : String(error) }, 'sync: commit callback threw');
        }
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
