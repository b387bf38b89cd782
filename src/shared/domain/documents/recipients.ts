/**
 * Who receives a document when a person takes an action: the one rule the server applies and the
 * client shows. For each action that hands the document to people it says which step they will hold,
 * who may be chosen (the server refuses anyone else), who receives it when nobody is chosen (the
 * server's default), and whether a choice is required. Pure: the caller passes the unit's people.
 */
import { z } from 'zod';
import { RoleSchema } from '../roles';
import {
  WorkflowStateSchema,
  availableActions,
  handlesDocuments,
  mayHold,
  type Actor,
  type Participant,
  type WorkflowAction,
  type WorkflowState,
  type WorkflowStatus,
} from './workflow';

/** A person who may be chosen, as the client shows them. */
export const RecipientSchema = z.object({ id: z.string(), name: z.string(), roles: z.array(RoleSchema) });
export type Recipient = z.infer<typeof RecipientSchema>;

/** Who an action may hand the document to, and who gets it when nobody is chosen. */
export const ActionRecipientsSchema = z.object({
  /**
   * The step the chosen people will hold (for 传阅: readers of the current step). Absent for 提交 and
   * 审核 同意, where the choice decides it: one leader 签发, several people 会签, anyone else 审核.
   */
  step: WorkflowStateSchema.optional(),
  /** Everyone who may be chosen, in the order to show them; the server refuses anyone else. */
  eligible: z.array(RecipientSchema),
  /** Who receives it when nobody is chosen (ids among `eligible`); shown ticked. */
  defaults: z.array(z.string()),
  /** At most this many may be chosen (转办: one). */
  max: z.number().int().min(1).optional(),
  /** Whether the action needs someone: otherwise nobody chosen means the default or the actor. */
  required: z.boolean(),
});
export type ActionRecipients = z.infer<typeof ActionRecipientsSchema>;

const isLeader = (p: Participant) => p.roles.includes('leader');
const isClerk = (p: Participant) => p.roles.includes('clerk');
const show = (p: Participant): Recipient => ({ id: p.id, name: p.name, roles: [...p.roles] });
/** The only one of `people`, as a default; no default when there are several to choose from. */
const onlyOne = (people: readonly Participant[]) => (people.length === 1 ? [people[0]!.id] : []);

/**
 * Who `actor` may hand the document to by `action`, given `people`, the users of the document's
 * unit. Undefined for actions that choose nobody (编号, 用印, 分发, 退回 …: the step's rule decides).
 */
export function actionRecipients(
  status: WorkflowStatus,
  actor: Actor,
  action: WorkflowAction,
  people: readonly Participant[],
): ActionRecipients | undefined {
  const { state, unitId } = status;
  // 系统管理员 and other administration-only accounts are never offered: the server refuses them.
  const unit = people.filter((p) => p.unitId === unitId && handlesDocuments(p));
  const self = new Set([actor.id, ...status.holders.filter((h) => actor.delegators?.some((d) => d.id === h))]);
  const others = unit.filter((p) => !self.has(p.id));
  const result = (step: WorkflowState | undefined, eligible: readonly Participant[], defaults: string[], required: boolean, max?: number): ActionRecipients => ({
    ...(step ? { step } : {}),
    eligible: eligible.map(show),
    defaults,
    required,
    ...(max !== undefined ? { max } : {}),
  });

  switch (action) {
    case 'submit':
    case 'approve': {
      if (action === 'approve' && state === 'signoff') {
        // 签发 done: the unit's clerks number it; any one of them may take it.
        const clerks = unit.filter(isClerk);
        return result('numbering', clerks, clerks.map((p) => p.id), true);
      }
      if (!(action === 'submit' && state === 'draft') && !(action === 'approve' && state === 'review')) return undefined;
      // One leader: 签发; several people: 会签; anyone else: 审核. A unit with one leader sends to them by default.
      const leaders = others.filter(isLeader);
      const ordered = [...leaders, ...others.filter((p) => !isLeader(p))];
      return result(undefined, ordered, onlyOne(leaders), true);
    }
    case 'transfer': {
      const eligible = others.filter((p) => !status.holders.includes(p.id) && mayHold(state, unitId, p));
      return result(state, eligible, [], true, 1);
    }
    case 'propose': {
      const leaders = others.filter(isLeader);
      return result('instructing', leaders, onlyOne(leaders), true);
    }
    case 'instruct':
      // Nobody named: the clerk who proposed it distributes the work (分办).
      return result('handling', unit, [], false);
    case 'assign':
      return result('handling', unit, [], true);
    case 'complete':
      // Nobody named: the one who completes it keeps it (办结 to themselves).
      return result('completed', others.filter(isClerk), [], false);
    case 'circulate': {
      const readers = new Set(status.readers.map((r) => r.userId));
      return result(state, others.filter((p) => !readers.has(p.id)), [], true);
    }
    default:
      return undefined;
  }
}

/** Actions whose only point is to name someone: with nobody to name they are not offered at all. */
const choosingOnly: ReadonlySet<WorkflowAction> = new Set(['transfer', 'circulate']);

/**
 * The actions `actor` may take now (`actions`, from availableActions), each that hands the document
 * on with whom it may go to — what a document's view offers (the server's and the offline draft's).
 * 转办 and 传阅 with nobody to hand to are left out rather than shown as a button that can only be
 * refused.
 */
export function actionsWithRecipients(
  status: WorkflowStatus,
  actor: Actor,
  people: readonly Participant[],
  actions: ReadonlyArray<{ action: WorkflowAction; label: string }> = availableActions(status, actor),
): Array<{ action: WorkflowAction; label: string; recipients?: ActionRecipients }> {
  return actions.flatMap((a) => {
    const recipients = actionRecipients(status, actor, a.action, people);
    if (!recipients) return [a];
    if (choosingOnly.has(a.action) && recipients.eligible.length === 0) return [];
    return [{ ...a, recipients }];
  });
}
