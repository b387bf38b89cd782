/**
 * 用印: the clerk at the 用印 step seals a document with their own certificate. The PKCS#12 file's
 * bytes and its password cross the bridge once, for this one call; main signs the frozen PDF with
 * the red official seal of the unit at the place the renderer left for it, uploads it (the server
 * verifies it) and then queues the `seal` step.
 */
import { z } from 'zod';
import { defineCall } from './contract';
import { DocumentCommandSchema, LocalDocumentSchema } from './documents.contract';
import { issueMessage } from '../errors';

/** A PKCS#12 file is a few KB; 1 MB leaves room for long chains without inviting abuse. */
const P12Base64Schema = z
  .string()
  .min(1, issueMessage('input.certificateFileMissing'))
  .max(1024 * 1024 * 4, issueMessage('input.certificateFileTooLarge'))
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, issueMessage('input.certificateFileUnreadable'));

export const sealingCalls = {
  /** Signs and uploads the PDF, then queues 用印; fails with the server's reason when it refuses the upload. */
  seal: defineCall(
    'sealing:seal',
    z.object({
      id: z.string().min(1).max(100),
      p12: P12Base64Schema,
      /** Held only for this call: it opens the key, the key signs once and is dropped. */
      password: z.string().min(1, issueMessage('input.certificatePasswordMissing')).max(200),
      opinion: z.string().trim().max(2000).optional(),
    }),
    z.object({
      command: DocumentCommandSchema,
      document: LocalDocumentSchema.optional(),
      /** Who the certificate names (CN) and the SHA-256 of the signed PDF, for the person to see. */
      signerName: z.string(),
      sha256: z.string(),
    }),
  ),
};
