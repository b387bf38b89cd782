/**
 * Documents, exchange, the directory and our commands in the outbox, as the renderer reaches them
 * through main. (Yjs rooms and the raw outbox feed are OFFLINE's `offline:*` calls and events.)
 * Main answers from the server when online and from its replica when not;
 * workflow steps go through the outbox, so an action taken offline is accepted here as `pending`
 * and shown as 待发送 until the server decides.
 *
 * Payloads reuse the HTTP schemas of src/shared/http/documents.ts, so what the renderer shows is
 * exactly what the server said.
 */
import { ExchangeVerificationSchema } from '../http/exchange';
import { z } from 'zod';
import { defineCall, defineEvent } from './contract';
import { DocumentFieldsSchema, DocumentKindSchema, DocumentTypeSchema, IsoDateSchema, UrgencySchema } from '../domain/documents/model';
import { WorkflowActionSchema } from '../domain/documents/workflow';
import { InkDrawingSchema, VoiceNoteSchema } from '../domain/documents/opinion';
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
import { PhrasesSchema } from '../http/phrases';
import { ErrorTextFieldsSchema, issueMessage } from '../errors';

const IdSchema = z.string().min(1).max(100);
/** Binary payloads cross the bridge as base64 (IPC and the web host's JSON both carry strings). */
const Base64Schema = z.string().max(64 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, issueMessage('input.encodingInvalid'));

/**
 * What a command did, as the renderer words it (`docs.summary.<key>`); its parameters hold codes
 * (the workflow action `number`, the exchange action `receive`) and the person's own text.
 */
export const CommandSummaryKeySchema = z.enum(['create', 'action', 'actionDetail', 'actionInk', 'exchange', 'exchangeDetail', 'signedPdf', 'voiceUpload', 'attachment', 'message']);
export type CommandSummaryKey = z.infer<typeof CommandSummaryKeySchema>;

/**
 * One command of ours in the outbox and where it stands: 待发送 (pending), 已发送 (sent), 被拒绝
 * (rejected). A view of OFFLINE's outbox entry made for people: what it concerns and a summary.
 */
export const DocumentCommandSchema = z.object({
  clientId: z.string(),
  /** `document.action`, `exchange.action`, `document.signedPdf`, `message.send`. */
  kind: z.string(),
  /** The document (or exchange item, or conversation) it concerns. */
  targetId: z.string(),
  /** What the person did, in Chinese, e.g. "同意：拟同意，请王主任签发". */
  summary: z.string(),
  /** The summary's key and parameters, so the renderer words it in the person's language. */
  summaryKey: CommandSummaryKeySchema.optional(),
  summaryParams: z.record(z.string(), z.string()).optional(),
  status: z.enum(['pending', 'sent', 'rejected']),
  /** The server's reason when rejected. */
  reason: z.string().optional(),
  /** The reason's catalogue key and params, so the renderer words it in the person's language. */
  reasonKey: ErrorTextFieldsSchema.shape.key,
  reasonParams: ErrorTextFieldsSchema.shape.params,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DocumentCommand = z.infer<typeof DocumentCommandSchema>;

/** A document as the renderer shows it: the server's view plus this client's unsent commands. */
export const LocalDocumentSchema = z.object({
  document: DocumentViewSchema,
  /** Commands on this document that the server has not confirmed yet, or rejected. */
  commands: z.array(DocumentCommandSchema),
  /** True when shown from the replica because the server could not be reached. */
  fromReplica: z.boolean(),
});
export type LocalDocument = z.infer<typeof LocalDocumentSchema>;

export const documentCalls = {
  list: defineCall(
    'documents:list',
    z.object({
      box: DocumentBoxSchema,
      cursor: z.string().max(200).optional(),
      q: z.string().trim().max(100).optional(),
      /** 待办's filters, applied by the server over the whole box (paging follows the filtered list). */
      type: DocumentTypeSchema.optional(),
      urgency: UrgencySchema.optional(),
      /** 办理期限 on or before this day. */
      dueBy: IsoDateSchema.optional(),
    }),
    z.object({ items: z.array(DocumentListItemSchema), next: z.string().optional(), fromReplica: z.boolean() }),
  ),
  get: defineCall('documents:get', z.object({ id: IdSchema }), LocalDocumentSchema),
  create: defineCall('documents:create', DocumentFieldsSchema.partial().extend({ kind: DocumentKindSchema, title: z.string().trim().min(1, issueMessage('documents.titleRequired')).max(200) }), LocalDocumentSchema),
  update: defineCall('documents:update', z.object({ id: IdSchema, fields: UpdateDocumentRequestSchema }), LocalDocumentSchema),
  /**
   * Queues a workflow step in the outbox; resolves once it is durably queued and, when online, once
   * the server decided (or after a few seconds: the command then stays 待发送 and is decided later).
   */
  act: defineCall(
    'documents:act',
    z.object({
      id: IdSchema,
      action: WorkflowActionSchema,
      opinion: z.string().trim().max(2000).optional(),
      /** 手写签批: the strokes drawn on the pad, sent with the action (and queued with it offline). */
      ink: InkDrawingSchema.optional(),
      /** 语音签批: a recording already kept by `voice:store`; its upload is queued before the action. */
      voice: VoiceNoteSchema.optional(),
      to: z.array(IdSchema).max(100).optional(),
      units: z.array(IdSchema).max(1000).optional(),
      reason: z.string().trim().max(2000).optional(),
    }),
    z.object({ command: DocumentCommandSchema, document: LocalDocumentSchema.optional() }),
  ),
  /**
   * The document's current PDF. From the server by default (the copy is then kept in the replica,
   * replacing the previous one); when the server cannot be reached, the last copy kept, marked
   * `fromReplica`. `from: 'replica'` answers from the kept copy only (the preview shows it at once
   * and then asks the server), `not_found` when there is none.
   */
  pdf: defineCall(
    'documents:pdf',
    z.object({ id: IdSchema, from: z.enum(['server', 'replica']).default('server') }),
    z.object({
      base64: Base64Schema,
      sha256: z.string(),
      sealPlacement: SealPlacementSchema.optional(),
      /** True when these are the bytes kept in the replica, not an answer of the server just now. */
      fromReplica: z.boolean(),
      /** When this copy came from the server (ISO time). */
      fetchedAt: z.string(),
      /** The document's `updatedAt` as this client knew it when the copy was fetched. */
      version: z.string().optional(),
    }),
  ),
  /** The 处理笺 (发文稿纸 / 收文处理笺) the server renders with every step's opinion, as PDF. */
  sheet: defineCall('documents:sheet', z.object({ id: IdSchema }), z.object({ base64: Base64Schema })),
  /** 常用语: the person's saved opinion phrases (their account's, the same on every device). */
  phrases: defineCall('documents:phrases', z.object({}), PhrasesSchema),
  savePhrases: defineCall('documents:save-phrases', PhrasesSchema, PhrasesSchema),
  audit: defineCall('documents:audit', z.object({ id: IdSchema }), AuditResponseSchema),
  /**
   * 协同拟稿人: the drafter replaces the list of colleagues who write the body with them at 拟稿
   * (`PUT /api/documents/:id/co-drafters`). Needs the server: who may write is its decision.
   */
  setCoDrafters: defineCall('documents:set-co-drafters', z.object({ id: IdSchema, userIds: z.array(IdSchema).max(50) }), LocalDocumentSchema),
  search: defineCall(
    'documents:search',
    z.object({ q: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(100).default(20) }),
    z.object({ items: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), docNumber: z.string().optional(), snippet: z.string() })) }),
  ),
};

export const exchangeCalls = {
  /** A page of a box, newest first; `cursor` is the previous page's `next` (the next pages need the server). */
  list: defineCall(
    'exchange:list',
    z.object({ box: z.enum(['incoming', 'outgoing']), cursor: z.string().min(1).max(200).optional() }),
    z.object({ items: z.array(ExchangeItemSchema), next: z.string().optional(), fromReplica: z.boolean() }),
  ),
  act: defineCall(
    'exchange:act',
    z.object({ id: IdSchema, action: z.enum(['receive', 'return', 'withdraw', 'remind']), reason: z.string().trim().max(2000).optional() }),
    z.object({ command: DocumentCommandSchema }),
  ),
  /** Every signature and seal of the item's document checked by the server now (online only). */
  verification: defineCall('exchange:verification', z.object({ id: IdSchema }), ExchangeVerificationSchema),
  /** The sealed PDF as sent, for the preview before 签收 (online only). */
  pdf: defineCall('exchange:pdf', z.object({ id: IdSchema }), z.object({ base64: Base64Schema, sha256: z.string() })),
};

export const directoryCalls = {
  units: defineCall('directory:units', z.object({}), z.object({ items: z.array(DirectoryUnitSchema) })),
  users: defineCall('directory:users', z.object({ unitId: IdSchema.optional() }), z.object({ items: z.array(DirectoryUserSchema) })),
};

export const outboxCalls = {
  list: defineCall('outbox:list', z.object({ targetId: IdSchema.optional() }), z.object({ items: z.array(DocumentCommandSchema) })),
};

export const documentEvents = {
  /** A document or a list changed (someone acted, or a command of ours was decided). */
  documentsChanged: defineEvent('documents:changed', z.object({ ids: z.array(z.string()), boxes: z.array(DocumentBoxSchema) })),
  exchangeChanged: defineEvent('exchange:changed', z.object({ box: z.enum(['incoming', 'outgoing']) })),
};
