import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { APPROVAL_RECORD_FORMAT, approvalReason, canonicalJson, type ApprovalRecord } from '../../shared/domain/documents/approvalRecord';
import { wordError } from '../../shared/errors';
import type { AccountUser } from '../../shared/http/auth';
import type { DocumentActionRequest } from '../../shared/http/documents';
import type { PdfVerification, SignatureVerification } from '../../signing';
import { HttpError } from '../http/errors';
import { assertSealingApproved, verifyApprovalUpload } from './approvalSignatures';
import type { StoredDocument } from './repository';

const wang: AccountUser = { id: 'user-wang', username: 'wang', name: '王建国', unitId: 'unit-szfb', unitName: '市政府办公室', roles: ['leader'], mustChangePassword: false };
const doc = { id: 'doc-1', workflow: { version: 3 } } as StoredDocument;
const digest = 'a'.repeat(64);
const record: ApprovalRecord = { format: APPROVAL_RECORD_FORMAT, documentId: 'doc-1', version: 3, bodySha256: digest, fieldsSha256: digest, opinion: '', at: '2026-11-23T10:00:00+08:00' };
const body = { action: 'approve', approvalSignature: { record, sheetPdf: Buffer.from('%PDF').toString('base64') } } as unknown as DocumentActionRequest;
const deps = { accounts: { trustedRoots: () => Promise.resolve([{ pem: 'root' }]), listUnits: () => Promise.resolve([{ id: 'unit-szfb', name: '市政府办公室' }]) } } as never;

async function refusal(verification: PdfVerification): Promise<HttpError> {
  const error = await verifyApprovalUpload(deps, wang, doc, body, () => Promise.resolve(verification)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HttpError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('approval signature refusals carry catalogue keys', () => {
  it('a processing sheet without any signature: approval.sheetUnsigned, the zh message as before', async () => {
    const error = await refusal({ ok: false, signatureCount: 0, signatures: [] });
    expect(error).toMatchObject({ status: 422, key: 'approval.sheetUnsigned', message: '签批签名验证未通过：处理笺没有签名' });
    expect(wordError(error, 'en')).toBe('The approval signature did not verify: the processing sheet carries no signature');
  });

  it('a signature whose certificate names no one: approval.certificateNotSignerUnknown', async () => {
    const recordSha256 = createHash('sha256').update(canonicalJson(record)).digest('hex');
    const signature = { reason: approvalReason(recordSha256), signerSubject: 'CN=?, O=市政府办公室' } as SignatureVerification;
    const error = await refusal({ ok: true, signatureCount: 1, signatures: [signature] });
    expect(error).toMatchObject({ key: 'approval.certificateNotSignerUnknown', params: { name: '王建国', unitName: '市政府办公室' }, message: '签批证书不是王建国（市政府办公室）的证书（证书为 未知）' });
    expect(wordError(error, 'en')).toBe('The approval certificate is not 王建国\'s (市政府办公室); whose it is cannot be read');
  });
});

describe('用印 refused after changes since 签发', () => {
  it('names the changed parts as 正文 and 公文要素, never field names, so the terms can word them', async () => {
    const fields = { kind: 'outgoing', type: 'notice', title: '新标题', body: '正文内容', urgency: 'normal' };
    const approvedFields = { type: 'notice', title: '旧标题', urgency: 'urgent' };
    const approval = { record: JSON.stringify({ ...record, bodySha256: 'b'.repeat(64) }), fields: JSON.stringify(approvedFields), sheet_sha256: digest, signer_name: '王建国', created_at: 1 };
    const db = { get: (sql: string) => Promise.resolve(sql.includes('document_approval_signatures') ? approval : undefined) } as never;
    const sealing = { ...doc, fields } as unknown as StoredDocument;
    const error = await assertSealingApproved(db, () => Promise.resolve([]), sealing).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ key: 'sealing.contentChanged', params: { changed: '正文、公文要素' }, message: '用印内容与签发时不一致：正文、公文要素已变更' });
  });
});
