/**
 * The main-process side of documents, exchange, the directory and our outbox commands for the
 * renderer (src/shared/api/documents.contract.ts). Online it asks the server and keeps what it got
 * in OFFLINE's replica; offline it answers from the replica, marked `fromReplica`. Workflow and
 * exchange steps are commands: they go through OFFLINE's outbox with a client-generated id, so a
 * step taken offline is kept, shown as 待发送, and sent once when the server is back.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import type { DocumentCommand, LocalDocument, directoryCalls, documentCalls, exchangeCalls, outboxCalls } from '../../../shared/api/documents.contract';
import type { OutboxCommand, OutboxEntry } from '../../../shared/api/offline.contract';
import type { VoiceNote } from '../../../shared/domain/documents/opinion';
import {
  AuditResponseSchema,
  DocumentListResponseSchema,
  DocumentViewSchema,
  ExchangeListResponseSchema,
  type DocumentBox,
  type DocumentListItem,
  type DocumentView,
  type ExchangeItem,
} from '../../../shared/http/documents';
import { DirectoryUnitsResponseSchema, DirectoryUsersResponseSchema, type DirectoryUnit, type DirectoryUser } from '../../../shared/http/directory';
import { DirectoryUnitSchema, DirectoryUserSchema } from '../../../shared/http/directory';
import { PhrasesSchema, type Phrases } from '../../../shared/http/phrases';
import { ExchangeVerificationSchema } from '../../../shared/http/exchange';
import type { EventSink } from '../appServices';
import type { OfflineServices } from '../sync/offlineServices';
import { commandOf, targetOf } from './commands';
import { createChangeFeed } from './changeFeed';
import { DocumentCache } from './documentCache';
import { localDraftView } from './localDraft';
import { failureOf, isUnreachable, type ServerCalls } from './serverCalls';
import { ServerHttpError } from '../serverClient';
import { errorText } from '../../../shared/errors';

type Contract = {
  documents: typeof documentCalls;
  exchange: typeof exchangeCalls;
  directory: typeof directoryCalls;
  outbox: typeof outboxCalls;
};
export type DocumentHandlers = HandlersOf<Contract, unknown>;

export interface DocumentsServiceOptions {
  readonly server: ServerCalls;
  /** The signed-in person's offline services (OFFLINE's controller); null while signed out. */
  readonly offline: () => Pick<OfflineServices, 'replica' | 'outbox' | 'search'> | null;
  readonly emit: EventSink;
  /** True while the server is believed reachable (the 在线 indicator). */
  readonly isOnline: () => boolean;
  /** True while someone is signed in. */
  readonly isSignedIn: () => boolean;
  /** The signed-in person's id (what is remembered in memory is kept per person). */
  readonly userId: () => string | null;
  /** The signed-in person (a draft made offline is theirs: its first holder and drafter). */
  readonly currentUser?: () => { id: string; name: string; unitId: string; unitName: string; roles: DirectoryUser['roles'] } | null;
  /**
   * How often 待办 is re-read when the server has no change feed (an older server; default 60 s).
   * With the feed, lists follow it and nothing is polled.
   */
  readonly pollIntervalMs?: number;
  /** Seconds the change feed's long-poll may wait on the server (default 25). */
  readonly feedWaitSeconds?: number;
  /** How long `documents:act` waits for the server's decision before answering 待发送 (default 8 s). */
  readonly decisionWaitMs?: number;
}

export interface DocumentsService {
  readonly handlers: DocumentHandlers;
  /** Feed of OFFLINE's outbox changes (wire `onOutboxChanged` here). */
  outboxChanged(entry: OutboxEntry): void;
  /** Queues a command and waits (bounded) for the server's decision; used by 用印 too. */
  submit(command: OutboxCommand): Promise<{ command: DocumentCommand; document?: LocalDocument }>;
  /** Reads a document again (after our own upload, say). */
  get(id: string): Promise<LocalDocument>;
  /**
   * Follows the change feed again after a sign-in, sign-out or reconnection (and stops it while
   * signed out or offline); without a feed, re-reads 待办 now.
   */
  refresh(): void;
  /** Stops the feed: aborts its request in flight and clears every timer. */
  close(): void;
}

type PdfCopy = z.input<(typeof documentCalls)['pdf']['output']>;

const allBoxes: DocumentBox[] = ['todo', 'done', 'drafts', 'outgoing', 'incoming'];
/** Where a new draft appears (as the server lists it: its drafter holds it, 待办 too). */
const localDraftBoxes: DocumentBox[] = ['drafts', 'todo', 'outgoing'];
const PAGE = 20;
/** Exchange items per page: a notice to every unit of a city (220 in Foshan) is tracked on one page. */
const EXCHANGE_PAGE = 250;

/** 待办's filters (文种, 紧急程度, 办理期限 on or before), as the server's list query takes them. */
interface ListFilter {
  readonly type?: DocumentListItem['type'];
  readonly urgency?: DocumentListItem['urgency'];
  readonly dueBy?: string;
}

/** The same filters over the replica's copy, when the server cannot be reached. */
function matchesFilter(item: DocumentListItem, filter: ListFilter): boolean {
  return (!filter.type || item.type === filter.type) && (!filter.urgency || item.urgency === filter.urgency) && (!filter.dueBy || (item.dueDate !== undefined && item.dueDate <= filter.dueBy));
}
const REPLICA_CURSOR = 'r:';
const seg = encodeURIComponent;

export function createDocumentsService(options: DocumentsServiceOptions): DocumentsService {
  const { server, emit } = options;
  /**
   * The person's offline services. They open in the background right after a sign-in (the replica
   * worker starts), so a call made at that moment waits for them — bounded: 15 s at most.
   */
  const offlineReady = async (): Promise<Pick<OfflineServices, 'replica' | 'outbox' | 'search'>> => {
    for (let i = 0; i < 75; i += 1) {
      const services = options.offline();
      if (services) return services;
      if (!options.isSignedIn()) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const services = options.offline();
    if (!services) throw new ApiFailure(options.isSignedIn() ? 'unavailable' : 'unauthenticated', options.isSignedIn() ? errorText('client.replicaNotReady') : errorText('http.signInFirst'));
    return services;
  };
  const cache = new DocumentCache({
    getDocument: async (id) => (await offlineReady()).replica.getDocument(id),
    upsertDocuments: async (entries) => (await offlineReady()).replica.upsertDocuments(entries),
    listBox: async (box, limit, after) => (await offlineReady()).replica.listBox(box, limit, after),
  });
  const waiters = new Map<string, (entry: OutboxEntry) => void>();
  /** Exchange lists as last received: shown (marked fromReplica) when the server cannot be reached. */
  const lastExchange = new Map<string, ExchangeItem[]>();
  /** 常用语 as last read from the server, and whose they are (never offered to the next person signing in). */
  let lastPhrases: { userId: string | null; value: Phrases } | null = null;
  // Per person: someone else signing in on this computer must never see another's exchange list.
  const exchangeKey = (box: 'incoming' | 'outgoing'): string => `${options.userId() ?? ''}\u0000${box}`;
  let todoSignature: string | null = null;
  let closed = false;

  /** Keeps a copy for offline use; a failure there must not cost the person the answer they got. */
  const remember = async (write: Promise<unknown>): Promise<void> => {
    try {
      await write;
    } catch {
      // The copy stays as it was; the next successful read writes it again.
    }
  };

  /**
   * Our commands on one document: all that wait or were refused, and those sent in the last hour —
   * except a draft's creation once sent (the document itself shows that it reached the server).
   */
  const commandsFor = async (targetId: string): Promise<DocumentCommand[]> =>
    (await (await offlineReady()).outbox.list())
      .filter((entry) => targetOf(entry) === targetId && (entry.status !== 'sent' || (entry.command.type !== 'document.create' && Date.now() - entry.updatedAt < 60 * 60_000)))
      .map(commandOf);

  /** Online first; when the server cannot be reached, `fallback` answers from the replica. */
  async function withFallback<T>(online: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    try {
      return await online();
    } catch (error) {
      if (isUnreachable(error)) return fallback();
      throw failureOf(error);
    }
  }

  async function fetchView(id: string): Promise<DocumentView> {
    return server.json(`/api/documents/${seg(id)}`, { schema: DocumentViewSchema });
  }

  async function get(id: string): Promise<LocalDocument> {
    // A draft whose creation has not reached the server (待发送, or refused) exists only here.
    const commands = await commandsFor(id);
    if (commands.some((c) => c.kind === 'document.create' && c.status !== 'sent')) {
      const cached = await cache.read(id);
      if (cached?.view) return { document: cached.view, commands, fromReplica: true };
    }
    return withFallback<LocalDocument>(
      async () => {
        const view = await fetchView(id);
        await remember(cache.putView(view));
        return { document: view, commands: await commandsFor(id), fromReplica: false };
      },
      async () => {
        const cached = await cache.read(id);
        if (!cached?.view) throw new ApiFailure('offline', errorText('offline.noDocumentCopy'));
        return { document: cached.view, commands: await commandsFor(id), fromReplica: true };
      },
    );
  }

  /** The PDF kept for `id` (the last one fetched), marked `fromReplica`; `offline`/`not_found` when none. */
  async function keptPdf(id: string): Promise<PdfCopy> {
    const cached = await cache.read(id);
    const blob = cached?.pdf ? await (await offlineReady()).replica.getBlob(cached.pdf.sha256) : null;
    if (!cached?.pdf || !blob) {
      throw options.isOnline()
        ? new ApiFailure('not_found', errorText('offline.noPdfYet'))
        : new ApiFailure('offline', errorText('offline.noPdfCopy'));
    }
    const { sha256, fetchedAt, version, sealPlacement } = cached.pdf;
    return { base64: Buffer.from(blob.data).toString('base64'), sha256, fetchedAt, version, sealPlacement, fromReplica: true };
  }

  /** The server's PDF now; the bytes are kept as a replica blob and the document points at them. */
  async function fetchPdf(id: string): Promise<PdfCopy> {
    const { bytes, sealPlacement } = await server.getPdf(id);
    const fetchedAt = new Date().toISOString();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const version = (await cache.read(id).catch(() => null))?.updatedAt;
    await remember(
      (async () => {
        const replica = (await offlineReady()).replica;
        await replica.putBlob(bytes, 'application/pdf');
        await cache.putPdf(id, { sha256, fetchedAt, version, sealPlacement });
      })(),
    );
    return { base64: Buffer.from(bytes).toString('base64'), sha256, sealPlacement, fetchedAt, version, fromReplica: false };
  }

  async function listFromServer(box: DocumentBox, cursor: string | undefined, q: string | undefined, limit = PAGE, filter: ListFilter = {}) {
    const query = new URLSearchParams({ box, limit: String(limit) });
    if (cursor && !cursor.startsWith(REPLICA_CURSOR)) query.set('cursor', cursor);
    if (q) query.set('q', q);
    if (filter.type) query.set('type', filter.type);
    if (filter.urgency) query.set('urgency', filter.urgency);
    if (filter.dueBy) query.set('dueBy', filter.dueBy);
    const filtered = Boolean(filter.type || filter.urgency || filter.dueBy);
    const page = await server.json(`/api/documents?${query.toString()}`, { schema: DocumentListResponseSchema });
    // A filtered page is not the whole box: it must not evict the documents it leaves out.
    await remember(cache.putBox(box, page.items, !cursor && !q && !filtered && !page.next));
    return page;
  }

  async function listFromReplica(box: DocumentBox, cursor: string | undefined, q: string | undefined, filter: ListFilter = {}) {
    let after: { updatedAt: string; id: string } | undefined;
    if (cursor?.startsWith(REPLICA_CURSOR)) {
      try {
        after = JSON.parse(cursor.slice(REPLICA_CURSOR.length)) as { updatedAt: string; id: string };
      } catch {
        after = undefined;
      }
    }
    const page = await (await offlineReady()).replica.listBox(box, PAGE, after);
    const items: DocumentListItem[] = [];
    for (const summary of page.items) {
      const cached = await cache.read(summary.id);
      if (cached && (!q || cached.title.includes(q)) && matchesFilter(cached.listItem, filter)) items.push(cached.listItem);
    }
    return { items, next: page.next ? `${REPLICA_CURSOR}${JSON.stringify(page.next)}` : undefined, fromReplica: true };
  }

  async function submit(command: OutboxCommand): Promise<{ command: DocumentCommand; document?: LocalDocument }> {
    const services = await offlineReady();
    const queued = await services.outbox.enqueue(command);
    let entry = queued;
    if (options.isOnline() && queued.status === 'pending') {
      // Bounded wait: online, the server usually decides within a round trip; if not, the person
      // sees 待发送 and the decision arrives later as outbox:changed.
      entry = await new Promise<OutboxEntry>((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(queued.clientId);
          resolve(queued);
        }, options.decisionWaitMs ?? 8_000);
        waiters.set(queued.clientId, (decided) => {
          clearTimeout(timer);
          waiters.delete(queued.clientId);
          resolve(decided);
        });
      });
    }
    const result: { command: DocumentCommand; document?: LocalDocument } = { command: commandOf(entry) };
    if (command.type === 'document.action' || command.type === 'document.create') {
      result.document = (command.type === 'document.action' ? await answered(services, entry, command.documentId) : undefined) ?? (await get(command.documentId).catch(() => undefined));
    }
    return result;
  }

  /**
   * The document as the server answered the step itself (POST …/actions returns the view after the
   * action): kept in the replica and shown without asking the server again. Undefined when the step
   * was not applied now, or the answer is not a view of this document (an older server): the caller
   * then reads the document as usual.
   */
  async function answered(services: Pick<OfflineServices, 'outbox'>, entry: OutboxEntry, documentId: string): Promise<LocalDocument | undefined> {
    if (entry.status !== 'sent') return undefined;
    const parsed = DocumentViewSchema.safeParse(services.outbox.takeAnswer(entry.clientId));
    if (!parsed.success || parsed.data.id !== documentId) return undefined;
    const view = parsed.data;
    // The copy and the list of our commands are independent: both requests go to the replica at once.
    const [, commands] = await Promise.all([remember(cache.putView(view)), commandsFor(documentId)]);
    return { document: view, commands, fromReplica: false };
  }

  /**
   * 语音签批: the recording (kept in the replica by `voice:store`) is queued for upload right before
   * the action that cites it; the outbox sends strictly in order, so the server has the recording
   * when the action arrives — now, or on reconnect. The replica keeps its copy after sending, so
   * 流转记录 plays it offline too.
   */
  async function queueVoiceUpload(documentId: string, voice: VoiceNote): Promise<void> {
    const services = await offlineReady();
    const kept = await services.replica.getBlob(voice.sha256);
    if (!kept) throw new ApiFailure('invalid_input', errorText('voice.notLocal'));
    await services.outbox.enqueue({ type: 'document.voice', documentId, sha256: voice.sha256, mimeType: voice.mimeType });
  }

  /**
   * 拟稿, online or offline alike: the client picks the id (so the body's room `doc:<id>` is the same
   * before and after the server has it), keeps the draft in the replica as a local one, and queues its
   * creation in the outbox; the server creates it once under that id (docs/offline-drafting.md).
   */
  async function createDraft(input: { kind: 'outgoing' } & Record<string, unknown> & { title: string }): Promise<LocalDocument> {
    const services = await offlineReady();
    const user = options.currentUser?.();
    if (!user) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    const { kind, ...fields } = input;
    const id = randomUUID();
    const people = parseAll(DirectoryUserSchema, await services.replica.listUsers(user.unitId).catch(() => []));
    let view: DocumentView;
    try {
      view = localDraftView({ id, kind, fields, creator: { id: user.id, name: user.name, unitId: user.unitId, roles: user.roles, unitName: user.unitName }, people, now: new Date() });
    } catch (error) {
      throw new ApiFailure('invalid_input', error instanceof Error ? error.message : String(error));
    }
    // Kept before it is queued: when the outbox reports it, the draft is there to be shown.
    await cache.putLocalDraft(view, localDraftBoxes);
    const { command } = await submit({ type: 'document.create', documentId: id, kind, fields: { ...fields, title: view.title } });
    emit('documentsChanged', { ids: [id], boxes: localDraftBoxes });
    if (command.status === 'rejected') throw new ApiFailure('rejected', command.reason ?? errorText('documents.createRefused'));
    return get(id);
  }

  /** Drafts made here that the server does not have yet, for the first page of the boxes they are in. */
  async function localDrafts(box: DocumentBox, serverIds: ReadonlySet<string>): Promise<DocumentListItem[]> {
    if (!localDraftBoxes.includes(box)) return [];
    const services = await offlineReady();
    const waiting = [...(await services.outbox.list('pending')), ...(await services.outbox.list('rejected'))];
    const items: DocumentListItem[] = [];
    for (const entry of waiting) {
      if (entry.command.type !== 'document.create' || serverIds.has(entry.command.documentId)) continue;
      const cached = await cache.read(entry.command.documentId);
      if (cached?.local) items.push(cached.listItem);
    }
    return items;
  }

  async function pollTodo(): Promise<void> {
    if (closed || !options.isSignedIn() || !options.isOnline()) return;
    try {
      const page = await listFromServer('todo', undefined, undefined, 50);
      const signature = page.items.map((item) => `${item.id}@${item.updatedAt}`).join(',');
      if (todoSignature !== null && signature !== todoSignature) {
        emit('documentsChanged', { ids: page.items.map((item) => item.id), boxes: ['todo'] });
      }
      todoSignature = signature;
    } catch {
      // A failed poll changes nothing the person sees; the next one tries again.
    }
  }

  /** The slow fallback: only while the server has no change feed. */
  let fallbackTimer: ReturnType<typeof setInterval> | null = null;
  const stopFallback = (): void => {
    if (fallbackTimer) clearInterval(fallbackTimer);
    fallbackTimer = null;
  };
  const feed = createChangeFeed({
    server,
    isOnline: options.isOnline,
    isSignedIn: options.isSignedIn,
    userId: options.userId,
    waitSeconds: options.feedWaitSeconds,
    onChanges: ({ documents, exchange }) => {
      // The feed names what changed, not which boxes it moved between: every list re-reads.
      if (documents.length > 0) emit('documentsChanged', { ids: [...documents], boxes: allBoxes });
      if (exchange.length > 0) {
        emit('exchangeChanged', { box: 'incoming' });
        emit('exchangeChanged', { box: 'outgoing' });
        // A 签收 makes a 收文 appear in 收文/待办 even when no document id of ours changed yet.
        if (documents.length === 0) emit('documentsChanged', { ids: [], boxes: ['incoming', 'todo'] });
      }
    },
    // A 待办 that arrived while the feed was starting (just after sign-in) would otherwise stay out
    // of the lists and the badge — and un-notified — until something else changed.
    onFreshCursor: () => {
      emit('documentsChanged', { ids: [], boxes: allBoxes });
      emit('exchangeChanged', { box: 'incoming' });
      emit('exchangeChanged', { box: 'outgoing' });
    },
    onUnavailable: () => {
      if (closed || fallbackTimer) return;
      todoSignature = null;
      void pollTodo();
      fallbackTimer = setInterval(() => {
        if (feed.available) stopFallback();
        else void pollTodo();
      }, options.pollIntervalMs ?? 60_000);
      fallbackTimer.unref();
    },
  });
  feed.sync();

  async function directoryFromServer(): Promise<{ units: DirectoryUnit[]; users: DirectoryUser[] }> {
    const [units, users] = await Promise.all([
      server.json('/api/directory/units', { schema: DirectoryUnitsResponseSchema }),
      server.json('/api/directory/users', { schema: DirectoryUsersResponseSchema }),
    ]);
    await remember(offlineReady().then((services) => services.replica.replaceDirectory(units.items, users.items)));
    return { units: units.items, users: users.items };
  }

  /**
   * Keeps the directory in the replica once per person and run, in the background: a draft made
   * offline later offers 提交's recipients from it (at sign-in or reconnection, or the first list
   * read online, whichever comes first).
   */
  let directoryKeptFor: string | null = null;
  const warmDirectory = (): void => {
    const userId = options.userId();
    if (!userId || directoryKeptFor === userId) return;
    directoryKeptFor = userId;
    directoryFromServer().catch(() => {
      directoryKeptFor = null;
    });
  };

  const parseAll = <S extends z.ZodType>(schema: S, values: readonly unknown[]): z.output<S>[] =>
    values.flatMap((value) => {
      const parsed = schema.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });

  const handlers: DocumentHandlers = {
    documents: {
      list: ({ box, cursor, q, type, urgency, dueBy }) => {
        const filter: ListFilter = { ...(type ? { type } : {}), ...(urgency ? { urgency } : {}), ...(dueBy ? { dueBy } : {}) };
        const filtered = Object.keys(filter).length > 0;
        return withFallback<{ items: DocumentListItem[]; next?: string; fromReplica: boolean }>(
          async () => {
            const page = await listFromServer(box, cursor, q, PAGE, filter);
            warmDirectory();
            // Drafts still on their way to the server head the first page, marked 拟稿（待发送）.
            const local = cursor || q || filtered ? [] : await localDrafts(box, new Set(page.items.map((item) => item.id))).catch(() => []);
            return { ...page, items: [...local, ...page.items], fromReplica: false };
          },
          () => listFromReplica(box, cursor, q, filter),
        );
      },
      get: ({ id }) => get(id),
      create: async (input) => {
        if (input.kind === 'outgoing') return createDraft({ ...input, kind: 'outgoing' });
        // 收文 registered by hand (paper) needs the server: its holders are the unit's clerks there.
        try {
          const view = await server.json('/api/documents', { method: 'POST', body: input, schema: DocumentViewSchema });
          await remember(cache.putView(view, ['drafts', 'todo', 'outgoing']));
          emit('documentsChanged', { ids: [view.id], boxes: ['drafts', 'todo', 'outgoing'] });
          return { document: view, commands: [], fromReplica: false };
        } catch (error) {
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noRegister'));
          throw failureOf(error);
        }
      },
      update: async ({ id, fields }) => {
        try {
          const view = await server.patch(`/api/documents/${seg(id)}`, fields, DocumentViewSchema);
          await remember(cache.putView(view));
          emit('documentsChanged', { ids: [id], boxes: allBoxes });
          return { document: view, commands: await commandsFor(id), fromReplica: false };
        } catch (error) {
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noFieldEdits'));
          throw failureOf(error);
        }
      },
      act: async ({ id, action, opinion, ink, voice, to, units, reason }) => {
        // A recording's upload is queued before the action that cites it (the server refuses the action otherwise).
        if (voice) await queueVoiceUpload(id, voice);
        return submit({
          type: 'document.action',
          documentId: id,
          action,
          // The strokes and the recording's digest go into the outbox with the action: offline they wait with it and are applied once.
          opinion: opinion || ink || voice ? { ...(opinion ? { text: opinion } : {}), ...(ink ? { ink } : {}), ...(voice ? { voice } : {}) } : undefined,
          to: to && to.length > 0 ? to : undefined,
          units: units && units.length > 0 ? units : undefined,
          reason: reason || undefined,
        });
      },
      pdf: ({ id, from }) => (from === 'replica' ? keptPdf(id) : withFallback(() => fetchPdf(id), () => keptPdf(id))),
      sheet: async ({ id }) => {
        try {
          return { base64: Buffer.from(await server.getSheet(id)).toString('base64') };
        } catch (error) {
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noSheet'));
          throw failureOf(error);
        }
      },
      phrases: async () => {
        try {
          const value = await server.json('/api/me/phrases', { schema: PhrasesSchema });
          lastPhrases = { userId: options.userId(), value };
          return value;
        } catch (error) {
          // Offline, the list this person last read still serves: picking a phrase needs no server.
          if (isUnreachable(error) && lastPhrases && lastPhrases.userId === options.userId()) return lastPhrases.value;
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noPhrasesRead'));
          throw failureOf(error);
        }
      },
      savePhrases: async (input) => {
        try {
          const value = await server.json('/api/me/phrases', { method: 'PUT', body: input, schema: PhrasesSchema });
          lastPhrases = { userId: options.userId(), value };
          return value;
        } catch (error) {
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noPhrasesSave'));
          throw failureOf(error);
        }
      },
      setCoDrafters: async ({ id, userIds }) => {
        try {
          const view = await server.json(`/api/documents/${seg(id)}/co-drafters`, { method: 'PUT', body: { userIds }, schema: DocumentViewSchema });
          await remember(cache.putView(view));
          emit('documentsChanged', { ids: [id], boxes: allBoxes });
          return { document: view, commands: await commandsFor(id), fromReplica: false };
        } catch (error) {
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noCoDrafters'));
          if (error instanceof ServerHttpError && error.status === 404 && (await commandsFor(id)).some((c) => c.kind === 'document.create' && c.status !== 'sent')) {
            throw new ApiFailure('offline', errorText('offline.draftNotSent'));
          }
          throw failureOf(error);
        }
      },
      audit: async ({ id }) => {
        try {
          return await server.json(`/api/documents/${seg(id)}/audit`, { schema: AuditResponseSchema });
        } catch (error) {
          throw failureOf(error);
        }
      },
      search: async ({ q, limit }) => {
        const result = await (await offlineReady()).search.search(q, limit);
        return { items: result.documents.map((hit) => ({ id: hit.id, kind: hit.kind, title: hit.title, docNumber: hit.docNumber ?? undefined, snippet: hit.snippet })) };
      },
    },
    exchange: {
      list: ({ box, cursor }) =>
        withFallback<{ items: ExchangeItem[]; next?: string; fromReplica: boolean }>(
          async () => {
            const query = new URLSearchParams({ box, limit: String(EXCHANGE_PAGE) });
            if (cursor) query.set('cursor', cursor);
            const { items, next } = await server.json(`/api/exchange?${query.toString()}`, { schema: ExchangeListResponseSchema });
            // Offline, the first page as last read still serves; later pages are the server's to give.
            if (!cursor) lastExchange.set(exchangeKey(box), items);
            return { items, ...(next ? { next } : {}), fromReplica: false };
          },
          () => {
            if (cursor) return Promise.reject(new ApiFailure('offline', errorText('offline.noMorePages')));
            return Promise.resolve({ items: lastExchange.get(exchangeKey(box)) ?? [], fromReplica: true });
          },
        ),
      act: async ({ id, action, reason }) => {
        if (action === 'return' && !reason) throw new ApiFailure('invalid_input', errorText('documents.returnReasonRequired'));
        const { command } = await submit({ type: 'exchange.action', exchangeId: id, action, reason: reason || undefined });
        return { command };
      },
      verification: async ({ id }) => {
        try {
          return await server.json(`/api/exchange/${seg(id)}/verification`, { schema: ExchangeVerificationSchema });
        } catch (error) {
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noVerify'));
          throw failureOf(error);
        }
      },
      pdf: async ({ id }) => {
        try {
          const bytes = Buffer.from(await server.getExchangePdf(id));
          return { base64: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
        } catch (error) {
          if (isUnreachable(error)) throw new ApiFailure('offline', errorText('offline.noIncomingItem'));
          throw failureOf(error);
        }
      },
    },
    directory: {
      units: () =>
        withFallback(
          async () => ({ items: (await directoryFromServer()).units }),
          async () => ({ items: parseAll(DirectoryUnitSchema, await (await offlineReady()).replica.listUnits()) }),
        ),
      users: ({ unitId }) =>
        withFallback(
          async () => ({ items: (await directoryFromServer()).users.filter((user) => !unitId || user.unitId === unitId) }),
          async () => ({ items: parseAll(DirectoryUserSchema, await (await offlineReady()).replica.listUsers(unitId)) }),
        ),
    },
    outbox: {
      list: async ({ targetId }) => ({ items: (await (await offlineReady()).outbox.list()).filter((entry) => !targetId || targetOf(entry) === targetId).map(commandOf) }),
    },
  };

  return {
    handlers,
    submit,
    get,
    outboxChanged(entry) {
      waiters.get(entry.clientId)?.(entry);
      if (entry.status === 'pending') return;
      const command = entry.command;
      if (command.type === 'document.create') {
        // The server has it now: its view replaces the local one (kept until then, also if refused).
        if (entry.status === 'sent') {
          void get(command.documentId)
            .catch(() => undefined)
            .then(() => emit('documentsChanged', { ids: [command.documentId], boxes: allBoxes }));
        } else {
          emit('documentsChanged', { ids: [command.documentId], boxes: allBoxes });
        }
      } else if (command.type === 'document.action' || command.type === 'document.signedPdf' || command.type === 'document.voice' || command.type === 'document.attachment') {
        emit('documentsChanged', { ids: [command.documentId], boxes: allBoxes });
      } else if (command.type === 'exchange.action') {
        emit('exchangeChanged', { box: 'incoming' });
        emit('documentsChanged', { ids: [], boxes: ['incoming', 'todo'] });
      }
    },
    refresh() {
      feed.sync();
      if (options.isSignedIn() && options.isOnline()) warmDirectory();
      if (fallbackTimer) {
        todoSignature = null;
        void pollTodo();
      }
    },
    close() {
      closed = true;
      feed.close();
      stopFallback();
      waiters.clear();
    },
  };
}
