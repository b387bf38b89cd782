/**
 * `GET /api/exchange/:id/verification`: every signature and seal of an exchanged document checked
 * against the server's trusted roots and CRLs, as both ends of the exchange see it.
 */
import { z } from 'zod';
import { SignatureVerdictSchema } from '../domain/exchange/verdict';
import { ErrorTextSchema } from '../errors/text';

export const ExchangeSignatureResultSchema = z.object({
  /** 1-based, in the order the signatures were applied. */
  index: z.number().int(),
  verdict: SignatureVerdictSchema,
  signerName: z.string().optional(),
  /** Time-stamp time when trusted, else the claimed signing time (ISO). */
  signedAt: z.string().optional(),
  /** The registered seal whose certificate made it (市政府办公室公章), when the registry knows it. */
  sealName: z.string().optional(),
  /** The unit of the seal or, without one, of the signer's certificate. */
  unitName: z.string().optional(),
  /** True when nothing but further signatures was appended after this one. */
  onlySignaturesAppended: z.boolean(),
  /** Why it is not 有效, in Chinese (each failed check). */
  problems: z.array(z.string()),
  /** The same problems, in order, with the catalogue key a client words in the person's language (absent from older servers). */
  problemTexts: z.array(ErrorTextSchema).optional(),
});
export type ExchangeSignatureResult = z.infer<typeof ExchangeSignatureResultSchema>;

export const ExchangeVerificationSchema = z.object({
  exchangeId: z.string(),
  /** The worst verdict of its signatures; 无效 when there is none or the file is not the one sent. */
  verdict: SignatureVerdictSchema,
  signatures: z.array(ExchangeSignatureResultSchema),
  /** Problems of the file as a whole (not the bytes dispatched, unreadable), in Chinese. */
  problems: z.array(z.string()),
  /** The same problems, in order, with their catalogue keys (absent from older servers). */
  problemTexts: z.array(ErrorTextSchema).optional(),
  checkedAt: z.string(),
  /** How many CRLs the server checked revocation against. */
  crlCount: z.number().int(),
});
export type ExchangeVerification = z.infer<typeof ExchangeVerificationSchema>;
