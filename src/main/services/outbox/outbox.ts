/**
 * The outbox: commands the server decides (workflow steps, signatures, exchange, messages), kept
 * in the replica until the server has answered. A command is written to the replica before the
 * caller hears "queued" — a killed process loses nothing it acknowledged — and sent strictly in
 * order, one at a time, with its clientId so the server applies it once even when sent twice
 * (a crash between sending and recording the answer). Rejections stay visible with the reason.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxCommand, OutboxEntry, OutboxStatus } from '../../../shared/api/offline.contract';
import type { ReplicaApi } from '../replica/protocol';
import { Backoff, type BackoffOptions } from '../sync/backoff';
import type { CommandTransport } from './transport';
import { decodeReason, encodeReason, errorText, type ErrorText } from '../../../shared/errors';

export type OutboxReplica = Pick<ReplicaApi, 'enqueueCommand' | 'nextPendingCommand' | 'recordAttempt' | 'markCommandSent' | 'markCommandRejected' | 'listOutbox'>;

export interface OutboxOptions {
  readonly replica: OutboxReplica;
  readonly transport: CommandTransport;
  /** The signed-in person's id (recorded as the sender of queued messages). */
  readonly currentUserId: () => string;
  /** Every new entry and every status change. */
  readonly onChange?: (entry: OutboxEntry) => void;
  /** Whether the server answered (true) or could not be reached (false): feeds the 在线/离线 indicator. */
  readonly onReachability?: (reachable: boolean) => void;
  /** The server no longer accepts the token; sending pauses until `resume()`. `text` carries the reason's key. */
  readonly onUnauthenticated?: (reason: string, text?: ErrorText) => void;
  /**
   * Asked before each send; false means "not yet" (e.g. the document's offline edits have not
   * reached the server): the command stays first in line and is retried with backoff.
   */
  readonly beforeSend?: (command: OutboxCommand) => Promise<boolean>;
  /** A replica failure while sending; sending is retried later. */
  readonly onError?: (error: unknown) => void;
  readonly retry?: BackoffOptions;
  readonly now?: () => number;
}

/** How many unclaimed server answers the outbox remembers (see `takeAnswer`). */
const RECENT_ANSWERS = 32;

export class Outbox {
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private running: Promise<void> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private paused = false;
  private closed = false;
  private inflight: AbortController | null = null;
  /**
   * The server's answers to the last commands applied, by clientId, until someone takes them: the
   * caller waiting on a workflow step shows the document the server sent back instead of asking
   * for it again. Bounded: an answer nobody takes leaves after RECENT_ANSWERS newer ones.
   */
  private readonly answers = new Map<string, unknown>();

  constructor(private readonly options: OutboxOptions) {
    this.backoff = new Backoff(options.retry);
    this.now = options.now ?? Date.now;
  }

  /**
   * Queues a command; resolves once it is durable in the replica (status 待发送), then sending
   * starts in the background. Passing the clientId of an earlier call returns that entry unchanged.
   */
  async enqueue(command: OutboxCommand, clientId: string = randomUUID()): Promise<OutboxEntry> {
    const entry = await this.options.replica.enqueueCommand(clientId, command, this.options.currentUserId(), this.now());
    this.changed(entry);
    void this.flush();
    return entry;
  }

  /** The server's answer to an applied command (once: taking it forgets it); undefined when not kept. */
  takeAnswer(clientId: string): unknown {
    const answer = this.answers.get(clientId);
    this.answers.delete(clientId);
    return answer;
  }

  list(status?: OutboxStatus): Promise<OutboxEntry[]> {
    return this.options.replica.listOutbox(status);
  }

  /** Sends what is pending, in order; resolves when the queue is empty or sending had to stop. */
  flush(): Promise<void> {
    if (this.closed || this.paused) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.clearRetry();
    this.running = this.drain()
      .catch((error: unknown) => {
        // The replica failed (disk full, worker gone): nothing was lost, try again later.
        this.options.onError?.(error);
        this.scheduleRetry();
      })
      .finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    });
    return this.running;
  }

  /** Continue after a sign-in or when the connection came back; retries at once. */
  resume(): Promise<void> {
    this.paused = false;
    this.backoff.reset();
    if (this.inflight) {
      // An attempt begun before the network came back may hang on a dead connection until its
      // timeout. Abort it and send again at once: the clientId makes the repeat harmless.
      this.again = true;
      this.inflight.abort();
      return this.running ?? Promise.resolve();
    }
    return this.flush();
  }

  /** Stops sending; what is pending stays in the replica for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearRetry();
    this.inflight?.abort();
    await this.running;
  }

  private async drain(): Promise<void> {
    // Bounded by the queue: each pass settles the head (sent/rejected) or stops.
    for (;;) {
      if (this.closed || this.paused) return;
      const head = await this.options.replica.nextPendingCommand();
      if (!head) return;
      if (this.options.beforeSend && !(await this.options.beforeSend(head.command))) {
        if (this.closed) return;
        this.changed(await this.options.replica.recordAttempt(head.clientId, encodeReason(errorText('outbox.syncingBody')), this.now()));
        this.scheduleRetry();
        return;
      }
      const attempt = new AbortController();
      this.inflight = attempt;
      const outcome = await this.options.transport.send(head.clientId, head.command, attempt.signal).finally(() => {
        this.inflight = null;
      });
      if (this.closed) return;
      switch (outcome.kind) {
        case 'applied':
          this.backoff.reset();
          this.options.onReachability?.(true);
          this.keepAnswer(head.clientId, outcome.response);
          this.changed(await this.options.replica.markCommandSent(head.clientId, outcome.response, this.now()));
          break;
        case 'rejected':
          this.backoff.reset();
          this.options.onReachability?.(true);
          this.changed(await this.options.replica.markCommandRejected(head.clientId, outcome.reason, this.now()));
          break;
        case 'unauthenticated': {
          this.paused = true;
          this.changed(await this.options.replica.recordAttempt(head.clientId, outcome.reason, this.now()));
          const text = decodeReason(outcome.reason);
          this.options.onUnauthenticated?.(text.message, text);
          return;
        }
        case 'unavailable':
          this.options.onReachability?.(false);
          this.changed(await this.options.replica.recordAttempt(head.clientId, outcome.reason, this.now()));
          this.scheduleRetry();
          return;
      }
    }
  }

  private keepAnswer(clientId: string, response: unknown): void {
    if (response === null || response === undefined) return;
    this.answers.set(clientId, response);
    if (this.answers.size > RECENT_ANSWERS) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
  }

  /**
   * Reports a change. (Never written as `onChange?.(await store(…))`: when no listener is set,
   * optional-call short-circuiting would skip evaluating the argument — and the store call with it.)
   */
  private changed(entry: OutboxEntry): void {
    this.options.onChange?.(entry);
  }

  private scheduleRetry(): void {
    this.clearRetry();
    const timer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, this.backoff.next());
    timer.unref();
    this.retryTimer = timer;
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
