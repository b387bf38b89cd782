/**
 * The approval record (签批记录) a leader signs at 签发: in 签发 practice the leader signs the
 * approval, not the printed document (its number and date come later and would break a signature on
 * it). The record names the document and its version, the SHA-256 of the body and of the fields as
 * approved, the opinion, the handwriting's digest and the time. The client renders it into the
 * 处理笺, signs that PDF (PAdES) with the record's digest in the signature's /Reason, and the server
 * recomputes every digest from what it stores before it applies the step.
 *
 * Both sides hash the same canonical JSON (this module); hashing itself is node:crypto on each side,
 * since shared code uses no Node API.
 */
import { z } from 'zod';
import type { DocumentFields } from './model';
import type { InkDrawing } from './opinion';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, '摘要须为64位十六进制');

export const APPROVAL_RECORD_FORMAT = 'xietong.approval/1';

export const ApprovalRecordSchema = z.object({
  format: z.literal(APPROVAL_RECORD_FORMAT),
  documentId: z.string().min(1).max(100),
  /** The workflow version the leader approved (the server answers 409 when it moved on). */
  version: z.number().int().min(0),
  /** SHA-256 of the body text as approved (one paragraph per line, as the server renders it). */
  bodySha256: Sha256Schema,
  /** SHA-256 of `canonicalJson(approvalFields(fields))`. */
  fieldsSha256: Sha256Schema,
  /** The opinion's text as sent with the action (trimmed; empty when none). */
  opinion: z.string().max(2000),
  /** SHA-256 of `canonicalJson(ink)` when the opinion carries handwriting. */
  inkSha256: Sha256Schema.optional(),
  /** When the leader signed, ISO 8601. */
  at: z.iso.datetime({ offset: true }),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** What the server tells a signer to put in the record (`GET /api/documents/:id/approval-basis`). */
export const ApprovalBasisSchema = z.object({
  documentId: z.string(),
  version: z.number().int().min(0),
  bodySha256: Sha256Schema,
  fieldsSha256: Sha256Schema,
});
export type ApprovalBasis = z.infer<typeof ApprovalBasisSchema>;

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The fields an approval covers: everything of the document but the number and the date, which are
 * added after 签发 (编号, 成文日期), and the body, which has its own digest.
 */
export function approvalFields(fields: DocumentFields): Omit<DocumentFields, 'docNumber' | 'writtenDate' | 'body'> {
  const { docNumber: _n, writtenDate: _d, body: _b, ...rest } = fields;
  return rest;
}

/** What a refusal says changed since 签发 ({changed} of approval.contentChanged / sealing.contentChanged). */
export type ApprovalPart = 'body' | 'fields';
export const approvalPartLabels: Record<ApprovalPart, string> = { body: '正文', fields: '公文要素' };

/** The names of the covered fields whose value differs between two versions (for "what changed since 签发"). */
export function changedApprovalFields(approved: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(approved), ...Object.keys(now)]);
  return [...keys].filter((k) => canonicalJson(approved[k]) !== canonicalJson(now[k])).sort();
}

/** The text that is hashed for an ink drawing. */
export const canonicalInk = (ink: InkDrawing): string => canonicalJson(ink);

/** The signature's /Reason names the record by its digest; the server finds the digest there. */
export const approvalReason = (recordSha256: string): string => `签发 签批记录 SHA-256 ${recordSha256}`;

export function recordDigestFromReason(reason: string | undefined): string | undefined {
  return /签批记录 SHA-256 ([0-9a-f]{64})/.exec(reason ?? '')?.[1];
}

/** The record as lines printed on the 处理笺 beneath the boxes. */
export function approvalRecordLines(record: ApprovalRecord, recordSha256: string): string[] {
  return [
    `签批记录：公文 ${record.documentId}\u3000版本 ${record.version}\u3000时间 ${record.at}`,
    `正文 SHA-256 ${record.bodySha256}`,
    `要素 SHA-256 ${record.fieldsSha256}${record.inkSha256 ? `\u3000手写 SHA-256 ${record.inkSha256}` : ''}`,
    `记录 SHA-256 ${recordSha256}`,
  ];
}
