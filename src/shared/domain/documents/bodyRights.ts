/**
 * Who may change a document's body, and when: the one rule the server's `doc:` room, its edit
 * routes and the client's editor share (issue 19: only the holders of the current step may change
 * the body).
 */
import type { WorkflowState, WorkflowStatus } from './workflow';

/** Steps in which the text may still change: 发文 up to 签发, 收文 while it is registered and proposed. */
export const bodyEditableStates: ReadonlySet<WorkflowState> = new Set<WorkflowState>(['draft', 'review', 'countersign', 'signoff', 'registering', 'proposing']);

/** Whether the text of a document in `state` may still change (by its holders). */
export function bodyMayChange(state: WorkflowState): boolean {
  return bodyEditableStates.has(state);
}

/**
 * Whether one of `peopleIds` (a person and whoever delegated to them now) may change the body: a
 * holder of the current step who has not answered yet, in a step where the text may change — or,
 * while the document is at 拟稿, one of its 协同拟稿人 (`coDrafters`, chosen by the drafter among the
 * people of the unit).
 */
export function mayEditBody(status: Pick<WorkflowStatus, 'state' | 'holders' | 'answered'>, peopleIds: readonly string[], coDrafters: readonly string[] = []): boolean {
  if (!bodyMayChange(status.state)) return false;
  if (status.state === 'draft' && coDrafters.some((id) => peopleIds.includes(id))) return true;
  return status.holders.some((holder) => !status.answered.includes(holder) && peopleIds.includes(holder));
}

/** Whether `coDrafterId` may be named a 协同拟稿人 of a draft of `unitId` drafted by `drafterId`. */
export function mayBeCoDrafter(person: { id: string; unitId: string }, draft: { unitId: string; drafterId: string }): boolean {
  return person.unitId === draft.unitId && person.id !== draft.drafterId;
}
