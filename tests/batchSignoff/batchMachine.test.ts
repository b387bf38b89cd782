/**
 * The batch state machine interrupted at every step of every document (the window closed, the
 * process killed: the step throws and nothing after it runs), then resumed from what was saved: every
 * document ends done, each submitted to the outbox under its one client id and applied once.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { retryFailed, runBatch, TransientStepError, type BatchSteps } from '../../src/main/services/batchSignoff/batchMachine';
import type { BatchSignoff } from '../../src/shared/api/batchSignoff.contract';
import type { ApprovalRecord } from '../../src/shared/domain/documents/approvalRecord';
import { errorText } from '../../src/shared/errors';

class Interrupted extends Error {}

const record = (documentId: string): ApprovalRecord => ({
  format: 'xietong.approval/1',
  documentId,
  version: 1,
  bodySha256: 'a'.repeat(64),
  fieldsSha256: 'b'.repeat(64),
  opinion: '同意',
  at: '2026-12-05T08:00:00.000Z',
});

function newBatch(count: number): BatchSignoff {
  return {
    id: randomUUID(),
    userId: 'user-wang',
    createdAt: 0,
    items: Array.from({ length: count }, (_, i) => ({ documentId: `doc-${i}`, title: `第${i}份`, opinion: '同意', clientIds: [randomUUID()], state: 'pending' as const, updatedAt: 0 })),
  };
}

/** A fake world: a "server" that applies a client id once, and an outbox that decides at once. */
function world(interruptAt?: { step: keyof BatchSteps | 'save'; call: number }) {
  const applied = new Map<string, number>();
  const enqueued = new Map<string, number>();
  const signed = new Map<string, number>();
  let saved = '';
  const calls: Record<string, number> = {};
  const maybeInterrupt = (step: keyof BatchSteps | 'save') => {
    calls[step] = (calls[step] ?? 0) + 1;
    if (interruptAt && interruptAt.step === step && interruptAt.call === calls[step]) throw new Interrupted(`interrupted at ${step} #${calls[step]}`);
  };
  const steps: BatchSteps = {
    fetch: (item) => {
      maybeInterrupt('fetch');
      return Promise.resolve({ record: record(item.documentId) });
    },
    sign: (item) => {
      maybeInterrupt('sign');
      signed.set(item.documentId, (signed.get(item.documentId) ?? 0) + 1);
      return Promise.resolve('c'.repeat(64));
    },
    submit: (_item, clientId) => {
      maybeInterrupt('submit');
      // The outbox keeps one entry per client id; the server applies each id once.
      enqueued.set(clientId, (enqueued.get(clientId) ?? 0) + 1);
      applied.set(clientId, 1);
      return Promise.resolve();
    },
    decision: (clientId) => {
      maybeInterrupt('decision');
      return Promise.resolve(applied.has(clientId) ? { status: 'sent' as const } : { status: 'pending' as const });
    },
  };
  const store = {
    save: (batch: BatchSignoff) => {
      maybeInterrupt('save');
      saved = JSON.stringify(batch);
      return Promise.resolve();
    },
  };
  return {
    steps,
    store,
    applied,
    enqueued,
    signed,
    /** What the service saved when it made the batch, before any step. */
    seed: (batch: BatchSignoff) => void (saved = JSON.stringify(batch)),
    reload: (): BatchSignoff => JSON.parse(saved) as BatchSignoff,
  };
}

const stepsToInterrupt: Array<keyof BatchSteps | 'save'> = ['fetch', 'sign', 'submit', 'decision', 'save'];

describe('batch state machine', () => {
  for (const step of stepsToInterrupt) {
    for (const call of [1, 2, 3, 4]) {
      it(`interrupted at ${step} #${call}, resumed from what was saved: all done, each applied once`, async () => {
        const batch = newBatch(3);
        const fake = world({ step, call });
        // What was saved before anything ran (the service saves the new batch first).
        fake.seed(batch);
        // A crash while saving ends the run (it throws); any other step's interruption fails or pauses that document.
        await runBatch(batch, { steps: fake.steps, store: fake.store, canSign: true, now: () => 1, fetchConcurrency: 1 }).catch((error: unknown) => {
          if (!(error instanceof Interrupted)) throw error;
        });
        const resumed = fake.reload();
        for (const item of resumed.items) {
          // A document failed by the interruption is retried as the person would: 重试失败项.
          if (item.state === 'failed') expect(item.reason).toMatch(/interrupted/);
        }
        retryFailed(resumed, randomUUID, 2);
        const again = world();
        again.applied.clear();
        // The same "server": ids applied before the interruption stay applied.
        for (const [id, n] of fake.applied) again.applied.set(id, n);
        const outcome = await runBatch(resumed, { steps: again.steps, store: again.store, canSign: true, now: () => 3 });
        expect(outcome).toBe('finished');
        expect(resumed.items.map((i) => i.state)).toEqual(['done', 'done', 'done']);
        // Exactly once per document: one applied client id each.
        for (const item of resumed.items) {
          const appliedIds = item.clientIds.filter((id) => fake.applied.has(id) || again.applied.has(id));
          expect(appliedIds).toHaveLength(1);
        }
      });
    }
  }

  it('without the secret, fetched documents wait (needsSecret) and nothing is signed', async () => {
    const batch = newBatch(2);
    const fake = world();
    expect(await runBatch(batch, { steps: fake.steps, store: fake.store, canSign: false, now: () => 1 })).toBe('needsSecret');
    expect(batch.items.map((i) => i.state)).toEqual(['fetched', 'fetched']);
    expect(fake.signed.size).toBe(0);
  });

  it('offline: a transient failure pauses the document in its state with the reason, and it continues later', async () => {
    const batch = newBatch(2);
    const fake = world();
    const offline: BatchSteps = { ...fake.steps, fetch: () => Promise.reject(new TransientStepError('无法连接服务器，恢复后继续')) };
    expect(await runBatch(batch, { steps: offline, store: fake.store, canSign: true, now: () => 1 })).toBe('paused');
    expect(batch.items.map((i) => [i.state, i.reason])).toEqual([
      ['pending', '无法连接服务器，恢复后继续'],
      ['pending', '无法连接服务器，恢复后继续'],
    ]);
    expect(await runBatch(batch, { steps: fake.steps, store: fake.store, canSign: true, now: () => 2 })).toBe('finished');
    expect(batch.items.every((i) => i.state === 'done' && i.reason === undefined)).toBe(true);
  });

  it('a refusal fails that document alone; 重试失败项 sends it again under a new client id', async () => {
    const batch = newBatch(2);
    const fake = world();
    const refusing: BatchSteps = { ...fake.steps, decision: (id) => Promise.resolve(id === batch.items[0]!.clientIds[0] ? { status: 'rejected', reason: '签批证书不是王建国' } : { status: 'sent' }) };
    await runBatch(batch, { steps: refusing, store: fake.store, canSign: true, now: () => 1 });
    expect(batch.items.map((i) => [i.state, i.reason])).toEqual([
      ['failed', '签批证书不是王建国'],
      ['done', undefined],
    ]);
    expect(retryFailed(batch, randomUUID, 2)).toBe(1);
    expect(batch.items[0]!.clientIds).toHaveLength(2);
    expect(await runBatch(batch, { steps: fake.steps, store: fake.store, canSign: true, now: () => 3 })).toBe('finished');
  });

  it('keeps a reason\'s catalogue key and params beside its Chinese message, and clears them with it', async () => {
    const batch = newBatch(2);
    const fake = world();
    const offline: BatchSteps = { ...fake.steps, fetch: () => Promise.reject(new TransientStepError(errorText('batch.unreachable'))) };
    await runBatch(batch, { steps: offline, store: fake.store, canSign: true, now: () => 1 });
    expect(batch.items[0]).toMatchObject({ state: 'pending', reason: '无法连接服务器，恢复后继续', reasonKey: 'batch.unreachable' });
    const refused = errorText('approval.certificateNotSigner', { name: '王建国', unitName: '市政府办公室', signer: '李文' });
    const refusing: BatchSteps = { ...fake.steps, decision: () => Promise.resolve({ status: 'rejected', reason: refused }) };
    await runBatch(batch, { steps: refusing, store: fake.store, canSign: true, now: () => 2 });
    expect(batch.items[0]).toMatchObject({ state: 'failed', reason: refused.message, reasonKey: refused.key, reasonParams: refused.params });
    retryFailed(batch, randomUUID, 3);
    expect(batch.items[0]!.reasonKey).toBeUndefined();
    expect(JSON.parse(JSON.stringify(batch.items[0]))).not.toHaveProperty('reasonKey');
  });
});
