/**
 * A draft as this client shows it before the server has it (offline drafting, issue 19): built with
 * the same shared rules the server uses (`startWorkflow`, `availableActions`, `actionRecipients`), so
 * it opens, its body can be written, and a step can be queued behind its creation. The server's view
 * replaces it as soon as the outbox has delivered the creation.
 */
import { actionsWithRecipients, DocumentFieldsSchema, startWorkflow, workflowStateLabels, type Actor, type DocumentFieldsInput, type DocumentKind, type Participant } from '../../../shared/domain/documents';
import type { DocumentView } from '../../../shared/http/documents';

// What the list shows in 状态 while the creation waits in the outbox (shared: the renderer words it).
import { PENDING_DRAFT_LABEL } from '../../../shared/domain/documents/pendingDraft';

export interface LocalDraftInput {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly fields: DocumentFieldsInput;
  /** The signed-in person, who drafts it. */
  readonly creator: Participant & { readonly unitName: string };
  /** The people of the directory last kept (to offer 提交's recipients offline). */
  readonly people: readonly Participant[];
  readonly now: Date;
}

export function localDraftView({ id, kind, fields: input, creator, people, now }: LocalDraftInput): DocumentView {
  const fields = DocumentFieldsSchema.parse(input);
  // As the server does: the issuing organ defaults to the author's unit; 发文字号 comes from 编号 only.
  if (kind === 'outgoing') {
    if (!fields.issuingOrgan) fields.issuingOrgan = creator.unitName;
    delete fields.docNumber;
  }
  const workflow = startWorkflow(kind, creator);
  const actor: Actor = { ...creator, delegators: [] };
  const actions = actionsWithRecipients(workflow, actor, people);
  const at = now.toISOString();
  return {
    id,
    kind,
    type: fields.type,
    title: fields.title,
    state: workflow.state,
    stateLabel: kind === 'outgoing' ? PENDING_DRAFT_LABEL : workflowStateLabels[workflow.state],
    version: workflow.version,
    unitId: workflow.unitId,
    drafterId: workflow.drafterId,
    holders: workflow.holders,
    holderNames: [creator.name],
    answered: workflow.answered,
    availableActions: actions,
    history: workflow.history,
    readers: workflow.readers,
    fields,
    sealed: false,
    receipts: [],
    createdAt: at,
    updatedAt: at,
  };
}
