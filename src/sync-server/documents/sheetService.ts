/**
 * The 处理笺 of a document (`GET /api/documents/:id/sheet`): the 发文稿纸 or 收文处理笺 with every
 * step's opinion in its box — typed, handwritten (as vector paths), spoken (duration and digest) —
 * rendered by src/signing from the document's 流转记录. Only people who may read the document get it.
 *
 * The history is the only input and it is append-only, so an archived document always yields the
 * same sheet, byte for byte.
 */
import { formatSecrecy, urgencyLabels, type FontOverrides } from '../../shared/domain/documents';
import { sheetOpinions } from '../../shared/domain/documents/sheetOpinions';
import type { AccountUser } from '../../shared/http/auth';
import { renderOpinionSheet } from '../../signing/render';
import type { ServerDeps } from '../deps';
import { getBlob, printedNumber, putBlob, type StoredDocument } from './repository';
import type { DocumentService } from './service';
import { latestSignedSheet } from './approvalSignatures';

/** Re-exported for callers that know the server side only. */
export { sheetOpinions };

export class OpinionSheetService {
  constructor(
    private readonly deps: Pick<ServerDeps, 'accounts' | 'db' | 'now'>,
    private readonly documents: DocumentService,
    private readonly options: { fonts?: FontOverrides } = {},
  ) {}

  /**
   * The sheet as PDF bytes; 404 when the document does not exist, 403 when the caller may not read
   * it. An archived document answers with the sheet archived with it.
   */
  async get(user: AccountUser, id: string): Promise<Buffer> {
    const doc = await this.documents.readable(user, id);
    await this.documents.auditAccess(user, doc, 'sheet');
    // Once the leader signed the approval, the 处理笺 is the one they signed (later steps add no opinion to it).
    const signed = await latestSignedSheet(this.deps.db, doc.id);
    if (signed) return signed;
    if (doc.workflow.state === 'archived') return this.archive(doc);
    return this.render(doc);
  }

  /**
   * Keeps the sheet with an archived document (at 归档; again harmlessly later): rendered once, stored
   * as a blob and linked to the document; the stored bytes are what is served from then on.
   */
  async archive(doc: StoredDocument): Promise<Buffer> {
    const linked = await this.deps.db.get<{ sha256: string }>('SELECT sha256 FROM document_sheets WHERE document_id = ?', [doc.id]);
    const stored = linked ? await getBlob(this.deps.db, linked.sha256) : undefined;
    if (stored) return stored;
    const bytes = await this.render(doc);
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      const sha256 = await putBlob(tx, bytes, now);
      // Two readers racing here render the same bytes (the sheet is reproducible): the first link stands.
      await tx.run('INSERT INTO document_sheets (document_id, sha256, created_at) VALUES (?, ?, ?) ON CONFLICT (document_id) DO NOTHING', [doc.id, sha256, now]);
    });
    return bytes;
  }

  async render(doc: StoredDocument): Promise<Buffer> {
    const unitName = (await this.deps.accounts.listUnits()).find((u) => u.id === doc.workflow.unitId)?.name ?? '';
    const number = printedNumber(doc);
    const secrecy = doc.fields.secrecy.level === 'none' ? '' : formatSecrecy(doc.fields.secrecy);
    const urgency = urgencyLabels[doc.fields.urgency];
    const { pdf } = await renderOpinionSheet(
      {
        kind: doc.workflow.kind,
        unitName,
        title: doc.fields.title,
        ...(number ? { docNumber: number } : {}),
        ...(secrecy ? { secrecy } : {}),
        ...(urgency ? { urgency } : {}),
        opinions: sheetOpinions(doc.workflow.history),
        // The last step's time, not the clock: rendering the same history twice gives the same bytes.
        asOf: doc.workflow.history[doc.workflow.history.length - 1]?.at ?? new Date(doc.createdAt).toISOString(),
      },
      this.options.fonts ? { fonts: this.options.fonts } : {},
    );
    return Buffer.from(pdf);
  }
}
