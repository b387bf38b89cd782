/**
 * The batch sign-off state machine (批量签批), free of I/O so it can be interrupted at every step in
 * tests. Per document:
 *
 *   pending ──fetch──▶ fetched ──sign──▶ signed ──submit──▶ submitted ──decision──▶ done
 *      │                  │                 │                    └──────────────────▶ failed(reason)
 *      └──────────────────┴─────────────────┴── a refusal ─────────────────────────▶ failed(reason)
 *
 * Every transition is saved before the next step starts, so a closed window, a lost network or a
 * restarted server resumes where it stopped: a signed sheet is not signed again, a submitted one is
 * not submitted again (its outbox entry carries the document's client id, fixed when the batch was
 * created, and the server applies a client id once). A transient failure (offline, server away)
 * leaves the document in its state and pauses the batch; a refusal fails that document alone.
 */
import type { ApprovalRecord } from '../../../shared/domain/documents/approvalRecord';
import type { BatchItem, BatchSignoff } from '../../../shared/api/batchSignoff.contract';
import { KeyedError, asErrorText, errorTextOf, type ErrorText } from '../../../shared/errors';

/** A step could not be done now (network, server away): the batch pauses and resumes later. */
export class TransientStepError extends KeyedError {}

/**
 * A document's reason as the batch keeps it: the zh-CN message (older views, logs) with its catalogue
 * key and params, so the batch view words it in the person's language. Fields absent from the text
 * are cleared, so a keyed reason never outlives the message it came with.
 */
export function reasonFields(text: ErrorText | undefined): Pick<BatchItem, 'reason' | 'reasonKey' | 'reasonParams'> {
  return { reason: text?.message, reasonKey: text?.key, reasonParams: text?.params };
}

/** What the machine needs from the world; the service gives real ones, tests give fakes. */
export interface BatchSteps {
  /** Reads the document and the digests it must be approved with; builds the record. */
  fetch(item: BatchItem): Promise<{ record: ApprovalRecord; title?: string }>;
  /** Renders the 处理笺 with the record and signs it; returns the signed sheet's digest (kept locally). */
  sign(item: BatchItem, record: ApprovalRecord): Promise<string>;
  /** Hands the signed approval to the outbox under `clientId` (idempotent for one client id). */
  submit(item: BatchItem, clientId: string): Promise<void>;
  /** The outbox's word on a submitted client id: still waiting, applied, or refused with the reason. */
  decision(clientId: string): Promise<{ status: 'pending' } | { status: 'sent' } | { status: 'rejected'; reason: string | ErrorText }>;
}

export interface BatchStore {
  save(batch: BatchSignoff): Promise<void>;
}

/** The client id the document's current attempt travels with (a retry after a refusal takes a new one). */
export const currentClientId = (item: BatchItem): string => item.clientIds[item.clientIds.length - 1]!;

export interface RunOptions {
  readonly steps: BatchSteps;
  readonly store: BatchStore;
  /** Whether a signer is open (the secret was entered for this run); without one, unsigned documents wait. */
  readonly canSign: boolean;
  readonly now: () => number;
  /** Called after every saved transition (progress to the renderer). */
  readonly onChange?: (batch: BatchSignoff) => void;
  /** Lets the event loop answer other calls between documents (the bridge keeps answering). */
  readonly yieldNow?: () => Promise<void>;
  /** Stop asked (sign-out, close): the run ends after the current step. */
  readonly stopped?: () => boolean;
  /** Documents fetched at once (default 4). */
  readonly fetchConcurrency?: number;
}

export type RunOutcome = 'finished' | 'paused' | 'needsSecret' | 'stopped';

async function update(batch: BatchSignoff, item: BatchItem, change: Partial<BatchItem>, options: RunOptions): Promise<void> {
  Object.assign(item, change, { updatedAt: options.now() });
  await options.store.save(batch);
  options.onChange?.(batch);
}

/**
 * Advances every document as far as it can go now. First every document is fetched (a few at a
 * time: it is network only), so a batch whose network drops later can still be signed and queued;
 * then each is signed and handed to the outbox at once, so uploading runs beside signing the next.
 * Documents whose decision is still pending stay `submitted`; `settleItem` moves them on when the
 * outbox decides.
 */
export async function runBatch(batch: BatchSignoff, options: RunOptions): Promise<RunOutcome> {
  let paused = false;
  let needsSecret = false;
  const guard = async (item: BatchItem, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      const reason = reasonFields(errorTextOf(error));
      // Once handed to the outbox only the server's answer decides: any other failure waits, never
      // fails the document (a retry under a new id could then apply it twice).
      if (error instanceof TransientStepError || item.state === 'submitted') {
        paused = true;
        await update(batch, item, reason, options);
      } else {
        await update(batch, item, { state: 'failed', ...reason }, options);
      }
    }
  };

  const pending = batch.items.filter((i) => i.state === 'pending');
  const concurrency = options.fetchConcurrency ?? 4;
  let next = 0;
  const fetcher = async (): Promise<void> => {
    while (next < pending.length && !options.stopped?.()) {
      const item = pending[next++]!;
      await guard(item, async () => {
        const { record, title } = await options.steps.fetch(item);
        await update(batch, item, { state: 'fetched', record, ...reasonFields(undefined), ...(title ? { title } : {}) }, options);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, fetcher));

  for (const item of batch.items) {
    if (options.stopped?.()) return 'stopped';
    await guard(item, async () => {
      if (item.state === 'fetched') {
        if (!options.canSign || !item.record) {
          needsSecret = true;
          return;
        }
        const sheetSha256 = await options.steps.sign(item, item.record);
        await update(batch, item, { state: 'signed', sheetSha256 }, options);
      }
      if (item.state === 'signed') {
        await options.steps.submit(item, currentClientId(item));
        await update(batch, item, { state: 'submitted', ...reasonFields(undefined) }, options);
      }
      if (item.state === 'submitted') await settleItem(batch, item, options);
    });
    await options.yieldNow?.();
  }
  if (options.stopped?.()) return 'stopped';
  if (paused) return 'paused';
  if (needsSecret) return 'needsSecret';
  return batch.items.every((i) => i.state === 'done' || i.state === 'failed') ? 'finished' : 'paused';
}

/** Moves a submitted document to done or failed when the outbox has decided. */
export async function settleItem(batch: BatchSignoff, item: BatchItem, options: Pick<RunOptions, 'steps' | 'store' | 'now' | 'onChange'>): Promise<void> {
  if (item.state !== 'submitted') return;
  const decision = await options.steps.decision(currentClientId(item));
  if (decision.status === 'sent') await update(batch, item, { state: 'done', ...reasonFields(undefined) }, options as RunOptions);
  else if (decision.status === 'rejected') await update(batch, item, { state: 'failed', ...reasonFields(asErrorText(decision.reason)), refused: true }, options as RunOptions);
}

/**
 * 重试失败项: a failed document starts again from the beginning with a new client id (the refused
 * one is spent: the outbox keeps it as refused). One that failed before submission keeps its id.
 */
export function retryFailed(batch: BatchSignoff, newClientId: () => string, now: number): number {
  let count = 0;
  for (const item of batch.items) {
    if (item.state !== 'failed') continue;
    // Refused by the server: that id is spent (the outbox keeps it as refused), a fresh one goes now.
    const wasSubmitted = item.refused === true;
    item.state = 'pending';
    item.refused = undefined;
    Object.assign(item, reasonFields(undefined));
    item.record = undefined;
    item.sheetSha256 = undefined;
    if (wasSubmitted) item.clientIds = [...item.clientIds, newClientId()];
    item.updatedAt = now;
    count += 1;
  }
  return count;
}

/** n of N and the failures, for the progress bar. */
export function progressOf(batch: BatchSignoff): { done: number; failed: number; total: number } {
  return {
    done: batch.items.filter((i) => i.state === 'done').length,
    failed: batch.items.filter((i) => i.state === 'failed').length,
    total: batch.items.length,
  };
}
