/**
 * 批量签批 in main: the `batchSignoff:*` calls. A batch is made with every document's client id
 * fixed and saved in the replica before anything is signed; `runBatch` then fetches, signs and
 * queues each document, saving every step, and the outbox carries each signed 同意 to the server
 * (now, or when the network is back; the server verifies the signature again and applies each client
 * id once). Reopening the batch view, or the app, shows the batch as saved and resumes it.
 *
 * The secret: the PKCS#12 bytes and password (or the UKey PIN) arrive with `start`/`resume`, open one
 * signer for the run, and are dropped when it ends — the bytes are zeroed, the key closed. Nothing of
 * them is written anywhere. Documents not yet signed when a run ends wait for the secret again.
 *
 * The 处理笺 is laid out in a worker thread (sheetRenderer.ts) and only signed here (milliseconds), and
 * the run yields to the event loop between documents, so the bridge keeps answering the window during
 * a batch.
 */
import { randomUUID } from 'node:crypto';
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import {
  BatchSignoffSchema,
  type BatchSecret,
  type BatchSignoff,
  type BatchStatus,
  type batchSignoffCalls,
  type SkippedDocument,
} from '../../../shared/api/batchSignoff.contract';
import type { OutboxEntry } from '../../../shared/api/offline.contract';
import { ApprovalBasisSchema, type ApprovalRecord } from '../../../shared/domain/documents/approvalRecord';
import type { FontOverrides } from '../../../shared/domain/documents';
import { InkDrawingSchema } from '../../../shared/domain/documents/opinion';
import type { UkeyModule } from '../../../shared/deployment';
import { DocumentViewSchema, type DocumentView } from '../../../shared/http/documents';
import { openPkcs11Signer, openPkcs12Signer, SignerError, type Signer } from '../../../signing';
import type { EventSink } from '../appServices';
import { failureOf, isUnreachable, type ServerCalls } from '../documents/serverCalls';
import type { Outbox } from '../outbox/outbox';
import type { Replica } from '../replica/replica';
import { buildApprovalRecord, signApprovalSheet } from './approvalSheet';
import { createSheetRenderer, type SheetRenderer } from './sheetRenderer';
import { currentClientId, progressOf, retryFailed, runBatch, settleItem, TransientStepError, type BatchSteps } from './batchMachine';
import { errorText, type ErrorText } from '../../../shared/errors';

export type BatchSignoffHandlers = HandlersOf<{ batchSignoff: typeof batchSignoffCalls }, unknown>['batchSignoff'];

export interface BatchSignoffServiceOptions {
  readonly server: ServerCalls;
  readonly offline: () => {
    replica: Pick<Replica, 'saveBatchSignoff' | 'loadBatchSignoff' | 'outboxEntry' | 'putBlob' | 'getBlob' | 'loadSavedSignature' | 'saveSavedSignature'>;
    outbox: Pick<Outbox, 'enqueue'>;
  } | null;
  readonly emit: EventSink;
  /** The signed-in person, or null. */
  readonly person: () => { id: string; name: string; unitName: string } | null;
  readonly fonts?: FontOverrides;
  /** The UKey drivers the deployment allows (deployment.json `ukeyModules`); the only libraries loaded. */
  readonly ukeyModules?: () => readonly UkeyModule[];
  /** How long a paused run waits before trying again (default 3 s), and how often (default 100). */
  readonly retryDelayMs?: number;
  readonly maxRetries?: number;
}

export interface BatchSignoffService {
  readonly handlers: BatchSignoffHandlers;
  /** OFFLINE's outbox reports: a decision on one of our documents settles it. */
  outboxChanged(entry: OutboxEntry): void;
  /** Stops every run (sign-out, close); their signers are closed. */
  close(): void;
}

interface ActiveRun {
  batch: BatchSignoff;
  running: boolean;
  needsSecret: boolean;
  paused: boolean;
  startedAt: number;
  doneAtStart: number;
}

const seg = encodeURIComponent;
const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Why a UKey could not be used, in the person's words (the signer's messages are for logs). */
function ukeyFailure(error: SignerError, person: string): ErrorText {
  const message = error.message;
  if (/refused the PIN/.test(message)) return errorText('batch.ukeyPinWrong');
  if (/no token/.test(message)) return errorText('batch.ukeyMissing');
  if (/cannot load the PKCS#11 module/.test(message)) return errorText('batch.ukeyDriverFailed');
  if (/accepted|no private key/.test(message)) return errorText('batch.ukeyNoCertificate', { name: person });
  return errorText('batch.tokenFailed', { message });
}

/**
 * Opens the signer of a secret; a wrong password or PIN is the person's to correct. A UKey's driver
 * must be one the deployment lists (never a path from the window: loading a library runs its code in
 * main), and of the token's certificates the one issued to the person signs — the server accepts no other.
 */
async function openSigner(secret: BatchSecret, person: { name: string }, modules: readonly UkeyModule[]): Promise<Signer> {
  if (secret.kind === 'pkcs11' && !modules.some((m) => m.path === secret.module)) {
    throw new ApiFailure('invalid_input', modules.length === 0 ? errorText('batch.ukeyNotConfigured') : errorText('batch.ukeyDriverNotListed'));
  }
  try {
    if (secret.kind === 'p12') {
      const bytes = Buffer.from(secret.p12, 'base64');
      try {
        return openPkcs12Signer(bytes, secret.password);
      } finally {
        bytes.fill(0);
      }
    }
    return await openPkcs11Signer({
      modulePath: secret.module,
      pin: secret.pin,
      ...(secret.tokenLabel ? { tokenLabel: secret.tokenLabel } : {}),
      acceptCertificate: (certificate) => commonName(certificate.subject) === person.name,
    });
  } catch (error) {
    if (error instanceof SignerError) throw new ApiFailure('invalid_input', secret.kind === 'p12' ? errorText('batch.certificateLocked') : ukeyFailure(error, person.name));
    throw error;
  }
}

/** The CN of an X.509 subject as Node prints it (one `key=value` per line). */
function commonName(subject: string): string | undefined {
  return subject
    .split('\n')
    .find((line) => line.startsWith('CN='))
    ?.slice(3);
}

export function createBatchSignoffService(options: BatchSignoffServiceOptions): BatchSignoffService {
  const { server } = options;
  const runs = new Map<string, ActiveRun>();
  /** Document views read by the fetch step, for rendering the sheet without a second request. */
  const views = new Map<string, DocumentView>();
  let closed = false;
  /** The 处理笺 layout runs in a worker thread: main's loop keeps answering the window during a batch. */
  const sheets: SheetRenderer = createSheetRenderer();

  /** The replica and outbox; they open in the background after a sign-in, so wait for them (15 s at most). */
  const local = async () => {
    for (let i = 0; i < 75 && !options.offline() && options.person(); i += 1) await new Promise((resolve) => setTimeout(resolve, 200));
    const services = options.offline();
    if (!services) throw new ApiFailure('unavailable', errorText('client.replicaNotReady'));
    return services;
  };
  const personOrFail = () => {
    const person = options.person();
    if (!person) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    return person;
  };

  const save = async (batch: BatchSignoff): Promise<void> => {
    await (await local()).replica.saveBatchSignoff(batch.id, batch.userId, JSON.stringify(batch), batch.createdAt, Date.now());
  };

  const statusOf = (batch: BatchSignoff): BatchStatus => {
    const run = runs.get(batch.id);
    const { done, failed, total } = progressOf(batch);
    let etaMs: number | undefined;
    if (run?.running) {
      const finished = done - run.doneAtStart;
      const elapsed = Date.now() - run.startedAt;
      if (finished > 0) etaMs = Math.round((elapsed / finished) * (total - done - failed));
    }
    return {
      batch,
      running: run?.running ?? false,
      needsSecret: batch.items.some((i) => i.state === 'pending' || i.state === 'fetched') && !(run?.running ?? false),
      paused: run?.paused ?? false,
      done,
      failed,
      total,
      ...(etaMs !== undefined ? { etaMs } : {}),
    };
  };
  const publish = (batch: BatchSignoff): void => options.emit('batchSignoffChanged', statusOf(batch));

  /** A failed server call: transient when the server cannot be reached or is away, else the reason. */
  const stepError = (error: unknown): Error => {
    if (isUnreachable(error)) return new TransientStepError(errorText('batch.unreachable'));
    const failure = failureOf(error);
    if (failure.code === 'unavailable' || failure.code === 'offline') return new TransientStepError(failure);
    return failure;
  };

  const fetchView = async (id: string): Promise<DocumentView> => {
    const view = await server.json(`/api/documents/${seg(id)}`, { schema: DocumentViewSchema });
    views.set(id, view);
    return view;
  };

  const stepsFor = (batch: BatchSignoff, signer: Signer | null): BatchSteps => ({
    async fetch(item) {
      try {
        const view = await fetchView(item.documentId);
        if (!view.availableActions.some((a) => a.action === 'approve')) throw new ApiFailure('forbidden', errorText('batch.notAtSignoff', { stateLabel: view.stateLabel }));
        const basis = await server.json(`/api/documents/${seg(item.documentId)}/approval-basis`, { schema: ApprovalBasisSchema });
        return { record: buildApprovalRecord(basis, item.opinion, batch.ink, new Date()), title: view.title };
      } catch (error) {
        throw stepError(error);
      }
    },
    async sign(item, record: ApprovalRecord) {
      if (!signer) throw new TransientStepError(errorText('batch.secretNeeded'));
      let view = views.get(item.documentId);
      if (!view) {
        try {
          view = await fetchView(item.documentId);
        } catch (error) {
          throw stepError(error);
        }
      }
      const person = personOrFail();
      const sheet = await sheets.render({ view, record, ...(batch.ink ? { ink: batch.ink } : {}), actor: person, unitName: person.unitName, ...(options.fonts ? { fonts: options.fonts } : {}) });
      const signed = await signApprovalSheet(sheet, signer, record);
      return (await local()).replica.putBlob(signed, 'application/pdf');
    },
    async submit(item, clientId) {
      const { replica, outbox } = await local();
      const blob = item.sheetSha256 ? await replica.getBlob(item.sheetSha256) : null;
      if (!blob || !item.record) throw new ApiFailure('internal', errorText('batch.sheetMissing'));
      const opinion = { ...(item.record.opinion ? { text: item.record.opinion } : {}), ...(batch.ink ? { ink: batch.ink } : {}) };
      await outbox.enqueue(
        {
          type: 'document.action',
          documentId: item.documentId,
          action: 'approve',
          ...(Object.keys(opinion).length > 0 ? { opinion } : {}),
          version: item.record.version,
          approvalSignature: { record: item.record, sheetPdf: Buffer.from(blob.data).toString('base64') },
        },
        clientId,
      );
    },
    async decision(clientId) {
      const entry = await (await local()).replica.outboxEntry(clientId);
      if (!entry || entry.status === 'pending') return { status: 'pending' };
      if (entry.status === 'sent') return { status: 'sent' };
      const { reason, reasonKey, reasonParams } = entry;
      return { status: 'rejected', reason: reason === null ? errorText('batch.refused') : { message: reason, ...(reasonKey ? { key: reasonKey } : {}), ...(reasonParams ? { params: reasonParams } : {}) } };
    },
  });

  /** Runs a batch until it finishes, needs the secret, or the server stays away; the signer closes after. */
  const run = async (batch: BatchSignoff, signer: Signer | null): Promise<void> => {
    const existing = runs.get(batch.id);
    const state: ActiveRun = { batch, running: true, needsSecret: false, paused: false, startedAt: Date.now(), doneAtStart: progressOf(batch).done };
    if (existing?.running) throw new ApiFailure('conflict', errorText('batch.running'));
    runs.set(batch.id, state);
    try {
      for (let attempt = 0; attempt <= (options.maxRetries ?? 100) && !closed; attempt += 1) {
        const outcome = await runBatch(batch, {
          steps: stepsFor(batch, signer),
          store: { save },
          canSign: signer !== null,
          now: Date.now,
          onChange: publish,
          yieldNow,
          stopped: () => closed,
        });
        state.paused = outcome === 'paused' && batch.items.some((i) => i.state !== 'done' && i.state !== 'failed' && i.state !== 'submitted');
        if (!state.paused) break;
        publish(batch);
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 3_000));
      }
    } finally {
      signer?.close();
      state.running = false;
      state.paused = false;
      publish(batch);
    }
  };

  const load = async (batchId?: string): Promise<BatchSignoff | null> => {
    const person = personOrFail();
    const active = batchId ? runs.get(batchId)?.batch : undefined;
    if (active && active.userId === person.id) return active;
    const json = await (await local()).replica.loadBatchSignoff(person.id, batchId);
    if (!json) return null;
    const batch = BatchSignoffSchema.parse(JSON.parse(json));
    // Keep one object per batch: the outbox's decisions settle the one the views read.
    const kept = runs.get(batch.id);
    if (kept) return kept.batch;
    runs.set(batch.id, { batch, running: false, needsSecret: false, paused: false, startedAt: Date.now(), doneAtStart: progressOf(batch).done });
    return batch;
  };

  /** Submitted documents the outbox has decided meanwhile (a restart, a closed window) move on. */
  const settleAll = async (batch: BatchSignoff): Promise<void> => {
    const steps = stepsFor(batch, null);
    for (const item of batch.items) if (item.state === 'submitted') await settleItem(batch, item, { steps, store: { save }, now: Date.now, onChange: publish });
  };

  const handlers: BatchSignoffHandlers = {
    async prepare({ ids }) {
      personOrFail();
      const eligible: Array<{ id: string; title: string; dueDate?: string }> = [];
      const skipped: SkippedDocument[] = [];
      const skip = (id: string, title: string, text: ErrorText): void => {
        skipped.push({ id, title, reason: text.message, ...(text.key ? { reasonKey: text.key } : {}), ...(text.params ? { reasonParams: text.params } : {}) });
      };
      const unique = [...new Set(ids)];
      const results = new Map<string, { view?: DocumentView; reason?: ErrorText }>();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < unique.length) {
          const id = unique[next++]!;
          try {
            results.set(id, { view: await fetchView(id) });
          } catch (error) {
            results.set(id, { reason: failureOf(error) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(4, unique.length) }, worker));
      for (const id of unique) {
        const { view, reason } = results.get(id) ?? {};
        if (!view) skip(id, id, reason ?? errorText('batch.cannotRead'));
        else if (!view.availableActions.some((a) => a.action === 'approve')) skip(id, view.title, errorText('batch.notAtSignoff', { stateLabel: view.stateLabel }));
        else eligible.push({ id, title: view.title, ...(view.fields.dueDate ? { dueDate: view.fields.dueDate } : {}) });
      }
      return { eligible, skipped };
    },

    ukeys() {
      return Promise.resolve({ modules: (options.ukeyModules?.() ?? []).map((m) => ({ name: m.name, path: m.path })) });
    },

    async savedInk() {
      const person = personOrFail();
      const json = await (await local()).replica.loadSavedSignature(person.id);
      if (!json) return { ink: null };
      try {
        const parsed = InkDrawingSchema.safeParse(JSON.parse(json));
        // A damaged entry is not trusted as the person's signature: it is shown as none.
        return { ink: parsed.success ? parsed.data : null };
      } catch {
        return { ink: null };
      }
    },

    async saveInk({ ink }) {
      const person = personOrFail();
      await (await local()).replica.saveSavedSignature(person.id, ink ? JSON.stringify(ink) : null, Date.now());
      return { ink };
    },

    async start({ items, ink, secret }) {
      const person = personOrFail();
      const signer = await openSigner(secret, person, options.ukeyModules?.() ?? []);
      const now = Date.now();
      const batch: BatchSignoff = {
        id: randomUUID(),
        userId: person.id,
        createdAt: now,
        ...(ink ? { ink } : {}),
        items: items.map((i) => ({ documentId: i.id, title: i.title, opinion: i.opinion, clientIds: [randomUUID()], state: 'pending' as const, updatedAt: now })),
      };
      try {
        await save(batch);
      } catch (error) {
        signer.close();
        throw error;
      }
      void run(batch, signer).catch((error: unknown) => console.error('[batchSignoff]', error));
      return statusOf(batch);
    },

    async status({ batchId }) {
      const batch = await load(batchId);
      if (!batch) return null;
      if (!runs.get(batch.id)?.running) await settleAll(batch);
      return statusOf(batch);
    },

    async resume({ batchId, secret, retryFailed: retry }) {
      const batch = await load(batchId);
      if (!batch) throw new ApiFailure('not_found', errorText('batch.notFound'));
      if (runs.get(batch.id)?.running) return statusOf(batch);
      await settleAll(batch);
      if (retry) retryFailed(batch, randomUUID, Date.now());
      const unsigned = batch.items.some((i) => i.state === 'pending' || i.state === 'fetched');
      if (unsigned && !secret) throw new ApiFailure('invalid_input', errorText('batch.passwordNeeded'));
      const signer = unsigned && secret ? await openSigner(secret, personOrFail(), options.ukeyModules?.() ?? []) : null;
      await save(batch);
      void run(batch, signer).catch((error: unknown) => console.error('[batchSignoff]', error));
      return { ...statusOf(batch), running: true };
    },
  };

  return {
    handlers,
    outboxChanged(entry) {
      if (entry.status === 'pending') return;
      for (const { batch } of runs.values()) {
        const item = batch.items.find((i) => i.state === 'submitted' && currentClientId(i) === entry.clientId);
        if (!item) continue;
        void settleItem(batch, item, { steps: stepsFor(batch, null), store: { save }, now: Date.now, onChange: publish }).catch((error: unknown) => console.error('[batchSignoff]', error));
      }
    },
    close() {
      closed = true;
      void sheets.close();
      runs.clear();
      views.clear();
    },
  };
}
