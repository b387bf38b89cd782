/**
 * The 处理笺 of a document (`GET /api/documents/:id/sheet`): the 发文稿纸 or 收文处理笺 with every
 * step's opinion in its box — typed, handwritten (as vector paths), spoken (duration and digest) —
 * rendered by src/signing from the document's 流转记录. Only people who may read the document get it.
 *
 * The history is the only input and it is append-only, so an archived document always yields the
 * same sheet, byte for byte.
 */
import { formatSecrecy, urgencyLabels, type FontOverrides, type HistoryEntry, type WorkflowState } from '../../shared/domain/documents';
import type { AccountUser } from '../../shared/http/auth';
import { renderOpinionSheet, type SheetBoxName, type SheetOpinion } from '../../signing/render';
import type { ServerDeps } from '../deps';
import { printedNumber, type StoredDocument } from './repository';
import type { DocumentService } from './service';

/** The box a step's opinion goes in, by the step it was given at. */
const boxOfStep: Partial<Record<WorkflowState, SheetBoxName>> = {
  draft: 'draft',
  review: 'review',
  countersign: 'countersign',
  signoff: 'signoff',
  registering: 'register',
  proposing: 'propose',
  instructing: 'instruct',
  assigning: 'handle',
  handling: 'handle',
};

/** Steps about moving the paper rather than judging it: on the sheet only when they carry an opinion. */
const clerical = new Set(['remind', 'withdraw', 'transfer']);

/** The opinions of a 流转记录 as they go onto the 处理笺, oldest first. */
export function sheetOpinions(history: readonly HistoryEntry[]): SheetOpinion[] {
  const out: SheetOpinion[] = [];
  for (const entry of history) {
    const box = boxOfStep[entry.from];
    if (!box) continue;
    const text = [entry.opinion, entry.reason ? `${entry.label}理由：${entry.reason}` : undefined].filter(Boolean).join('\n');
    const hasContent = !!(text || entry.opinionInk || entry.opinionVoice);
    if (clerical.has(entry.action) && !hasContent) continue;
    out.push({
      box,
      actorName: entry.actorName,
      ...(entry.onBehalfOfName ? { onBehalfOfName: entry.onBehalfOfName } : {}),
      at: entry.at,
      label: entry.label,
      ...(text ? { text } : {}),
      ...(entry.opinionInk ? { ink: entry.opinionInk } : {}),
      ...(entry.opinionVoice ? { voice: entry.opinionVoice } : {}),
    });
  }
  return out;
}

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
