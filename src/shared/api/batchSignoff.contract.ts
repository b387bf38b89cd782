/**
 * 批量签批: a leader approves many documents with one entry of their certificate's secret. The
 * renderer chooses the documents and the opinions; main builds each approval record, renders and
 * signs the 处理笺 (PAdES) and queues the 同意/签发 with the signature through the outbox. The
 * secret (PKCS#12 bytes + password, or a UKey's PIN) crosses the bridge once per run, is held only in
 * main while the run lasts and is dropped after.
 */
import { z } from 'zod';
import { defineCall, defineEvent } from './contract';
import { ApprovalRecordSchema } from '../domain/documents/approvalRecord';
import { InkDrawingSchema } from '../domain/documents/opinion';
import { ErrorTextFieldsSchema, issueMessage } from '../errors';

const IdSchema = z.string().min(1).max(100);

export const BatchItemStateSchema = z.enum(['pending', 'fetched', 'signed', 'submitted', 'done', 'failed']);
export type BatchItemState = z.infer<typeof BatchItemStateSchema>;

/** One document of a batch, as persisted in the replica and shown to the person. */
export const BatchItemSchema = z.object({
  documentId: IdSchema,
  title: z.string(),
  /** The opinion signed for this document (the common one unless the leader wrote another). */
  opinion: z.string().max(2000),
  /** Client ids of the 同意 command; the first is fixed when the batch is made, a retry adds one. */
  clientIds: z.array(z.uuid()).min(1),
  state: BatchItemStateSchema,
  /** Why it failed, or why it waits (离线…), in zh-CN; the batch view words `reasonKey` when there is one. */
  reason: z.string().optional(),
  reasonKey: ErrorTextFieldsSchema.shape.key,
  reasonParams: ErrorTextFieldsSchema.shape.params,
  /** The server refused the current client id: a retry must travel under a new one. */
  refused: z.boolean().optional(),
  record: ApprovalRecordSchema.optional(),
  /** The signed 处理笺 in the replica's blob store. */
  sheetSha256: z.string().optional(),
  updatedAt: z.number().int(),
});
export type BatchItem = z.infer<typeof BatchItemSchema>;

export const BatchSignoffSchema = z.object({
  id: z.uuid(),
  userId: z.string(),
  createdAt: z.number().int(),
  /** The leader's saved handwritten signature, signed with every approval when chosen. */
  ink: InkDrawingSchema.optional(),
  items: z.array(BatchItemSchema),
});
export type BatchSignoff = z.infer<typeof BatchSignoffSchema>;

/** What the batch view shows: the batch, where the run stands, and time left. */
export const BatchStatusSchema = z.object({
  batch: BatchSignoffSchema,
  running: z.boolean(),
  /** Documents not yet signed wait for the secret (the run stopped before they were signed). */
  needsSecret: z.boolean(),
  /** The run paused on a transient failure (offline): it continues by itself when the server is back. */
  paused: z.boolean(),
  done: z.number().int(),
  failed: z.number().int(),
  total: z.number().int(),
  /** Estimated milliseconds left, from the pace so far; absent before the first document finishes. */
  etaMs: z.number().int().min(0).optional(),
});
export type BatchStatus = z.infer<typeof BatchStatusSchema>;

/** A PKCS#12 file (base64) and its password, or a UKey (PKCS#11) and its PIN. */
export const BatchSecretSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('p12'),
    p12: z
      .string()
      .min(1, issueMessage('input.certificateFileMissing'))
      .max(4 * 1024 * 1024, issueMessage('input.certificateFileTooLarge'))
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, issueMessage('input.certificateFileUnreadable')),
    password: z.string().min(1, issueMessage('input.certificatePasswordMissing')).max(200),
  }),
  z.object({
    kind: z.literal('pkcs11'),
    /**
     * The UKey driver, by the path of one of the deployment's `ukeyModules` (`batchSignoff:ukeys`);
     * main loads no other library.
     */
    module: z.string().min(1, issueMessage('input.ukeyDriverMissing')).max(500),
    pin: z.string().min(1, issueMessage('input.ukeyPinMissing')).max(200),
    tokenLabel: z.string().max(200).optional(),
  }),
]);
export type BatchSecret = z.infer<typeof BatchSecretSchema>;

/** A document the batch leaves out, and why (zh-CN, with the catalogue key the batch view words). */
export const SkippedDocumentSchema = z.object({
  id: IdSchema,
  title: z.string(),
  reason: z.string(),
  reasonKey: ErrorTextFieldsSchema.shape.key,
  reasonParams: ErrorTextFieldsSchema.shape.params,
});
export type SkippedDocument = z.infer<typeof SkippedDocumentSchema>;

/** A UKey driver the deployment allows (deployment.json `ukeyModules`). */
export const UkeyDriverSchema = z.object({ name: z.string(), path: z.string() });

/** The person's saved handwritten signature for batches (vectors), or null. */
export const SavedInkSchema = z.object({ ink: InkDrawingSchema.nullable() });

export const batchSignoffCalls = {
  /** The UKey drivers this desk may use; empty when the deployment configures none. */
  ukeys: defineCall('batchSignoff:ukeys', z.object({}), z.object({ modules: z.array(UkeyDriverSchema) })),
  /** The signed-in person's saved handwritten signature (kept in their replica in main). */
  savedInk: defineCall('batchSignoff:savedInk', z.object({}), SavedInkSchema),
  /** Keeps (or, with null, forgets) the person's handwritten signature for later batches. */
  saveInk: defineCall('batchSignoff:saveInk', SavedInkSchema, SavedInkSchema),
  /** Which of the chosen documents the person may approve now; the others with why. */
  prepare: defineCall(
    'batchSignoff:prepare',
    z.object({ ids: z.array(IdSchema).min(1, issueMessage('input.chooseDocuments')).max(500) }),
    z.object({
      eligible: z.array(z.object({ id: IdSchema, title: z.string(), dueDate: z.string().optional() })),
      skipped: z.array(SkippedDocumentSchema),
    }),
  ),
  /** Makes the batch (client ids fixed now) and starts signing in the background. */
  start: defineCall(
    'batchSignoff:start',
    z.object({
      items: z.array(z.object({ id: IdSchema, title: z.string().max(500), opinion: z.string().trim().max(2000) })).min(1, issueMessage('input.nothingToSign')).max(500),
      ink: InkDrawingSchema.optional(),
      secret: BatchSecretSchema,
    }),
    BatchStatusSchema,
  ),
  /** The latest batch of the signed-in person (or the one named), null when there is none. */
  status: defineCall('batchSignoff:status', z.object({ batchId: z.uuid().optional() }), BatchStatusSchema.nullable()),
  /** Continues a batch: documents not yet signed need the secret again; `retryFailed` restarts 失败 ones. */
  resume: defineCall(
    'batchSignoff:resume',
    z.object({ batchId: z.uuid(), secret: BatchSecretSchema.optional(), retryFailed: z.boolean().default(false) }),
    BatchStatusSchema,
  ),
};

export const batchSignoffEvents = {
  batchSignoffChanged: defineEvent('batchSignoff:changed', BatchStatusSchema),
};
