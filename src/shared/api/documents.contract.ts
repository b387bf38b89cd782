/**
 * Documents, exchange, the directory, Yjs rooms and the command outbox, as the renderer reaches
 * them through main. Main answers from the server when online and from its replica when not;
 * workflow steps go through the outbox, so an action taken offline is accepted here as `pending`
 * and shown as 待发送 until the server decides.
 *
 * Payloads reuse the HTTP schemas of src/shared/http/documents.ts, so what the renderer shows is
 * exactly what the server said.
 */
import { z } from 'zod';
import { defineCall, defineEvent } from './contract';
import { DocumentKindSchema } from '../domain/documents/model';
import { DocumentFieldsSchema } from '../domain/documents/model';
import { WorkflowActionSchema, WorkflowStateSchema } from '../domain/documents/workflow';
import {
  AuditResponseSchema,
  DocumentBoxSchema,
  DocumentListItemSchema,
  DocumentViewSchema,
  ExchangeItemSchema,
  SealPlacementSchema,
  UpdateDocumentRequestSchema,
} from '../http/documents';
import { DirectoryUnitSchema, DirectoryUserSchema } from '../http/directory';

const IdSchema = z.string().min(1).max(100);
/** Binary payloads cross the bridge as base64 (IPC and the web host's JSON both carry strings). */
const Base64Schema = z.string().max(64 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, '不是有效的 base64 数据');

/** One command in the outbox and where it stands: 待发送 (pending), 已发送 (sent), 被拒绝 (rejected). */
export const OutboxCommandSchema = z.object({
  clientId: z.string(),
  kind: z.string(),
  /** The document (or exchange item, or conversation) it concerns. */
  targetId: z.string(),
  /** What the person did, in Chinese, e.g. "同意：拟同意，请王主任签发". */
  summary: z.string(),
  status: z.enum(['pending', 'sent', 'rejected']),
  /** The server's reason when rejected. */
  reason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OutboxCommand = z.infer<typeof OutboxCommandSchema>;

/** A document as the renderer shows it: the server's view plus this client's unsent commands. */
export const LocalDocumentSchema = z.object({
  document: DocumentViewSchema,
  /** Commands on this document that the server has not confirmed yet, or rejected. */
  commands: z.array(OutboxCommandSchema),
  /** True when shown from the replica because the server could not be reached. */
  fromReplica: z.boolean(),
});
export type LocalDocument = z.infer<typeof LocalDocumentSchema>;

export const documentCalls = {
  list: defineCall(
    'documents:list',
    z.object({ box: DocumentBoxSchema, cursor: z.string().max(200).optional(), q: z.string().trim().max(100).optional() }),
    z.object({ items: z.array(DocumentListItemSchema), next: z.string().optional(), fromReplica: z.boolean() }),
  ),
  get: defineCall('documents:get', z.object({ id: IdSchema }), LocalDocumentSchema),
  create: defineCall('documents:create', DocumentFieldsSchema.partial().extend({ kind: DocumentKindSchema, title: z.string().trim().min(1, '标题不能为空').max(200) }), LocalDocumentSchema),
  update: defineCall('documents:update', z.object({ id: IdSchema, fields: UpdateDocumentRequestSchema }), LocalDocumentSchema),
  /** Queues a workflow step in the outbox; resolves once it is durably queued (and sent, when online). */
  act: defineCall(
    'documents:act',
    z.object({
      id: IdSchema,
      action: WorkflowActionSchema,
      opinion: z.string().trim().max(2000).optional(),
      to: z.array(IdSchema).max(100).optional(),
      units: z.array(IdSchema).max(200).optional(),
      reason: z.string().trim().max(2000).optional(),
      step: WorkflowStateSchema.optional(),
      version: z.number().int().min(0).optional(),
    }),
    z.object({ command: OutboxCommandSchema, document: LocalDocumentSchema.optional() }),
  ),
  pdf: defineCall(
    'documents:pdf',
    z.object({ id: IdSchema }),
    z.object({ base64: Base64Schema, sha256: z.string(), sealPlacement: SealPlacementSchema.optional() }),
  ),
  audit: defineCall('documents:audit', z.object({ id: IdSchema }), AuditResponseSchema),
  search: defineCall(
    'documents:search',
    z.object({ q: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(100).default(20) }),
    z.object({ items: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), docNumber: z.string().optional(), snippet: z.string() })) }),
  ),
};

export const exchangeCalls = {
  list: defineCall('exchange:list', z.object({ box: z.enum(['incoming', 'outgoing']) }), z.object({ items: z.array(ExchangeItemSchema), fromReplica: z.boolean() })),
  act: defineCall(
    'exchange:act',
    z.object({ id: IdSchema, action: z.enum(['receive', 'return', 'withdraw']), reason: z.string().trim().max(2000).optional() }),
    z.object({ command: OutboxCommandSchema }),
  ),
};

export const directoryCalls = {
  units: defineCall('directory:units', z.object({}), z.object({ items: z.array(DirectoryUnitSchema) })),
  users: defineCall('directory:users', z.object({ unitId: IdSchema.optional() }), z.object({ items: z.array(DirectoryUserSchema) })),
};

export const outboxCalls = {
  list: defineCall('outbox:list', z.object({ targetId: IdSchema.optional() }), z.object({ items: z.array(OutboxCommandSchema) })),
  /** Sends a rejected command again after the person fixed the cause, or drops it on their say-so. */
  resolve: defineCall('outbox:resolve', z.object({ clientId: IdSchema, decision: z.enum(['retry', 'discard']) }), z.object({ items: z.array(OutboxCommandSchema) })),
};

/**
 * Yjs rooms tunnelled through main, which owns the sync connection and the replica: the renderer's
 * Y.Doc sends its updates with `rooms:update` and receives remote ones as `rooms:updated` events.
 */
export const RoomNameSchema = z.string().min(3).max(200).regex(/^[a-z]+:[A-Za-z0-9_-]+$/, '房间名无效');
export const roomCalls = {
  /** Opens (or joins) a room; resolves to its whole state as one Yjs update, from the replica if offline. */
  open: defineCall('rooms:open', z.object({ room: RoomNameSchema }), z.object({ update: Base64Schema, synced: z.boolean() })),
  update: defineCall('rooms:update', z.object({ room: RoomNameSchema, update: Base64Schema }), z.object({})),
  awareness: defineCall('rooms:awareness', z.object({ room: RoomNameSchema, update: Base64Schema }), z.object({})),
  close: defineCall('rooms:close', z.object({ room: RoomNameSchema }), z.object({})),
};

export const documentEvents = {
  /** A document or a list changed (someone acted, or a command of ours was decided). */
  documentsChanged: defineEvent('documents:changed', z.object({ ids: z.array(z.string()), boxes: z.array(DocumentBoxSchema) })),
  outboxChanged: defineEvent('outbox:changed', z.object({ items: z.array(OutboxCommandSchema) })),
  roomUpdated: defineEvent('rooms:updated', z.object({ room: RoomNameSchema, update: Base64Schema })),
  roomAwareness: defineEvent('rooms:awareness', z.object({ room: RoomNameSchema, update: Base64Schema })),
  roomSynced: defineEvent('rooms:synced', z.object({ room: RoomNameSchema, synced: z.boolean() })),
  exchangeChanged: defineEvent('exchange:changed', z.object({ box: z.enum(['incoming', 'outgoing']) })),
};
