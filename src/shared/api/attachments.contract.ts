/**
 * 附件 of a document as the renderer reaches them through main. The file crosses the bridge as
 * base64 (IPC and the web host's JSON carry strings); main sends the raw bytes to the server, which
 * stores them content-addressed and lists them in `fields.attachments` as `{name, sha256}`.
 */
import { z } from 'zod';
import { defineCall } from './contract';
import { LocalDocumentSchema } from './documents.contract';
import { issueMessage } from '../errors';

/** The server takes at most 50 MB per attachment. */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

const IdSchema = z.string().min(1).max(100);
const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, issueMessage('input.attachmentIdInvalid'));
/** base64 of at most MAX_ATTACHMENT_BYTES (4 characters per 3 bytes). */
const AttachmentBase64Schema = z
  .string()
  .max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4, issueMessage('input.attachmentTooLarge'))
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, issueMessage('input.encodingInvalid'));

export const attachmentsCalls = {
  /** The holder adds a 附件 while the text may change; answers the document as `documents:get` does. */
  add: defineCall(
    'attachments:add',
    z.object({ documentId: IdSchema, name: z.string().trim().min(1, issueMessage('input.attachmentNameMissing')).max(120, issueMessage('input.attachmentNameTooLong')), base64: AttachmentBase64Schema }),
    LocalDocumentSchema,
  ),
  /** Downloads one 附件 for anyone who may read the document. */
  get: defineCall('attachments:get', z.object({ documentId: IdSchema, sha256: Sha256Schema }), z.object({ name: z.string(), base64: z.string() })),
  /** The holder removes a 附件 while the text may change; answers the document as `documents:get` does. */
  remove: defineCall('attachments:remove', z.object({ documentId: IdSchema, sha256: Sha256Schema }), LocalDocumentSchema),
} as const;
