/**
 * Requests and responses of `/api/documents`, `/api/exchange` and `/api/delegations`
 * (INTERFACES.md "Sync server"). The server parses every request with these; clients parse every
 * response with them.
 */
import { z } from 'zod';
import { ApprovalRecordSchema } from '../domain/documents/approvalRecord';
import {
  ActionRecipientsSchema,
  AddresseeSchema,
  AttachmentSchema,
  DocNumberSchema,
  DocumentFieldsSchema,
  DocumentKindSchema,
  DocumentTypeSchema,
  HistoryEntrySchema,
  IsoDateSchema,
  IsoDateTimeSchema,
  ReaderSchema,
  SecrecySchema,
  UrgencySchema,
  WorkflowActionSchema,
  WorkflowStateSchema,
} from '../domain/documents';
import { OpinionSchema } from '../domain/documents/opinion';
import { ErrorTextSchema } from '../errors/text';

/**
 * `POST /api/documents`: the kind plus any document fields (title required). A client that drafted
 * offline sends the id it chose (a UUID, also the name of the body's room `doc:<id>`): the server
 * creates the document under that id once, and answers a repeat by the same person with the
 * document as it is (docs/offline-drafting.md).
 */
export const CreateDocumentRequestSchema = DocumentFieldsSchema.extend({
  kind: DocumentKindSchema,
  id: z.string().uuid('公文编号须为 UUID').optional(),
  /** The outbox command's id (recorded with the creation, like an action's). */
  clientId: z.string().trim().min(1).max(100).optional(),
});
export type CreateDocumentRequest = z.input<typeof CreateDocumentRequestSchema>;

/** `PATCH /api/documents/:id`: the fields to change (only while the content may still change). */
export const UpdateDocumentRequestSchema = z
  .object({
    type: DocumentTypeSchema,
    title: z.string().trim().min(1, '标题不能为空').max(200),
    issuingOrgan: z.string().trim().max(60),
    organCode: z.string().trim().max(20),
    docNumber: DocNumberSchema,
    signatories: z.array(z.string().trim().min(1).max(20)).max(10),
    mainRecipients: z.array(AddresseeSchema).max(200),
    ccRecipients: z.array(AddresseeSchema).max(200),
    secrecy: SecrecySchema,
    urgency: UrgencySchema,
    copyNumber: z.string().regex(/^\d{6}$/, '份号为6位阿拉伯数字'),
    writtenDate: IsoDateSchema,
    body: z.string().max(200_000),
    attachments: z.array(AttachmentSchema).max(50),
    note: z.string().trim().max(500),
    printingOrgan: z.string().trim().max(60),
    printDate: IsoDateSchema,
    dueDate: IsoDateSchema,
    version: z.number().int().min(0),
  })
  .partial();
export type UpdateDocumentRequest = z.infer<typeof UpdateDocumentRequestSchema>;

/** The signed 处理笺 is a page or two with subset fonts; 3 MB of base64 is far beyond it. */
export const ApprovalSignatureSchema = z.object({
  record: ApprovalRecordSchema,
  sheetPdf: z.string().min(1).max(3 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, '处理笺须为 base64'),
});
export type ApprovalSignature = z.infer<typeof ApprovalSignatureSchema>;

/** `POST /api/documents/:id/actions`. */
export const DocumentActionRequestSchema = z.object({
  action: WorkflowActionSchema,
  opinion: OpinionSchema.optional(),
  /** User ids to send to (next holders, countersigners, readers, 转办 target). */
  to: z.array(z.string().min(1).max(100)).max(100).optional(),
  /** Unit ids (分发). Defaults to the 主送 and 抄送 units of the document. */
  units: z.array(z.string().min(1).max(100)).max(1000).optional(),
  reason: z.string().trim().max(2000).optional(),
  /** Target step for submit/approve (e.g. `countersign`) or the earlier step for return. */
  step: WorkflowStateSchema.optional(),
  /** The version the client saw (409 when the document moved on). */
  version: z.number().int().min(0).optional(),
  /** Client-generated id: a repeated id is applied once. */
  clientId: z.string().min(1).max(100).optional(),
  /**
   * 签发 with the leader's signature (批量签批): the 处理笺 PDF signed over the approval record. The
   * server verifies both and applies signature and step together or not at all.
   */
  approvalSignature: ApprovalSignatureSchema.optional(),
});
export type DocumentActionRequest = z.infer<typeof DocumentActionRequestSchema>;

export const AvailableActionSchema = z.object({
  action: WorkflowActionSchema,
  label: z.string(),
  /** For an action that hands the document to people: who may be chosen, and who gets it by default. */
  recipients: ActionRecipientsSchema.optional(),
});
export type AvailableAction = z.infer<typeof AvailableActionSchema>;

export const ExchangeReceiptSchema = z.object({
  exchangeId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  status: z.enum(['pending', 'received', 'returned', 'withdrawn']),
  handledBy: z.string().optional(),
  handledByName: z.string().optional(),
  handledAt: z.string().optional(),
  reason: z.string().optional(),
});
export type ExchangeReceipt = z.infer<typeof ExchangeReceiptSchema>;


/**
 * The leader's signed approval as the document view shows it: who signed when, and whether the body
 * and fields are still those approved (number and date aside) — "签发内容一致" or what changed.
 */
export const ApprovalStatusSchema = z.object({
  signerName: z.string(),
  signedAt: z.string(),
  consistent: z.boolean(),
  /** Names of what changed since 签发: `body` or a field's name. */
  changed: z.array(z.string()),
});
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

/** `GET /api/documents/:id` and the answer of every write. */
export const DocumentViewSchema = z.object({
  id: z.string(),
  kind: DocumentKindSchema,
  type: DocumentTypeSchema,
  title: z.string(),
  state: WorkflowStateSchema,
  stateLabel: z.string(),
  version: z.number().int(),
  unitId: z.string(),
  drafterId: z.string(),
  /** The printed 发文字号, once numbered (or as received). */
  docNumber: z.string().optional(),
  holders: z.array(z.string()),
  holderNames: z.array(z.string()),
  /** 会签: who has answered on the current step. */
  answered: z.array(z.string()),
  availableActions: z.array(AvailableActionSchema),
  history: z.array(HistoryEntrySchema),
  readers: z.array(ReaderSchema),
  fields: DocumentFieldsSchema,
  signedOffBy: z.object({ userId: z.string(), name: z.string(), at: z.string(), opinion: z.string().optional() }).optional(),
  sealed: z.boolean(),
  dispatchedTo: z.array(z.string()).optional(),
  /** Per receiving unit: who signed for it and when, or why it came back. */
  receipts: z.array(ExchangeReceiptSchema),
  /** For a 收文 created by 签收: the exchange item it came from. */
  sourceExchangeId: z.string().optional(),
  /** The latest approval signed at 签发, if the leader signed one. */
  approval: ApprovalStatusSchema.optional(),
  /** 协同拟稿人: colleagues of the drafter's unit who may write the body while it is at 拟稿. */
  coDrafters: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DocumentView = z.infer<typeof DocumentViewSchema>;

export const DocumentBoxSchema = z.enum(['todo', 'done', 'drafts', 'outgoing', 'incoming']);
export type DocumentBox = z.infer<typeof DocumentBoxSchema>;

/** `GET /api/documents?box=…` */
export const DocumentListQuerySchema = z.object({
  box: DocumentBoxSchema.default('todo'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next` of the previous page. */
  cursor: z.string().max(200).optional(),
  /** Title contains. */
  q: z.string().trim().max(100).optional(),
  urgency: UrgencySchema.optional(),
  type: DocumentTypeSchema.optional(),
  /** Only documents with a 办理期限 on or before this day (待办's 办理期限 filter). */
  dueBy: IsoDateSchema.optional(),
  /** Only documents past their 办理期限 and not finished (催办). */
  overdue: z
    .enum(['1', 'true', '0', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .optional(),
});
export type DocumentListQuery = z.infer<typeof DocumentListQuerySchema>;

export const DocumentListItemSchema = z.object({
  id: z.string(),
  kind: DocumentKindSchema,
  type: DocumentTypeSchema,
  title: z.string(),
  state: WorkflowStateSchema,
  stateLabel: z.string(),
  docNumber: z.string().optional(),
  urgency: UrgencySchema,
  secrecyLevel: z.string(),
  dueDate: z.string().optional(),
  holders: z.array(z.string()),
  updatedAt: z.string(),
  /**
   * 已超期: past its 办理期限 in the server's working days and still on a working step — the rule the
   * server's 催办 follows, decided there (older servers omit it; the client then decides by its day).
   */
  overdue: z.boolean().optional(),
});
export type DocumentListItem = z.infer<typeof DocumentListItemSchema>;

export const DocumentListResponseSchema = z.object({ items: z.array(DocumentListItemSchema), next: z.string().optional() });
export type DocumentListResponse = z.infer<typeof DocumentListResponseSchema>;

/** `GET /api/documents/:id/audit` */
export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  action: z.string(),
  payload: z.unknown(),
  payloadDigest: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export const AuditResponseSchema = z.object({
  entries: z.array(AuditEntrySchema),
  valid: z.boolean(),
  /** What breaks the chain, in Chinese. */
  problems: z.array(z.string()),
  /** The same problems with catalogue keys, so a client words them (absent from older servers). */
  problemTexts: z.array(ErrorTextSchema).optional(),
});
export type AuditResponse = z.infer<typeof AuditResponseSchema>;

/** Where the seal goes on the PDF served by `GET /api/documents/:id/pdf` (also in its `x-seal-placement` header). */
export const SealPlacementSchema = z.object({
  pageIndex: z.number().int(),
  pageNumber: z.number().int(),
  diameterMm: z.number(),
  centerXMm: z.number(),
  centerYMmFromTop: z.number(),
  xMm: z.number(),
  yMm: z.number(),
});

/** Items per page of an exchange box when the caller names no `limit`. */
export const EXCHANGE_PAGE_DEFAULT = 500;

/**
 * `GET /api/exchange?box=incoming|outgoing[&limit=N][&cursor=…]`: newest first, one page at a time
 * (a city's notices to 220 units fill a box fast); `cursor` is the `next` of the previous page.
 */
export const ExchangeListQuerySchema = z.object({
  box: z.enum(['incoming', 'outgoing']).default('incoming'),
  limit: z.coerce.number().int().min(1).max(1000).default(EXCHANGE_PAGE_DEFAULT),
  cursor: z.string().min(1).max(200).optional(),
});
export type ExchangeListQuery = z.infer<typeof ExchangeListQuerySchema>;

export const ExchangeItemSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  title: z.string(),
  docNumber: z.string().optional(),
  fromUnitId: z.string(),
  fromUnitName: z.string(),
  toUnitId: z.string(),
  toUnitName: z.string(),
  status: z.enum(['pending', 'received', 'returned', 'withdrawn']),
  urgency: UrgencySchema,
  secrecyLevel: z.string(),
  sentBy: z.string(),
  sentByName: z.string(),
  sentAt: z.string(),
  handledBy: z.string().optional(),
  handledByName: z.string().optional(),
  handledAt: z.string().optional(),
  reason: z.string().optional(),
  /** The 收文 created when it was signed for. */
  incomingDocumentId: z.string().optional(),
  /** By when it must be signed for (urgency and the server's working days); set while pending and after. */
  dueAt: z.string().optional(),
  /** Still 待签收 after `dueAt`. */
  overdue: z.boolean().optional(),
  /** Minutes from dispatch to 签收 (the time to sign for). */
  signForMinutes: z.number().int().optional(),
  /** 催收: how often the sender (or the server) reminded, and when last. */
  reminderCount: z.number().int().optional(),
  remindedAt: z.string().optional(),
});
export type ExchangeItem = z.infer<typeof ExchangeItemSchema>;
/** One page of a box; `next` (absent on the last page) asks for the following one. */
export const ExchangeListResponseSchema = z.object({ items: z.array(ExchangeItemSchema), next: z.string().optional() });
export type ExchangeListResponse = z.infer<typeof ExchangeListResponseSchema>;

/** `POST /api/exchange/:id/actions`: 签收, 退回 (reason required), the sender's 撤回 before 签收, or its 催收. */
export const ExchangeActionRequestSchema = z.object({
  action: z.enum(['receive', 'return', 'withdraw', 'remind']),
  reason: z.string().trim().max(2000).optional(),
  /** Client-generated id (the outbox's): the same id sent again by the same person is applied once. */
  clientId: z.string().min(1).max(100).optional(),
});
export type ExchangeActionRequest = z.infer<typeof ExchangeActionRequestSchema>;

/**
 * `X-Client-Id` on `PUT /api/documents/:id/pdf`: the outbox command's id, so an upload sent again
 * after a lost response is recognised as the one already accepted.
 */
export const ClientIdHeaderSchema = z.string().trim().min(1).max(100);

/** `PUT /api/documents/:id/co-drafters`: the whole list of 协同拟稿人 (the drafter's decision). */
export const SetCoDraftersRequestSchema = z.object({ userIds: z.array(z.string().min(1).max(100)).max(50) });
export type SetCoDraftersRequest = z.infer<typeof SetCoDraftersRequestSchema>;

/** `POST /api/delegations`: let `to` act for the caller until `until` (委托). */
export const CreateDelegationRequestSchema = z.object({
  to: z.string().min(1).max(100),
  /** ISO time; at most 90 days ahead. */
  until: IsoDateTimeSchema,
});
export const DelegationSchema = z.object({ id: z.string(), fromUserId: z.string(), fromName: z.string(), toUserId: z.string(), toName: z.string(), until: z.string() });
export type Delegation = z.infer<typeof DelegationSchema>;
export const DelegationListResponseSchema = z.object({ given: z.array(DelegationSchema), received: z.array(DelegationSchema) });

/** `GET /api/documents/changes?since=&wait=`: long-poll for what to refetch. */
export const ChangesQuerySchema = z.object({
  /** The `cursor` of the previous answer; absent: just answer the current cursor. */
  since: z.coerce.number().int().min(0).optional(),
  /** Seconds to wait for a change when there is none yet (0–25). */
  wait: z.coerce.number().int().min(0).max(25).default(0),
});
export const ChangesResponseSchema = z.object({
  cursor: z.number().int(),
  /** Documents (ids) that changed and concern the caller: refetch them / their lists. */
  documents: z.array(z.string()),
  /** Exchange items (ids) of the caller's unit that changed. */
  exchange: z.array(z.string()),
});
export type ChangesResponse = z.infer<typeof ChangesResponseSchema>;

/** `POST /api/documents/:id/attachments?name=…` with the file as the raw body. */
export const AttachmentUploadQuerySchema = z.object({ name: z.string().trim().min(1, '请提供附件名称').max(120) });
