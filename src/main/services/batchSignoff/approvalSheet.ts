/**
 * One leader's approval, made in main: the record (what is approved, digested), the 处理笺 with the
 * new opinion and the record printed under the boxes, and the PAdES signature over it whose /Reason
 * names the record's digest — the server finds and recomputes it there.
 */
import { createHash } from 'node:crypto';
import {
  APPROVAL_RECORD_FORMAT,
  approvalReason,
  approvalRecordLines,
  canonicalInk,
  canonicalJson,
  type ApprovalBasis,
  type ApprovalRecord,
} from '../../../shared/domain/documents/approvalRecord';
import { formatSecrecy, urgencyLabels, type FontOverrides } from '../../../shared/domain/documents';
import type { InkDrawing } from '../../../shared/domain/documents/opinion';
import { sheetOpinions } from '../../../shared/domain/documents/sheetOpinions';
import type { DocumentView } from '../../../shared/http/documents';
import type { HistoryEntry } from '../../../shared/domain/documents/workflow';
import { signPdf, type Signer } from '../../../signing';
import { renderOpinionSheet } from '../../../signing/render';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export const recordDigest = (record: ApprovalRecord): string => sha256(canonicalJson(record));

/** The record for a document from the server's basis, the opinion and the handwriting, at `at`. */
export function buildApprovalRecord(basis: ApprovalBasis, opinion: string, ink: InkDrawing | undefined, at: Date): ApprovalRecord {
  return {
    format: APPROVAL_RECORD_FORMAT,
    documentId: basis.documentId,
    version: basis.version,
    bodySha256: basis.bodySha256,
    fieldsSha256: basis.fieldsSha256,
    opinion: opinion.trim(),
    ...(ink ? { inkSha256: sha256(canonicalInk(ink)) } : {}),
    at: at.toISOString(),
  };
}

export interface ApprovalSheetInput {
  readonly view: DocumentView;
  readonly record: ApprovalRecord;
  readonly ink?: InkDrawing;
  /** The acting person (their name goes under the opinion, as on paper). */
  readonly actor: { readonly id: string; readonly name: string };
  readonly unitName: string;
  readonly fonts?: FontOverrides;
}

/** The 处理笺 as it stands with this approval added, and the record printed beneath. */
export async function renderApprovalSheet(input: ApprovalSheetInput): Promise<Uint8Array> {
  const { view, record } = input;
  const label = view.availableActions.find((a) => a.action === 'approve')?.label ?? '同意';
  const entry: HistoryEntry = {
    at: record.at,
    actor: input.actor.id,
    actorName: input.actor.name,
    action: 'approve',
    label,
    from: view.state,
    to: view.state,
    ...(record.opinion ? { opinion: record.opinion } : {}),
    ...(input.ink ? { opinionInk: input.ink } : {}),
  };
  const secrecy = view.fields.secrecy.level === 'none' ? '' : formatSecrecy(view.fields.secrecy);
  const urgency = urgencyLabels[view.fields.urgency];
  const { pdf } = await renderOpinionSheet(
    {
      kind: view.kind,
      unitName: input.unitName,
      title: view.title,
      ...(view.docNumber ? { docNumber: view.docNumber } : {}),
      ...(secrecy ? { secrecy } : {}),
      ...(urgency ? { urgency } : {}),
      opinions: sheetOpinions([...view.history, entry]),
      asOf: record.at,
      footnote: approvalRecordLines(record, recordDigest(record)),
    },
    input.fonts ? { fonts: input.fonts } : {},
  );
  return pdf;
}

/** The leader's signature over the sheet (an incremental update), naming the record by its digest. */
export async function signApprovalSheet(sheet: Uint8Array, signer: Signer, record: ApprovalRecord): Promise<Buffer> {
  return signPdf(sheet, signer, { reason: approvalReason(recordDigest(record)), signingTime: new Date(record.at), location: '批量签批' });
}
