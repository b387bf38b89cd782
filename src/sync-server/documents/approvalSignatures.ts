/**
 * The leader's signed approval at 签发 (批量签批, issue 17). The client signs the 处理笺 over an
 * approval record (src/shared/domain/documents/approvalRecord.ts); here the server
 *  - tells the signer what to put in the record (`approvalBasis`),
 *  - verifies an upload before the step: the PDF's signature is intact and chains to a trusted
 *    root, names the record's digest, and is made with a certificate issued to the acting person
 *    (the rule that binds certificates to people for 用印 too: the certificate's CN is the person's
 *    name and its subject names their unit); the record names this document, version, opinion and
 *    handwriting (`verifyApprovalUpload`, outside the transaction: verification is slow),
 *  - inside the step's transaction checks the body and fields digests against what is stored at
 *    commit time and keeps the signed sheet with the record (`storeApproval`), so signature and
 *    step are applied together or not at all,
 *  - at 用印 checks that what is sealed is what was approved (number and date aside), and says so on
 *    the document view (`approvalStatus`).
 */
import { createHash } from 'node:crypto';
import {
  approvalFields,
  canonicalInk,
  canonicalJson,
  approvalPartLabels,
  changedApprovalFields,
  recordDigestFromReason,
  type ApprovalBasis,
  type ApprovalRecord,
} from '../../shared/domain/documents/approvalRecord';
import type { AccountUser } from '../../shared/http/auth';
import type { ApprovalStatus, DocumentActionRequest } from '../../shared/http/documents';
import { verifyPdf, type PdfVerification } from '../../signing';
import type { ServerDeps } from '../deps';
import { conflict, HttpError } from '../http/errors';
import type { Migration } from '../store/migrations';
import type { Queryable } from '../store/database';
import { readBodySnapshot } from './bodySnapshot';
import { getBlob, putBlob, type StoredDocument } from './repository';
import { readRoomBody, type LoadRoomUpdates } from './roomBody';
import { errorText, type ErrorText } from '../../shared/errors';

const approvals001 = `
CREATE TABLE document_approval_signatures (
  document_id TEXT NOT NULL,
  record_sha256 TEXT NOT NULL,
  record TEXT NOT NULL,
  fields TEXT NOT NULL,
  sheet_sha256 TEXT NOT NULL,
  signer_id TEXT NOT NULL,
  signer_name TEXT NOT NULL,
  signer_serial_hex TEXT NOT NULL,
  signature_digest TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, record_sha256)
);
CREATE INDEX document_approval_signatures_latest ON document_approval_signatures (document_id, created_at);
`;

/** Registered as the `approvals` module in src/sync-server/app.ts. */
export const approvalMigrations: Migration[] = [{ id: 'approvals-001-batch-signoff-signatures', sqlite: approvals001, postgres: approvals001 }];

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const rejected = (text: string | ErrorText) => new HttpError('rejected', text);

/** SHA-256 of the fields an approval covers (number, date and body aside). */
export const fieldsDigest = (doc: StoredDocument): string => sha256(canonicalJson(approvalFields(doc.fields)));

/** The body as it would be approved now: the room's text, else the `body` field (as bodySnapshot takes it). */
async function currentBody(loadRoomUpdates: LoadRoomUpdates, doc: StoredDocument): Promise<string> {
  return (await readRoomBody(loadRoomUpdates, doc.id)) ?? doc.fields.body;
}

/** `GET /api/documents/:id/approval-basis`: what the record must name for this document now. */
export async function approvalBasis(loadRoomUpdates: LoadRoomUpdates, doc: StoredDocument): Promise<ApprovalBasis> {
  return { documentId: doc.id, version: doc.workflow.version, bodySha256: sha256(await currentBody(loadRoomUpdates, doc)), fieldsSha256: fieldsDigest(doc) };
}

/** An upload that passed every check that needs no transaction. */
export interface VerifiedApproval {
  readonly record: ApprovalRecord;
  readonly recordSha256: string;
  readonly sheet: Buffer;
  readonly signerName: string;
  readonly signerSerialHex: string;
  readonly signatureDigest: string;
}

/** Replaceable in tests of the route's own rules; `verifyPdf` by default. */
export type ApprovalVerifier = (pdf: Uint8Array, trustedRootsPem: string[]) => Promise<PdfVerification>;

/**
 * Checks an approval signature sent with `approve`, before the transaction. Every refusal is a 422
 * with a reason a person can act on (a 409 when the document moved on since it was signed).
 */
export async function verifyApprovalUpload(
  deps: Pick<ServerDeps, 'accounts'>,
  user: AccountUser,
  doc: StoredDocument,
  body: DocumentActionRequest,
  verifier: ApprovalVerifier = (pdf, roots) => verifyPdf(pdf, { trustedRoots: roots }),
): Promise<VerifiedApproval | undefined> {
  const upload = body.approvalSignature;
  if (!upload) return undefined;
  if (body.action !== 'approve') throw rejected(errorText('approval.signatureOnlyOnApprove'));
  const { record } = upload;
  if (record.documentId !== doc.id) throw rejected(errorText('approval.recordOtherDocument'));
  if (record.version !== doc.workflow.version) throw conflict(errorText('approval.documentChanged'));
  if (record.opinion !== (body.opinion?.text ?? '')) throw rejected(errorText('approval.opinionMismatch'));
  const ink = body.opinion?.ink;
  if ((ink ? sha256(canonicalInk(ink)) : undefined) !== record.inkSha256) throw rejected(errorText('approval.inkMismatch'));

  const sheet = Buffer.from(upload.sheetPdf, 'base64');
  const roots = (await deps.accounts.trustedRoots()).map((r) => r.pem);
  if (roots.length === 0) throw rejected(errorText('approval.noTrustedRoots'));
  let verification: PdfVerification;
  try {
    verification = await verifier(sheet, roots);
  } catch (error) {
    throw rejected(errorText('approval.cannotVerify', { reason: error instanceof Error ? error.message : String(error) }));
  }
  if (!verification.ok) {
    const failing = verification.signatures.flatMap((s) => (Object.values(s.checks) as Array<{ ok: boolean; detail: string } | undefined>).filter((c) => c && !c.ok));
    throw rejected(failing.length > 0 ? errorText('approval.verifyFailed', { reason: failing.map((c) => c?.detail).join('；') }) : errorText('approval.sheetUnsigned'));
  }
  const recordSha256 = sha256(canonicalJson(record));
  const signature = verification.signatures.find((s) => recordDigestFromReason(s.reason) === recordSha256);
  if (!signature) throw rejected(errorText('approval.sheetSignatureMismatch'));
  // The certificate must be issued to the acting person: their name as CN, their unit in the subject.
  const unitName = (await deps.accounts.listUnits()).find((u) => u.id === user.unitId)?.name ?? '';
  if (signature.signerName !== user.name || !(signature.signerSubject ?? '').includes(unitName)) {
    throw rejected(
      signature.signerName === undefined
        ? errorText('approval.certificateNotSignerUnknown', { name: user.name, unitName })
        : errorText('approval.certificateNotSigner', { name: user.name, unitName, signer: signature.signerName }),
    );
  }
  return {
    record,
    recordSha256,
    sheet,
    signerName: signature.signerName,
    signerSerialHex: signature.signerSerialHex ?? '',
    signatureDigest: signature.signatureDigest ?? '',
  };
}

/**
 * Inside the step's transaction, on the document as stored at commit time: the record's digests must
 * be those of the body and fields being approved; then the signed sheet and record are kept. Throws
 * (rolling the step back) otherwise.
 */
export async function storeApproval(
  tx: Queryable,
  loadRoomUpdates: LoadRoomUpdates,
  doc: StoredDocument,
  approval: VerifiedApproval,
  approvedBodySha256: string | undefined,
  user: AccountUser,
  now: number,
): Promise<void> {
  const bodySha = approvedBodySha256 ?? sha256(await currentBody(loadRoomUpdates, doc));
  const changed = [
    ...(bodySha !== approval.record.bodySha256 ? [approvalPartLabels.body] : []),
    ...(fieldsDigest(doc) !== approval.record.fieldsSha256 ? [approvalPartLabels.fields] : []),
  ];
  if (changed.length > 0) throw rejected(errorText('approval.contentChanged', { changed: changed.join('、') }));
  const sheetSha = await putBlob(tx, approval.sheet, now);
  await tx.run(
    `INSERT INTO document_approval_signatures (document_id, record_sha256, record, fields, sheet_sha256, signer_id, signer_name, signer_serial_hex, signature_digest, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, record_sha256) DO NOTHING`,
    [doc.id, approval.recordSha256, canonicalJson(approval.record), canonicalJson(approvalFields(doc.fields)), sheetSha, user.id, approval.signerName, approval.signerSerialHex, approval.signatureDigest, now],
  );
}

type ApprovalRow = {
  record: string;
  fields: string;
  sheet_sha256: string;
  signer_name: string;
  created_at: number;
};

async function latestApproval(db: Queryable, documentId: string): Promise<ApprovalRow | undefined> {
  return db.get<ApprovalRow>(
    'SELECT record, fields, sheet_sha256, signer_name, created_at FROM document_approval_signatures WHERE document_id = ? ORDER BY created_at DESC LIMIT 1',
    [documentId],
  );
}

/** The signed 处理笺 of the latest approval, if the leader signed one. */
export async function latestSignedSheet(db: Queryable, documentId: string): Promise<Buffer | undefined> {
  const row = await latestApproval(db, documentId);
  return row ? getBlob(db, row.sheet_sha256) : undefined;
}

/**
 * Whether the body and fields are still those approved (number and date aside): the approved body
 * snapshot when there is one, else the live body.
 */
export async function approvalStatus(db: Queryable, loadRoomUpdates: LoadRoomUpdates, doc: StoredDocument): Promise<ApprovalStatus | undefined> {
  const row = await latestApproval(db, doc.id);
  if (!row) return undefined;
  const record = JSON.parse(row.record) as ApprovalRecord;
  const snapshot = await readBodySnapshot(db, doc.id);
  const bodySha = snapshot?.sha256 ?? sha256(await currentBody(loadRoomUpdates, doc));
  const approvedFields = JSON.parse(row.fields) as Record<string, unknown>;
  const changed = [
    ...(bodySha !== record.bodySha256 ? ['body'] : []),
    ...changedApprovalFields(approvedFields, JSON.parse(canonicalJson(approvalFields(doc.fields))) as Record<string, unknown>),
  ];
  return { signerName: row.signer_name, signedAt: record.at, consistent: changed.length === 0, changed };
}

/** 用印: refuses (422) to seal a document whose body or fields differ from those the leader signed. */
export async function assertSealingApproved(db: Queryable, loadRoomUpdates: LoadRoomUpdates, doc: StoredDocument): Promise<void> {
  const status = await approvalStatus(db, loadRoomUpdates, doc);
  if (status && !status.consistent) {
    // Named as parts (正文、公文要素), like approval.contentChanged: the renderer's terms word those,
    // where field names (title, urgency) were code words in a Chinese sentence.
    const parts = [...new Set(status.changed.map((c) => (c === 'body' ? approvalPartLabels.body : approvalPartLabels.fields)))];
    throw rejected(errorText('sealing.contentChanged', { changed: parts.join('、') }));
  }
}
