/**
 * 即时通讯 in main: the person's conversations and messages in the local replica, sends through
 * the outbox (the outbox id is the server's transaction id, so a message written offline goes out
 * on reconnect exactly once), and one socket to the server (`/chat?token=`) for delivery, read
 * marks and presence. After every (re)connection the replica catches up: for each conversation, the
 * messages after the sequence up to which it holds every message.
 *
 * Plain Node (no `electron`): notifications go through the host's `notify` when it has one (the
 * Electron shell), otherwise to the renderer as the `messaging:notify` event (the web host).
 */
import { WebSocket } from 'ws';
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import { messagePreviewText, UPLOAD_CHUNK_BYTES, type ChatMessage, type messagingCalls } from '../../../shared/api/messaging.contract';
import type { OutboxEntry } from '../../../shared/api/offline.contract';
import { HttpErrorBodySchema } from '../../../shared/http';
import {
  CHAT_CLOSE_UNAUTHENTICATED,
  ChatServerMessageSchema,
  ConversationListResponseSchema,
  ConversationSchema,
  MESSAGE_FILE_MAX_BYTES,
  MESSAGE_PAGE_MAX,
  MessageFileSchema,
  MessagesResponseSchema,
  MessageSchema,
  PresenceResponseSchema,
  ReadsResponseSchema,
  type ChatClientMessageInput,
  type ChatServerMessage,
  type Conversation,
  type Message,
  type PresenceState,
} from '../../../shared/http/messaging';
import type { EventSink } from '../appServices';
import { createServerCalls, failureOf } from '../documents/serverCalls';
import type { ServerClient } from '../serverClient';
import type { OfflineServices } from '../sync/offlineServices';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { spoolBody, type UploadSpool } from './uploadSpool';
import { errorText, type ErrorText } from '../../../shared/errors';

export type MessagingHandlers = HandlersOf<{ messaging: typeof messagingCalls }, unknown>['messaging'];

/** A desktop notification, shown by the host. */
export interface ChatNotification {
  readonly conversationId: string;
  readonly title: string;
  readonly body: string;
  /** What the preview was made of, so a host that knows the person's language words it again. */
  readonly content?: ChatMessage['content'];
  /** The conversation's title was not known: `title` is the zh-CN 新消息, a host words it itself. */
  readonly untitled?: boolean;
}

export interface MessagingServiceOptions {
  readonly serverClient: ServerClient;
  readonly session: {
    token(): string | null;
    current(): { readonly user: { readonly id: string }; readonly mustChangePassword?: boolean } | null;
    reportUnauthorized(reason?: string | ErrorText): void;
    onSessionChange(listener: (session: { readonly user: { readonly id: string } } | null) => void): () => void;
  };
  readonly offline: { current(): OfflineServices | null; ready(): Promise<void>; readonly connection: { reportFailure(): void } };
  readonly emit: EventSink;
  /** The host's notification interface (the Electron shell); without it the renderer is asked to show one. */
  readonly notify?: (notification: ChatNotification) => void;
  /** Reconnect delays (tests shorten them). */
  readonly reconnect?: { readonly minMs: number; readonly maxMs: number };
  readonly fetch?: typeof fetch;
  /**
   * Where chunked uploads wait until they go to the server (a folder of the app's data: see
   * `createFileUploadSpool`), so a 50 MB file never sits in main's heap.
   */
  readonly uploadSpool: UploadSpool;
  /** How long an upload without a new chunk is kept (default ten minutes; tests shorten it). */
  readonly uploadIdleMs?: number;
}

export interface MessagingService {
  readonly handlers: MessagingHandlers;
  /** The outbox settled a command (a sent message is fetched into the replica). */
  outboxChanged(entry: OutboxEntry): void;
  /** True while the chat socket is open (tests). */
  connected(): boolean;
  /** Resolves after the replica caught up with the server once more (tests). */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

const seg = encodeURIComponent;
const toBase64 = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');

/**
 * How long an upload of `size` bytes may take: two minutes, or as long as 50 KB/s needs (a 50 MB
 * file on a slow county-level line takes over 15 minutes; cutting it at two would fail every time).
 */
const uploadTimeoutMs = (size: number): number => Math.max(120_000, Math.ceil(size / 50_000) * 1000);

/** Pages of a catch-up fetched but not yet written, at most (each ≤ 1,000 messages). */
const CATCH_UP_AHEAD = 4;

const viewOf = (message: Message): ChatMessage => ({ ...message, status: 'sent' });

/** A file arriving in chunks from the renderer (see `uploadBegin`). */
interface Upload {
  readonly userId: string;
  readonly conversationId: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly voiceDurationMs?: number;
  /** Bytes accepted so far (counted when a chunk is accepted, before it is on disk). */
  received: number;
  /** The spool's writes, one after another; a failed one fails the upload. */
  writing: Promise<void>;
  timer: NodeJS.Timeout;
  readonly expire: () => NodeJS.Timeout;
}

export function createMessagingService(options: MessagingServiceOptions): MessagingService {
  const doFetch = options.fetch ?? fetch;
  const reconnect = options.reconnect ?? { minMs: 500, maxMs: 15_000 };
  const server = createServerCalls({
    client: options.serverClient,
    token: () => options.session.token(),
    onUnauthorized: (reason) => options.session.reportUnauthorized(reason),
    onUnreachable: () => options.offline.connection.reportFailure(),
    fetch: doFetch,
  });
  const presence = new Map<string, PresenceState>();
  let socket: WebSocket | null = null;
  let open = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let listTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let catching: Promise<void> = Promise.resolve();

  const me = (): string => {
    const user = options.session.current()?.user;
    if (!user) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    return user.id;
  };
  /** The person's replica and outbox, once a sign-in in progress has opened them. */
  const services = async (): Promise<OfflineServices> => {
    await options.offline.ready();
    const current = options.offline.current();
    if (!current) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    return current;
  };
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw failureOf(error);
    }
  };

  // ── catching up ─────────────────────────────────────────────────────────

  /** Fetches the list and every message the replica lacks; pushes read marks made offline. */
  async function catchUpAll(): Promise<void> {
    const forUser = options.session.current()?.user.id;
    if (!forUser || !options.session.token()) return;
    // The list is asked for while the replica is still opening after a sign-in (its worker and
    // migrations take a few hundred milliseconds on a fresh install): neither waits for the other.
    const listed = server.json('/api/conversations', { schema: ConversationListResponseSchema });
    listed.catch(() => undefined);
    const list = await listed;
    await options.offline.ready();
    const replica = options.offline.current()?.replica;
    // Someone else signed in meanwhile: this list is not theirs, and never goes into their replica.
    if (!replica || options.session.current()?.user.id !== forUser) return;
    await replica.putChatConversations(list.items);
    for (const conversation of list.items) {
      await catchUpConversation(conversation);
      const local = await replica.getChatConversation(conversation.id);
      if (local && local.localReadSeq > conversation.readSeq) {
        await server.json(`/api/conversations/${seg(conversation.id)}/read`, { method: 'POST', body: { seq: local.localReadSeq }, schema: z.object({ readSeq: z.number() }) });
      }
    }
    options.emit('messagingChanged', {});
  }

  /**
   * Pages in what follows the replica's "held up to" mark. Fetching runs ahead of writing (at most
   * `CATCH_UP_AHEAD` pages held): writing is the slower side, so every write takes all the pages that
   * arrived meanwhile in one replica transaction — fewer commits and worker round trips than a
   * transaction per page, and the fetch of the next page is never waiting on a write.
   */
  async function catchUpConversation(conversation: Pick<Conversation, 'id' | 'lastSeq'>): Promise<void> {
    const replica = (await services()).replica;
    const held = (await replica.getChatConversation(conversation.id))?.syncedSeq ?? 0;
    if (held >= conversation.lastSeq) return;
    // Bounded: one page per 1,000 messages missing, and one more for any that came meanwhile.
    const maxPages = Math.ceil((conversation.lastSeq - held) / MESSAGE_PAGE_MAX) + 1;
    const arrived: Message[][] = [];
    let fetching = true;
    // Set by the fetcher (a holder: TypeScript does not see assignments made inside the closure).
    const outcome: { failure: Error | null } = { failure: null };
    let wake: (() => void) | null = null;
    const signal = (): void => {
      wake?.();
      wake = null;
    };
    const waitForChange = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
    const fetcher = (async () => {
      try {
        let after = held;
        for (let page = 0; page < maxPages && after < conversation.lastSeq; page++) {
          while (arrived.length >= CATCH_UP_AHEAD) await waitForChange();
          const batch = await server.json(`/api/conversations/${seg(conversation.id)}/messages?after=${after}&limit=${MESSAGE_PAGE_MAX}`, { schema: MessagesResponseSchema });
          const last = batch.items.at(-1)?.seq;
          if (last === undefined) break;
          arrived.push(batch.items);
          signal();
          after = last;
        }
      } catch (error) {
        outcome.failure = error instanceof Error ? error : new Error(String(error));
      } finally {
        fetching = false;
        signal();
      }
    })();
    // Bounded by the fetcher: each round writes at least one page, or ends when fetching has ended.
    for (let round = 0; round <= maxPages; round++) {
      while (arrived.length === 0 && fetching) await waitForChange();
      if (arrived.length === 0) break;
      const pages = arrived.splice(0, arrived.length);
      signal();
      await replica.putChatMessages(pages.length === 1 ? pages[0]! : pages.flat());
    }
    await fetcher;
    // A page that failed (the server went away) ends this catch-up with its error, after what came
    // before it was written: the next connection goes on from the mark.
    if (outcome.failure) throw outcome.failure;
  }

  const runCatchUp = (): Promise<void> => {
    catching = catching.then(catchUpAll).catch(() => undefined);
    return catching;
  };

  /** The list again from the server into the replica. */
  async function refreshList(): Promise<void> {
    const replica = options.offline.current()?.replica;
    if (!replica || !options.session.token()) return;
    const list = await server.json('/api/conversations', { schema: ConversationListResponseSchema });
    await replica.putChatConversations(list.items);
    options.emit('messagingChanged', {});
  }

  /** The list again from the server, soon (several events in a row cost one request). */
  function refreshListSoon(): void {
    clearTimeout(listTimer);
    listTimer = setTimeout(() => void refreshList().catch(() => undefined), 200);
    listTimer.unref?.();
  }

  // ── the socket ──────────────────────────────────────────────────────────

  function connect(): void {
    clearTimeout(retryTimer);
    const token = options.session.token();
    // A one-time password must be replaced first: the server refuses the chat socket until then (401),
    // which would sign the person out of the very screen that replaces it.
    if (closed || !token || socket || options.session.current()?.mustChangePassword) return;
    const url = `${options.serverClient.baseUrl.replace(/^http/, 'ws')}/chat?token=${seg(token)}`;
    const ws = new WebSocket(url, { maxPayload: 16 * 1024 * 1024 });
    socket = ws;
    ws.on('open', () => {
      open = true;
      attempt = 0;
      void runCatchUp();
      void options.offline.current()?.outbox.flush();
    });
    ws.on('message', (data: Buffer) => {
      let parsed: ChatServerMessage;
      try {
        parsed = ChatServerMessageSchema.parse(JSON.parse(data.toString('utf8')));
      } catch {
        return; // a server we do not understand is not trusted with the replica
      }
      void onServerMessage(parsed).catch(() => undefined);
    });
    ws.on('unexpected-response', (_req, res) => {
      if (res.statusCode === 401) options.session.reportUnauthorized(errorText('auth.sessionExpired'));
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('close', (code: number) => {
      socket = null;
      open = false;
      if (code === CHAT_CLOSE_UNAUTHENTICATED) {
        options.session.reportUnauthorized(errorText('auth.sessionExpired'));
        return;
      }
      scheduleReconnect();
    });
  }

  function scheduleReconnect(): void {
    if (closed || !options.session.token()) return;
    const base = Math.min(reconnect.maxMs, reconnect.minMs * 2 ** Math.min(attempt, 10));
    attempt += 1;
    retryTimer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
    retryTimer.unref?.();
  }

  function disconnect(): void {
    clearTimeout(retryTimer);
    clearTimeout(listTimer);
    socket?.close(1000);
    socket = null;
    open = false;
    presence.clear();
  }

  function write(message: ChatClientMessageInput): boolean {
    if (!open || !socket) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  async function onServerMessage(message: ChatServerMessage): Promise<void> {
    await options.offline.ready();
    const replica = options.offline.current()?.replica;
    if (!replica) return;
    switch (message.type) {
      case 'message': {
        const local = await replica.getChatConversation(message.message.conversationId);
        const marks = await replica.putChatMessages([message.message]);
        // A gap (a message delivered before one we missed): fetch what lies between.
        if ((marks[message.message.conversationId] ?? 0) < message.message.seq) {
          await catchUpConversation({ id: message.message.conversationId, lastSeq: message.message.seq }).catch(() => undefined);
        }
        options.emit('messagingChanged', { conversationId: message.message.conversationId });
        refreshListSoon();
        const mine = message.message.senderId === options.session.current()?.user.id;
        // A conversation just started by someone else may reach us before the list does: its title
        // and 免打扰 come from the server then.
        const conversation =
          local?.conversation ??
          (mine ? undefined : await server.json(`/api/conversations/${seg(message.message.conversationId)}`, { schema: ConversationSchema }).catch(() => undefined));
        if (!mine && !conversation?.muted) {
          const notification = { conversationId: message.message.conversationId, title: conversation?.title ?? '新消息', body: messagePreviewText(message.message.content), content: message.message.content, ...(conversation?.title ? {} : { untitled: true }) };
          if (options.notify) options.notify(notification);
          else options.emit('messagingNotify', notification);
        }
        return;
      }
      case 'update':
        await replica.putChatMessages([message.message]);
        options.emit('messagingChanged', { conversationId: message.message.conversationId });
        refreshListSoon();
        return;
      case 'read':
        options.emit('messagingRead', { conversationId: message.conversationId, userId: message.userId, readSeq: message.readSeq });
        if (message.userId === options.session.current()?.user.id) refreshListSoon();
        return;
      case 'conversation':
        refreshListSoon();
        return;
      case 'presence':
        presence.set(message.userId, message.state);
        options.emit('messagingPresence', { userId: message.userId, state: message.state });
        return;
      default:
        return;
    }
  }

  // ── binary requests (files) ─────────────────────────────────────────────

  async function binary(path: string, init: RequestInit, unreachable = errorText('offline.noFiles'), timeoutMs = 120_000): Promise<Response> {
    const token = options.session.token();
    if (!token) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    let response: Response;
    try {
      response = await doFetch(`${options.serverClient.baseUrl}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      options.offline.connection.reportFailure();
      throw new ApiFailure('offline', unreachable);
    }
    if (response.ok) return response;
    const body = HttpErrorBodySchema.safeParse(await response.json().catch(() => undefined));
    const text = body.success ? body.data.error : errorText('client.serverStatus', { status: response.status });
    const code = response.status === 403 ? 'forbidden' : response.status === 404 ? 'not_found' : response.status === 400 ? 'invalid_input' : response.status === 401 ? 'unauthenticated' : 'unavailable';
    throw new ApiFailure(code, text);
  }

  async function enqueue(conversationId: string, content: Parameters<typeof messagePreviewText>[0] & object): Promise<ChatMessage> {
    const { outbox } = await services();
    const parsedContent = MessageSchema.shape.content.unwrap().parse(content);
    const entry = await outbox.enqueue({ type: 'message.send', conversation: conversationId, text: messagePreviewText(parsedContent) || ' ', content: parsedContent }, randomUUID());
    options.emit('messagingChanged', { conversationId });
    return { id: entry.clientId, conversationId, seq: null, senderId: me(), txnId: entry.clientId, content: parsedContent, createdAt: entry.createdAt, status: 'pending' };
  }

  // ── chunked uploads ─────────────────────────────────────────────────────

  /**
   * Uploads in progress: their bytes wait in the spool (on disk), not here. At most a few at once,
   * each at most 50 MB, dropped with their file after ten minutes without a chunk (a closed page
   * never finishes its upload). A file left by a process killed mid-upload is removed at start: the
   * message was never queued (that happens only once the server has the whole file), so nothing
   * half-sent is shown, and the person sends the file again.
   */
  const uploads = new Map<string, Upload>();
  const UPLOADS_MAX = 4;
  const UPLOAD_IDLE_MS = options.uploadIdleMs ?? 10 * 60_000;
  const spool = options.uploadSpool;
  const spoolReady = spool.clear().catch(() => undefined);

  function upload(uploadId: string): Upload {
    const found = uploads.get(uploadId);
    if (!found || found.userId !== me()) throw new ApiFailure('not_found', errorText('messaging.uploadExpired'));
    return found;
  }

  /** Forgets an upload and deletes its file (after any write still under way, which it would recreate otherwise). */
  function dropUpload(uploadId: string): Promise<void> {
    const found = uploads.get(uploadId);
    if (!found) return Promise.resolve();
    clearTimeout(found.timer);
    uploads.delete(uploadId);
    return found.writing
      .catch(() => undefined)
      .then(() => spool.remove(uploadId))
      .catch(() => undefined);
  }

  /**
   * Uploads the file to the conversation's files and queues the message that carries it. `body` is
   * the whole file (`postFile`) or a stream pulled from the spool; the message is queued only after
   * the server stored every byte, so a failure midway leaves no message behind.
   */
  async function sendFile(conversationId: string, name: string, mimeType: string, body: Buffer<ArrayBuffer> | ReadableStream<Uint8Array>, size: number, voiceDurationMs?: number): Promise<ChatMessage> {
    const response = await binary(
      `/api/conversations/${seg(conversationId)}/files?name=${seg(name)}&type=${seg(mimeType)}`,
      // A stream body needs `duplex: 'half'` (sent while the answer may already come).
      { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body, ...(body instanceof ReadableStream ? { duplex: 'half' as const } : {}) },
      errorText('messaging.fileNotSent', { name }),
      uploadTimeoutMs(size),
    );
    const file = MessageFileSchema.parse(await response.json());
    if (voiceDurationMs !== undefined) return enqueue(conversationId, { type: 'voice', voice: { sha256: file.sha256, durationMs: voiceDurationMs, mimeType: file.mimeType } });
    return enqueue(conversationId, mimeType.startsWith('image/') ? { type: 'image', file } : { type: 'file', file });
  }

  // ── handlers ────────────────────────────────────────────────────────────

  const handlers: MessagingHandlers = {
    conversations: async () => {
      const replica = (await services()).replica;
      const local = await replica.listChatConversations();
      const items: Conversation[] = [];
      for (const row of local) {
        if (!row.conversation) continue;
        // A mark made here while offline counts at once.
        const readSeq = Math.max(row.conversation.readSeq, row.localReadSeq);
        items.push({ ...row.conversation, readSeq, unread: readSeq >= row.conversation.lastSeq ? 0 : row.conversation.unread });
      }
      if (items.length === 0) void runCatchUp();
      return { items };
    },
    create: (input) =>
      call(async () => {
        const body = input.kind === 'direct' ? input : { ...input, clientId: randomUUID() };
        const conversation = await server.json('/api/conversations', { method: 'POST', body, schema: ConversationSchema });
        await runCatchUp();
        return conversation;
      }),
    history: async (input) => {
      const replica = (await services()).replica;
      let page = await replica.chatHistory(input.conversationId, input.limit, input.beforeSeq);
      const stored = page.items.filter((m) => m.seq !== null).length;
      const first = page.firstSeq ?? input.beforeSeq ?? null;
      // The replica has no more: ask the server for the page before it (when it can be reached).
      if (stored < input.limit && (first === null || first > 1)) {
        try {
          const before = first ?? ((await replica.getChatConversation(input.conversationId))?.conversation?.lastSeq ?? 0) + 1;
          if (before > 1) {
            const older = await server.json(`/api/conversations/${seg(input.conversationId)}/messages?before=${before}&limit=${input.limit}`, { schema: MessagesResponseSchema });
            if (older.items.length > 0) {
              await replica.putChatMessages(older.items);
              page = await replica.chatHistory(input.conversationId, input.limit, input.beforeSeq);
            }
          }
        } catch {
          // Offline: what the replica holds is what there is for now.
        }
      }
      const firstSeq = page.firstSeq;
      return { items: page.items, hasMore: firstSeq !== null && firstSeq > 1 };
    },
    post: (input) => enqueue(input.conversationId, input.content),
    postFile: (input) => {
      const bytes = Buffer.from(input.base64, 'base64');
      return sendFile(input.conversationId, input.name, input.mimeType, bytes, bytes.length);
    },
    // The upload calls return promises like every handler; a throw inside becomes the call's failure.
    uploadBegin: async (input) => {
      const userId = me();
      if (input.size > MESSAGE_FILE_MAX_BYTES) throw new ApiFailure('invalid_input', errorText('messaging.fileTooLarge', { mb: MESSAGE_FILE_MAX_BYTES / 1024 / 1024 }));
      if (uploads.size >= UPLOADS_MAX) throw new ApiFailure('unavailable', errorText('messaging.tooManyUploads'));
      const uploadId = randomUUID();
      await spoolReady;
      try {
        await spool.create(uploadId);
      } catch {
        throw new ApiFailure('unavailable', errorText('messaging.spoolUnavailable'));
      }
      const expire = (): NodeJS.Timeout => setTimeout(() => void dropUpload(uploadId), UPLOAD_IDLE_MS).unref();
      uploads.set(uploadId, {
          userId,
          conversationId: input.conversationId,
          name: input.name,
          mimeType: input.mimeType,
          size: input.size,
        ...(input.voiceDurationMs !== undefined ? { voiceDurationMs: input.voiceDurationMs } : {}),
        received: 0,
        writing: Promise.resolve(),
        timer: expire(),
        expire,
      });
      return { uploadId, chunkBytes: UPLOAD_CHUNK_BYTES };
    },
    uploadChunk: async (input) => {
      const current = upload(input.uploadId);
      // In order and exactly once: a chunk at another offset would corrupt the file silently.
      // Checked and counted before the write is awaited, so two calls racing cannot both pass.
      if (input.offset !== current.received) throw new ApiFailure('invalid_input', errorText('messaging.chunkOffset', { received: current.received, offset: input.offset }));
      const bytes = Buffer.from(input.base64, 'base64');
      if (current.received + bytes.length > current.size) {
        await dropUpload(input.uploadId);
        throw new ApiFailure('invalid_input', errorText('messaging.fileLargerThanDeclared'));
      }
      current.received += bytes.length;
      clearTimeout(current.timer);
      current.timer = current.expire();
      current.writing = current.writing.then(() => spool.append(input.uploadId, bytes));
      try {
        await current.writing;
      } catch {
        await dropUpload(input.uploadId);
        throw new ApiFailure('unavailable', errorText('messaging.spoolWriteFailed'));
      }
      return { received: current.received };
    },
    uploadFinish: async (input) => {
      const current = upload(input.uploadId);
      // No longer an upload in progress (a second finish or a cancel now finds nothing), but its file
      // stays until the server has it.
      uploads.delete(input.uploadId);
      clearTimeout(current.timer);
      try {
        await current.writing.catch(() => {
          throw new ApiFailure('unavailable', errorText('messaging.spoolWriteFailed'));
        });
        if (current.received !== current.size) throw new ApiFailure('invalid_input', errorText('messaging.fileIncomplete', { received: current.received, size: current.size }));
        return await sendFile(current.conversationId, current.name, current.mimeType, spoolBody(spool, input.uploadId, UPLOAD_CHUNK_BYTES), current.size, current.voiceDurationMs);
      } finally {
        await spool.remove(input.uploadId).catch(() => undefined);
      }
    },
    uploadCancel: async (input) => {
      upload(input.uploadId);
      await dropUpload(input.uploadId);
      return {};
    },
    file: async (input) => {
      const response = await binary(`/api/conversations/${seg(input.conversationId)}/files/${input.sha256}`, { method: 'GET' });
      const disposition = /filename\*=UTF-8''([^;]+)/i.exec(response.headers.get('content-disposition') ?? '')?.[1];
      return {
        name: disposition ? decodeURIComponent(disposition) : input.sha256,
        mimeType: response.headers.get('content-type') ?? 'application/octet-stream',
        base64: toBase64(new Uint8Array(await response.arrayBuffer())),
      };
    },
    edit: (input) =>
      call(async () => {
        const message = await server.patch(`/api/conversations/${seg(input.conversationId)}/messages/${seg(input.messageId)}`, { text: input.text }, MessageSchema);
        await (await services()).replica.putChatMessages([message]);
        options.emit('messagingChanged', { conversationId: input.conversationId });
        return viewOf(message);
      }),
    recall: (input) =>
      call(async () => {
        const message = await server.json(`/api/conversations/${seg(input.conversationId)}/messages/${seg(input.messageId)}/recall`, { method: 'POST', body: {}, schema: MessageSchema });
        await (await services()).replica.putChatMessages([message]);
        options.emit('messagingChanged', { conversationId: input.conversationId });
        return viewOf(message);
      }),
    markRead: async (input) => {
      const replica = (await services()).replica;
      await replica.setChatReadSeq(input.conversationId, input.seq);
      // On the socket when open; otherwise the next catch-up sends it.
      if (!write({ type: 'read', conversationId: input.conversationId, seq: input.seq })) {
        await server.json(`/api/conversations/${seg(input.conversationId)}/read`, { method: 'POST', body: { seq: input.seq }, schema: z.object({ readSeq: z.number() }) }).catch(() => undefined);
      }
      refreshListSoon();
      return { readSeq: input.seq };
    },
    reads: (input) => call(() => server.json(`/api/conversations/${seg(input.conversationId)}/reads`, { schema: ReadsResponseSchema })),
    mute: (input) =>
      call(async () => {
        const conversation = await server.json(`/api/conversations/${seg(input.conversationId)}/settings`, { method: 'PUT', body: { muted: input.muted }, schema: ConversationSchema });
        // At once, not soon: whether a message notifies is read from the replica's list, and one
        // arriving in the next moments was still shown as a notification after 免打扰 was pressed.
        await refreshList().catch(() => refreshListSoon());
        return conversation;
      }),
    presence: async (input) => {
      if (input.userIds.length === 0) return { items: [] };
      try {
        return await server.json(`/api/messaging/presence?ids=${seg(input.userIds.join(','))}`, { schema: PresenceResponseSchema });
      } catch {
        return { items: input.userIds.map((userId) => ({ userId, state: presence.get(userId) ?? 'offline' })) };
      }
    },
  };

  /**
   * After a sign-in: the socket, and — not waiting for it to open — the catch-up (HTTP needs no
   * socket; the one run again when the socket opens covers what was written in between).
   */
  function start(): void {
    setTimeout(() => {
      connect();
      if (!options.session.current()?.mustChangePassword) void runCatchUp();
    }, 0).unref?.();
  }

  const unsubscribe = options.session.onSessionChange((session) => {
    disconnect();
    // A half-sent file belongs to the person who was signed in.
    for (const uploadId of [...uploads.keys()]) void dropUpload(uploadId);
    if (session) start();
  });
  if (options.session.current()) start();

  return {
    handlers,
    outboxChanged(entry) {
      if (entry.command.type === 'message.send' && entry.status !== 'pending') {
        options.emit('messagingChanged', { conversationId: entry.command.conversation });
        if (entry.status === 'sent') void runCatchUp();
      }
    },
    connected: () => open,
    catchUp: runCatchUp,
    async close() {
      closed = true;
      await Promise.all([...uploads.keys()].map(dropUpload));
      unsubscribe();
      disconnect();
      await catching;
    },
  };
}
