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
import { printedNumber, type StoredDocument } from './repository';
import type { DocumentService } from './service';

/** Re-exported for callers that know the server side only. */
export { sheetOpinions };

export class OpinionSheetService {
  constructor(
    private readonly deps: Pick<ServerDeps, 'accounts'>,
    private readonly documents: DocumentService,
    private readonly options: { fonts?: FontOverrides } = {},
  ) {}

  /** The sheet as PDF bytes; 404 when the document does not exist, 403 when the caller may not read it. */
  async get(user: AccountUser, id: string): Promise<Buffer> {
    const doc = await this.documents.readable(user, id);
    await this.documents.auditAccess(user, doc, 'sheet');
    return this.render(doc);
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
