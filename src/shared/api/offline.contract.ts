/**
 * The offline side of the client: the local replica's cached documents, full-text search, the
 * outbox of commands made while offline (or waiting to be sent), and Yjs rooms relayed between the
 * renderer and main's sync client. Main is the only writer of the replica; the renderer asks.
 */
import { z } from 'zod';
import { MessageContentSchema } from '../http/messaging';
import { defineCall, defineEvent } from './contract';
import { ApprovalSignatureSchema, DocumentBoxSchema } from '../http/documents';
import { OpinionSchema } from '../domain/documents/opinion';
import { DocumentFieldsSchema, DocumentKindSchema } from '../domain/documents/model';
import { ErrorTextFieldsSchema, keyFields, type ErrorText } from '../errors';

/** Boxes the server lists documents in (INTERFACES.md `GET /api/documents?box=`), as the HTTP API defines them. */
export { DocumentBoxSchema, type DocumentBox } from '../http/documents';

/**
 * The fields of a server document the replica indexes. Everything else the server sends is kept
 * verbatim (loose object) so the replica never loses what a newer server adds.
 */
export const ReplicaDocumentSchema = z.looseObject({
  id: z.string().min(1),
  kind: z.string().min(1),
  title: z.string(),
  state: z.string().min(1),
  docNumber: z.string().nullish(),
  updatedAt: z.string().min(1),
});
export type ReplicaDocument = z.infer<typeof ReplicaDocumentSchema>;

export const DocumentSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  state: z.string(),
  updatedAt: z.string(),
});
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

/** Keyset cursor of a cached box page: the last item's sort key. */
export const BoxCursorSchema = z.object({ updatedAt: z.string(), id: z.string() });
export type BoxCursor = z.infer<typeof BoxCursorSchema>;

export const BoxPageSchema = z.object({ items: z.array(DocumentSummarySchema), next: BoxCursorSchema.nullable() });
export type BoxPage = z.infer<typeof BoxPageSchema>;

export const DocumentHitSchema = DocumentSummarySchema.extend({ snippet: z.string() });
export type DocumentHit = z.infer<typeof DocumentHitSchema>;

export const MessageStatusSchema = z.enum(['pending', 'sent', 'rejected']);
export const StoredMessageSchema = z.object({
  id: z.string().min(1),
  conversation: z.string().min(1),
  sender: z.string().min(1),
  text: z.string(),
  sentAt: z.string().min(1),
  status: MessageStatusSchema,
});
export type StoredMessage = z.infer<typeof StoredMessageSchema>;

export const MessageHitSchema = StoredMessageSchema.extend({ snippet: z.string() });
export type MessageHit = z.infer<typeof MessageHitSchema>;

export const SearchResultSchema = z.object({ documents: z.array(DocumentHitSchema), messages: z.array(MessageHitSchema) });
export type SearchResult = z.infer<typeof SearchResultSchema>;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A command the server decides (ARCHITECTURE.md "Data and sync"): queued in the outbox with a
 * client-generated id so the server applies it once however often it is sent.
 */
export const OutboxCommandSchema = z.discriminatedUnion('type', [
  /**
   * 拟稿, online or offline: `POST /api/documents` with the id the client chose for it (its body's room
   * is `doc:<documentId>` from the first keystroke); the server creates it once (docs/offline-drafting.md).
   */
  z.object({
    type: z.literal('document.create'),
    documentId: z.string().uuid(),
    kind: DocumentKindSchema,
    fields: DocumentFieldsSchema.partial().extend({ title: z.string().trim().min(1).max(200) }),
  }),
  z.object({
    type: z.literal('document.action'),
    documentId: z.string().min(1),
    action: z.string().min(1).max(32),
    opinion: OpinionSchema.optional(),
    to: z.array(z.string()).optional(),
    units: z.array(z.string()).optional(),
    reason: z.string().max(2_000).optional(),
    /** Target step for submit/approve, or the earlier step for return (server: `step`). */
    step: z.string().min(1).max(32).optional(),
    /** The document version the person acted on: the server answers 409 if it moved on meanwhile. */
    version: z.number().int().min(0).optional(),
    /** 批量签批: the 处理笺 signed over the approval record; the server verifies it again when it arrives. */
    approvalSignature: ApprovalSignatureSchema.optional(),
  }),
  z.object({
    type: z.literal('exchange.action'),
    exchangeId: z.string().min(1),
    action: z.enum(['receive', 'return', 'withdraw', 'remind']),
    reason: z.string().max(2_000).optional(),
  }),
  z.object({
    type: z.literal('document.signedPdf'),
    documentId: z.string().min(1),
    /** The signed PDF, already in the replica's blob store. */
    pdfSha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /**
   * A 语音签批 recording for the server (`PUT /api/documents/:id/voice/:sha256`), queued right before
   * the action that cites it so the outbox sends it first. The bytes are in the replica's blob store
   * (and stay there after sending, so 流转记录 plays offline); a repeat is harmless (same digest).
   */
  z.object({
    type: z.literal('document.voice'),
    documentId: z.string().min(1),
    sha256: Sha256Schema,
    mimeType: z.string().min(1).max(100),
  }),
  /**
   * A 附件 added (online or offline): `POST /api/documents/:id/attachments?name=` with the bytes from
   * the replica's blob store; the server applies one clientId once.
   */
  z.object({
    type: z.literal('document.attachment'),
    documentId: z.string().min(1),
    sha256: Sha256Schema,
    name: z.string().trim().min(1).max(120),
  }),
  z.object({
    type: z.literal('message.send'),
    conversation: z.string().min(1),
    /** What the history and search show (for a file, its name). */
    text: z.string().min(1).max(10_000),
    /** What is sent (src/shared/http/messaging.ts); without it, `text` as a text message. */
    content: MessageContentSchema.optional(),
  }),
]);
export type OutboxCommand = z.infer<typeof OutboxCommandSchema>;

/** 待发送 / 已发送 / 被拒绝 */
export const OutboxStatusSchema = z.enum(['pending', 'sent', 'rejected']);
export type OutboxStatus = z.infer<typeof OutboxStatusSchema>;

export const outboxStatusLabels: Record<OutboxStatus, string> = { pending: '待发送', sent: '已发送', rejected: '被拒绝' };

export const OutboxEntrySchema = z.object({
  seq: z.number().int(),
  clientId: z.string().uuid(),
  command: OutboxCommandSchema,
  status: OutboxStatusSchema,
  /** The server's reason when rejected; the last transport error while pending. */
  reason: z.string().nullable(),
  /** The reason's catalogue key and params (src/shared/errors), when the server sent them. */
  reasonKey: ErrorTextFieldsSchema.shape.key,
  reasonParams: ErrorTextFieldsSchema.shape.params,
  attempts: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

/** Yjs updates cross the bridge as base64 (both IPC and the web host's JSON carry it). */
const Base64Schema = z.string().max(64 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/);
const RoomNameSchema = z.string().min(1).max(200);

/** Why the sync server refuses a person's edits to a room (its permission-denied reasons). */
export const RoomRefusalSchema = z.enum(['read-only', 'update-refused']);
export type RoomRefusal = z.infer<typeof RoomRefusalSchema>;

export const offlineCalls = {
  box: defineCall(
    'offline:box',
    z.object({ box: DocumentBoxSchema, limit: z.number().int().min(1).max(200).default(50), after: BoxCursorSchema.optional() }),
    BoxPageSchema,
  ),
  search: defineCall(
    'offline:search',
    z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).default(20) }),
    SearchResultSchema,
  ),
  outbox: defineCall('offline:outbox', z.object({ status: OutboxStatusSchema.optional() }), z.object({ entries: z.array(OutboxEntrySchema) })),
  enqueue: defineCall('offline:enqueue', z.object({ command: OutboxCommandSchema }), OutboxEntrySchema),
  openRoom: defineCall('offline:open-room', z.object({ room: RoomNameSchema }), z.object({ state: Base64Schema })),
  updateRoom: defineCall('offline:update-room', z.object({ room: RoomNameSchema, update: Base64Schema }), z.object({})),
  closeRoom: defineCall('offline:close-room', z.object({ room: RoomNameSchema }), z.object({})),
  /**
   * The renderer's presence in an open room (a y-protocols awareness update: caret, selection): main
   * relays it to the server, which stamps it with the signed-in person before anyone sees it.
   */
  roomAwareness: defineCall('offline:room-awareness', z.object({ room: RoomNameSchema, update: Base64Schema }), z.object({})),
};

export const offlineEvents = {
  /** An outbox entry was added or changed status. */
  outboxChanged: defineEvent('offline:outbox-changed', OutboxEntrySchema),
  /** A remote update, already stored in the replica, for a room the renderer has open. */
  roomUpdate: defineEvent('offline:room-update', z.object({ room: RoomNameSchema, update: Base64Schema })),
  /** Others' presence changed in a room the renderer has open (a y-protocols awareness update). */
  roomAwareness: defineEvent('offline:room-awareness-changed', z.object({ room: RoomNameSchema, update: Base64Schema })),
  /**
   * The server refused this person's edits to a room (the document moved on): `read-only` when an
   * open connection lost its write right, `update-refused` when an edit sent (live, or replayed
   * after being made offline) was neither stored nor relayed — it exists on this device only.
   */
  roomRefused: defineEvent('offline:room-refused', z.object({ room: RoomNameSchema, reason: RoomRefusalSchema })),
};

/**
 * An error body from the sync server. Servers answer `{"error": "…"}` or `{"error": {"message"}}`
 * or `{"message": "…"}`; whichever arrives, the person sees its text.
 */
export const ServerErrorBodySchema = z.union([
  z.object({ error: z.string() }),
  z.object({ error: z.object({ message: z.string() }).extend(ErrorTextFieldsSchema.shape) }),
  z.object({ message: z.string() }),
]);

/** The reason a server gave, or null when the body carried none. */
export const serverReason = (body: unknown): string | null => serverReasonText(body)?.message ?? null;

/** The reason a server gave with its catalogue key and params when it sent them, or null. */
export const serverReasonText = (body: unknown): ErrorText | null => {
  const parsed = ServerErrorBodySchema.safeParse(body);
  if (!parsed.success) return null;
  const value = parsed.data;
  if ('message' in value) return { message: value.message };
  return typeof value.error === 'string' ? { message: value.error } : { message: value.error.message, ...keyFields(value.error) };
};
