/**
 * The document workflow (条例 Articles 20–27) as a pure state machine.
 *
 * The server is the authority: it calls `applyAction` inside a transaction and stores the result.
 * The client calls `availableActions` to show the buttons a person may press and `applyAction` to
 * show an offline command's likely result; the server's answer always wins.
 *
 * Nothing here reads a clock, a database or a directory: the caller passes the acting person (with
 * any delegations already looked up), the resolved target people, and `now`.
 */
import { z } from 'zod';
import { RoleSchema, type Role } from '../roles';
import { formatDocNumber, type DocNumber, type DocumentKind } from './model';
import { InkDrawingSchema, VoiceNoteSchema, type InkDrawing, type VoiceNote } from './opinion';
import { errorText, ErrorTextFieldsSchema, type ErrorText } from '../../errors';

/** Steps of 发文 and 收文. */
export const WorkflowStateSchema = z.enum([
  // 发文
  'draft',
  'review',
  'countersign',
  'signoff',
  'numbering',
  'sealing',
  'dispatching',
  'dispatched',
  // 收文
  'registering',
  'proposing',
  'instructing',
  'assigning',
  'handling',
  'completed',
  // both
  'archived',
]);
export type WorkflowState = z.infer<typeof WorkflowStateSchema>;

export const workflowStateLabels: Record<WorkflowState, string> = {
  draft: '拟稿',
  review: '审核',
  countersign: '会签',
  signoff: '签发',
  numbering: '编号',
  sealing: '用印',
  dispatching: '分发',
  dispatched: '已分发',
  registering: '登记',
  proposing: '拟办',
  instructing: '批示',
  assigning: '分办',
  handling: '承办',
  completed: '办结',
  archived: '已归档',
};

/** Action names and labels exactly as INTERFACES.md lists them. */
export const WorkflowActionSchema = z.enum([
  'submit',
  'approve',
  'return',
  'withdraw',
  'transfer',
  'number',
  'seal',
  'dispatch',
  'archive',
  'register',
  'propose',
  'instruct',
  'assign',
  'circulate',
  'read',
  'complete',
  'remind',
]);
export type WorkflowAction = z.infer<typeof WorkflowActionSchema>;

export const workflowActionLabels: Record<WorkflowAction, string> = {
  submit: '提交',
  approve: '同意',
  return: '退回',
  withdraw: '撤回',
  transfer: '转办',
  number: '编号',
  seal: '用印',
  dispatch: '分发',
  archive: '归档',
  register: '登记',
  propose: '拟办',
  instruct: '批示',
  assign: '分办',
  circulate: '传阅',
  read: '已阅',
  complete: '办结',
  remind: '催办',
};

/** A person as the workflow sees them: enough to check roles and units. */
export const ParticipantSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  unitId: z.string().min(1),
  roles: z.array(RoleSchema),
});
export type Participant = z.infer<typeof ParticipantSchema>;

/** The person acting, plus the people who have delegated their work to them right now (委托). */
export interface Actor extends Participant {
  readonly delegators?: readonly Participant[];
}

/** One completed step, kept so 退回 can send the document back to whoever did it. */
export const TrailEntrySchema = z.object({
  state: WorkflowStateSchema,
  /** Who held the step (for 会签: every countersigner). */
  holders: z.array(z.string()),
  /** Who moved the document on from it. */
  by: z.string(),
});
export type TrailEntry = z.infer<typeof TrailEntrySchema>;

/** The actor of a step the server takes by itself (the automatic 催办); clients word it in their language. */
export const SYSTEM_ACTOR = { id: 'system', name: '系统' } as const;

/** One line of the 流转记录. */
export const HistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  actorName: z.string(),
  /** Set when a delegate acted for the holder. */
  onBehalfOf: z.string().optional(),
  onBehalfOfName: z.string().optional(),
  action: WorkflowActionSchema,
  label: z.string(),
  from: WorkflowStateSchema,
  to: WorkflowStateSchema,
  opinion: z.string().optional(),
  opinionInk: InkDrawingSchema.optional(),
  opinionVoice: VoiceNoteSchema.optional(),
  reason: z.string().optional(),
  /** When the server wrote `reason` (an automatic 催办), its catalogue key and params, so a client words it. */
  reasonKey: ErrorTextFieldsSchema.shape.key,
  reasonParams: ErrorTextFieldsSchema.shape.params,
  /** People the document was sent to, or reminded, or given to read. */
  targets: z.array(z.string()).optional(),
  targetNames: z.array(z.string()).optional(),
  units: z.array(z.string()).optional(),
  docNumber: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** A reader a document was circulated to (传阅), and when they marked it 已阅. */
export const ReaderSchema = z.object({ userId: z.string(), name: z.string(), readAt: z.string().optional() });
export type Reader = z.infer<typeof ReaderSchema>;

/** The workflow part of a stored document. */
export const WorkflowStatusSchema = z.object({
  kind: z.enum(['outgoing', 'incoming']),
  /** The unit that owns this document (issuer for 发文, receiver for 收文). */
  unitId: z.string(),
  drafterId: z.string(),
  state: WorkflowStateSchema,
  /** Increases with every applied action: a client acting on an older version is stale. */
  version: z.number().int().min(0),
  /** Who may act on the current step. */
  holders: z.array(z.string()),
  /** 会签: who has already answered on this step. */
  answered: z.array(z.string()),
  /** Who moved the document into the current step (may 撤回 until a holder acts). */
  enteredBy: z.string(),
  /** The 会签 or 签发 leader step returns to this person when everyone has answered. */
  countersignReturnTo: z.string().optional(),
  trail: z.array(TrailEntrySchema),
  readers: z.array(ReaderSchema),
  /** Everyone who ever held or was sent the document: they may read it. */
  participants: z.array(z.string()),
  /** 签发: who signed off, and when. */
  signedOffBy: z.object({ userId: z.string(), name: z.string(), at: z.string(), opinion: z.string().optional() }).optional(),
  /** Set by the server once the holder of 用印 uploaded a PDF whose signatures verified. */
  sealedPdfSha256: z.string().optional(),
  docNumber: z.object({ organCode: z.string(), year: z.number(), serial: z.number() }).optional(),
  dispatchedTo: z.array(z.string()).optional(),
  history: z.array(HistoryEntrySchema),
});
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

/** What the caller asks for. `to` are people the server has already looked up in the directory. */
export interface ActionRequest {
  readonly action: WorkflowAction;
  readonly opinion?: string;
  readonly opinionInk?: InkDrawing;
  readonly opinionVoice?: VoiceNote;
  readonly reason?: string;
  readonly to?: readonly Participant[];
  /** For `dispatch`: unit ids. */
  readonly units?: readonly string[];
  /** For `submit`/`approve`: the step to send to; for `return`: the earlier step to go back to. */
  readonly step?: WorkflowState;
  /** For `number`: the next serial of the unit's sequence, drawn by the server in the same transaction. */
  readonly docNumber?: DocNumber;
  /** The version the client saw; if the document moved on since, the action is stale. */
  readonly expectedVersion?: number;
}

export type RefusalCode = 'forbidden' | 'stale' | 'invalid';
export interface Refusal {
  readonly ok: false;
  readonly code: RefusalCode;
  /** Chinese (the message of `text`), for logs and the CLI. */
  readonly reason: string;
  /** The refusal as a catalogue text: the renderer words it in the person's language. */
  readonly text: ErrorText;
}
export type ApplyResult = { readonly ok: true; readonly status: WorkflowStatus } | Refusal;

const refuse = (code: RefusalCode, text: ErrorText): Refusal => ({ ok: false, code, reason: text.message, text });

/**
 * A permission refused, its text not yet written. `availableActions` asks about every action on every
 * view of a document and only wants yes or no: filling the Chinese wordings of a dozen refusals
 * nobody reads was a measurable part of a workflow action on the server. The text is made when a
 * refusal is actually answered (`mayTake`, `applyAction`).
 */
interface Denial {
  readonly ok: false;
  readonly why: () => ErrorText;
}
const deny = (why: () => ErrorText): Denial => ({ ok: false, why });
const refused = (denial: Denial): Refusal => refuse('forbidden', denial.why());

const terminalStates: ReadonlySet<WorkflowState> = new Set(['archived']);

/** The steps a document can be 退回'd to from its current one (never forward, never the same). */
const flowOrder: Record<DocumentKind, readonly WorkflowState[]> = {
  outgoing: ['draft', 'review', 'countersign', 'signoff', 'numbering', 'sealing', 'dispatching', 'dispatched', 'archived'],
  incoming: ['registering', 'proposing', 'instructing', 'assigning', 'handling', 'completed', 'archived'],
};

/**
 * Steps on which someone still has to act on the document: they may 转办 it and be 催办'd, and a
 * document past its 办理期限 on one of them is 已超期 (the list's mark and the server's reminders).
 * The one copy of this rule: the renderer and the sync server import it.
 */
export const workingStates: ReadonlySet<WorkflowState> = new Set<WorkflowState>([
  'review',
  'countersign',
  'signoff',
  'numbering',
  'sealing',
  'dispatching',
  'registering',
  'proposing',
  'instructing',
  'assigning',
  'handling',
]);

/** Who may hold a step, as a refusal names them ({role} of workflow.holderWrongRole). */
export type StepHolder = 'unitMember' | 'countersigner' | 'unitLeader' | 'unitClerk';
export const stepHolderLabels: Record<StepHolder, string> = { unitMember: '本单位人员', countersigner: '会签人', unitLeader: '本单位领导', unitClerk: '本单位文书' };

/** Roles the holder of a step must have, and whether they must belong to the owning unit. */
const stepRequirement: Partial<Record<WorkflowState, { roles?: readonly Role[]; ownUnit: boolean; holder: StepHolder }>> = {
  draft: { ownUnit: true, holder: 'unitMember' },
  review: { ownUnit: true, holder: 'unitMember' },
  countersign: { ownUnit: false, holder: 'countersigner' },
  signoff: { roles: ['leader'], ownUnit: true, holder: 'unitLeader' },
  numbering: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
  sealing: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
  dispatching: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
  dispatched: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
  registering: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
  proposing: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
  instructing: { roles: ['leader'], ownUnit: true, holder: 'unitLeader' },
  assigning: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
  handling: { ownUnit: true, holder: 'unitMember' },
  completed: { roles: ['clerk'], ownUnit: true, holder: 'unitClerk' },
};

/**
 * Whether a person takes part in the business: an account that only administers the system
 * (系统管理员) holds no step of any document — the administrator is not a reviewer (三员分立).
 */
export const handlesDocuments = (person: Pick<Participant, 'roles'>): boolean => person.roles.some((role) => role !== 'admin');

/**
 * Why `person` may not hold `state` of a document owned by `unitId`, as a text not yet written; null
 * when they may. The one copy of the rule behind `eligibleFor` and `mayHold`.
 */
function ineligibility(state: WorkflowState, unitId: string, person: Participant): (() => ErrorText) | null {
  const req = stepRequirement[state];
  if (!req) return () => errorText('workflow.noHolderStep', { step: workflowStateLabels[state] });
  if (req.ownUnit && person.unitId !== unitId) return () => errorText('workflow.holderOtherUnit', { name: person.name, step: workflowStateLabels[state] });
  if (req.roles && !req.roles.some((r) => person.roles.includes(r)))
    return () => errorText('workflow.holderWrongRole', { name: person.name, role: stepHolderLabels[req.holder], step: workflowStateLabels[state] });
  if (!handlesDocuments(person)) return () => errorText('workflow.holderAdminOnly', { name: person.name, step: workflowStateLabels[state] });
  return null;
}

/** Whether `person` may hold `state` of a document owned by `unitId`; the reason if not. */
export function eligibleFor(state: WorkflowState, unitId: string, person: Participant): ErrorText | null {
  return ineligibility(state, unitId, person)?.() ?? null;
}

/** Whether `person` may hold `state` (as `eligibleFor`, without wording a reason nobody reads: lists of whom to offer). */
export function mayHold(state: WorkflowState, unitId: string, person: Participant): boolean {
  return ineligibility(state, unitId, person) === null;
}

/**
 * Which identity the actor acts as on this document: themselves if they hold the step, else a
 * delegator who holds it (委托). Undefined when neither holds it.
 */
function actingIdentity(status: WorkflowStatus, actor: Actor, pending: readonly string[]): Participant | undefined {
  if (pending.includes(actor.id)) return actor;
  return actor.delegators?.find((d) => pending.includes(d.id));
}

/** Holders who still have to answer on the current step (会签: those who have not answered). */
function pendingHolders(status: WorkflowStatus): string[] {
  return status.holders.filter((h) => !status.answered.includes(h));
}

/** Steps a `submit`/`approve` from `state` may send to. */
const forwardTargets: Partial<Record<WorkflowState, readonly WorkflowState[]>> = {
  draft: ['review', 'countersign', 'signoff'],
  review: ['review', 'countersign', 'signoff'],
};

function isClerkOfUnit(p: Participant, unitId: string): boolean {
  return p.unitId === unitId && p.roles.includes('clerk');
}

/** Has any holder of the current step acted since the document arrived here? */
function currentStepTouched(status: WorkflowStatus): boolean {
  if (status.answered.length > 0) return true;
  if (status.readers.some((r) => r.readAt !== undefined)) return true;
  return false;
}

/** The identity for a permission check of `action`, or a refusal saying why not. */
function permission(status: WorkflowStatus, actor: Actor, action: WorkflowAction): Participant | Denial {
  const { state } = status;
  const label = workflowActionLabels[action];
  if (terminalStates.has(state)) return deny(() => errorText('workflow.archived'));
  const pending = pendingHolders(status);
  const asHolder = actingIdentity(status, actor, pending);
  const notHolder = deny(() => errorText('workflow.notHolder', { step: workflowStateLabels[state], label }));

  switch (action) {
    case 'submit':
      if (state !== 'draft') return deny(() => errorText('workflow.submitOnlyDraft', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'approve':
      if (!['review', 'countersign', 'signoff'].includes(state)) return deny(() => errorText('workflow.notAtStep', { step: workflowStateLabels[state], label }));
      return asHolder ?? notHolder;
    case 'return':
      // 登记 is the first step of a 收文: there is nothing before it to go back to.
      if ((!workingStates.has(state) && state !== 'dispatched') || state === 'registering') return deny(() => errorText('workflow.notAtStep', { step: workflowStateLabels[state], label }));
      if (status.trail.length === 0) return deny(() => errorText('workflow.nothingToReturnTo'));
      return asHolder ?? notHolder;
    case 'transfer':
      if (!workingStates.has(state) && state !== 'draft') return deny(() => errorText('workflow.notAtStep', { step: workflowStateLabels[state], label }));
      return asHolder ?? notHolder;
    case 'withdraw': {
      if (status.trail.length === 0 || state === 'dispatched' || state === 'completed') return deny(() => errorText('workflow.nothingToWithdraw'));
      const self = actor.id === status.enteredBy ? actor : actor.delegators?.find((d) => d.id === status.enteredBy);
      if (!self) return deny(() => errorText('workflow.withdrawSenderOnly'));
      if (currentStepTouched(status)) return deny(() => errorText('workflow.withdrawTooLate'));
      return self;
    }
    case 'number':
      if (state !== 'numbering') return deny(() => errorText('workflow.numberOnlyAtNumbering', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'seal':
      if (state !== 'sealing') return deny(() => errorText('workflow.sealOnlyAtSealing', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'dispatch':
      if (state !== 'dispatching') return deny(() => errorText('workflow.dispatchOnlyAtDispatching', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'archive': {
      if (state !== 'dispatched' && state !== 'completed') return deny(() => errorText('workflow.archiveNotAtStep', { step: workflowStateLabels[state] }));
      const clerk = [actor, ...(actor.delegators ?? [])].find((p) => isClerkOfUnit(p, status.unitId));
      return clerk ?? deny(() => errorText('workflow.archiveClerkOnly'));
    }
    case 'register':
      if (state !== 'registering') return deny(() => errorText('workflow.registerOnlyAtRegistering', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'propose':
      if (state !== 'proposing') return deny(() => errorText('workflow.proposeOnlyAtProposing', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'instruct':
      if (state !== 'instructing') return deny(() => errorText('workflow.instructOnlyAtInstructing', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'assign':
      if (state !== 'assigning') return deny(() => errorText('workflow.assignOnlyAtAssigning', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'complete':
      if (state !== 'handling') return deny(() => errorText('workflow.completeOnlyAtHandling', { step: workflowStateLabels[state] }));
      return asHolder ?? notHolder;
    case 'circulate': {
      if (status.kind !== 'incoming' || !['instructing', 'assigning', 'handling', 'completed'].includes(state))
        return deny(() => errorText('workflow.circulateAfterInstruction'));
      const who = asHolder ?? [actor, ...(actor.delegators ?? [])].find((p) => isClerkOfUnit(p, status.unitId));
      return who ?? deny(() => errorText('workflow.circulateHolderOrClerk'));
    }
    case 'read': {
      const reader = [actor, ...(actor.delegators ?? [])].find((p) => status.readers.some((r) => r.userId === p.id && !r.readAt));
      return reader ?? deny(() => errorText('workflow.nothingToRead'));
    }
    case 'remind': {
      if (!workingStates.has(state)) return deny(() => errorText('workflow.remindNotNeeded', { step: workflowStateLabels[state] }));
      if (pending.includes(actor.id)) return deny(() => errorText('workflow.remindNotSelf'));
      const clerk = [actor, ...(actor.delegators ?? [])].find((p) => isClerkOfUnit(p, status.unitId));
      if (clerk) return clerk;
      if (actor.id === status.enteredBy) return actor;
      return deny(() => errorText('workflow.remindClerkOrSender'));
    }
  }
}

/** Whether `actor` holds the step on which `action` is taken (used for the 用印 upload). */
export function mayTake(status: WorkflowStatus, actor: Actor, action: WorkflowAction): { ok: true; as: Participant } | Refusal {
  const who = permission(status, actor, action);
  return 'ok' in who ? refused(who) : { ok: true, as: who };
}

/**
 * The actions `actor` may take on the document now, with their Chinese labels, in a stable order.
 * An action listed here may still need input (e.g. `submit` needs someone to send to).
 */
export function availableActions(status: WorkflowStatus, actor: Actor): Array<{ action: WorkflowAction; label: string }> {
  return WorkflowActionSchema.options
    .filter((action) => !('ok' in permission(status, actor, action)))
    .map((action) => ({ action, label: workflowActionLabels[action] }));
}

/** A new, empty workflow for a document a person creates. */
export function startWorkflow(kind: DocumentKind, creator: Participant): WorkflowStatus {
  return {
    kind,
    unitId: creator.unitId,
    drafterId: creator.id,
    state: kind === 'outgoing' ? 'draft' : 'registering',
    version: 0,
    holders: [creator.id],
    answered: [],
    enteredBy: creator.id,
    trail: [],
    readers: [],
    participants: [creator.id],
    history: [],
  };
}

/**
 * A 收文 created by 签收 at the receiving unit: every clerk there holds 登记 until one registers it.
 */
export function startIncoming(receiver: Participant, unitClerks: readonly Participant[]): WorkflowStatus {
  const base = startWorkflow('incoming', receiver);
  const holders = unique([receiver.id, ...unitClerks.filter((c) => isClerkOfUnit(c, receiver.unitId)).map((c) => c.id)]);
  return { ...base, holders, participants: holders };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function checkTargets(
  state: WorkflowState,
  unitId: string,
  to: readonly Participant[] | undefined,
  self: Participant,
  opts: { allowSelf?: boolean; max?: number } = {},
): Participant[] | Refusal {
  if (!to || to.length === 0) return refuse('invalid', errorText('workflow.chooseHolder', { step: workflowStateLabels[state] }));
  if (opts.max !== undefined && to.length > opts.max) return refuse('invalid', errorText('workflow.tooManyHolders', { step: workflowStateLabels[state], max: opts.max }));
  const ids = new Set<string>();
  for (const p of to) {
    if (ids.has(p.id)) return refuse('invalid', errorText('workflow.duplicatePerson', { name: p.name }));
    ids.add(p.id);
    if (!opts.allowSelf && p.id === self.id) return refuse('invalid', errorText('workflow.notToSelf'));
    const why = eligibleFor(state, unitId, p);
    if (why) return refuse('invalid', why);
  }
  return [...to];
}

/**
 * Applies one action. Returns the new status (the input is never mutated) or a refusal:
 * `forbidden` (you may not), `stale` (the document moved on since `expectedVersion`), `invalid`
 * (missing or wrong input), each with a Chinese reason.
 */
export function applyAction(status: WorkflowStatus, request: ActionRequest, actor: Actor, now: string): ApplyResult {
  if (request.expectedVersion !== undefined && request.expectedVersion !== status.version)
    return refuse('stale', errorText('documents.stale'));
  const who = permission(status, actor, request.action);
  if ('ok' in who) return refused(who);
  const opinion = request.opinion?.trim() || undefined;
  const reason = request.reason?.trim() || undefined;
  /** 拟办 and 批示 need an opinion: typed, handwritten or spoken. */
  const hasOpinion = !!(opinion || request.opinionInk || request.opinionVoice);
  const { state, kind, unitId } = status;

  const entry = (to: WorkflowState, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
    at: now,
    actor: actor.id,
    actorName: actor.name,
    ...(who.id !== actor.id ? { onBehalfOf: who.id, onBehalfOfName: who.name } : {}),
    action: request.action,
    label: workflowActionLabels[request.action],
    from: state,
    to,
    ...(opinion ? { opinion } : {}),
    ...(request.opinionInk ? { opinionInk: request.opinionInk } : {}),
    ...(request.opinionVoice ? { opinionVoice: request.opinionVoice } : {}),
    ...(reason ? { reason } : {}),
    ...extra,
  });

  /** Moves to `next` held by `holders`, recording the finished step in the trail. */
  const advance = (next: WorkflowState, holders: readonly Participant[], extra: Partial<HistoryEntry> = {}, patch: Partial<WorkflowStatus> = {}): ApplyResult => {
    const ids = holders.map((h) => h.id);
    const finished: TrailEntry = { state, holders: state === 'countersign' ? status.holders : [who.id], by: who.id };
    const targetExtra = holders.length > 0 ? { targets: ids, targetNames: holders.map((h) => h.name) } : {};
    return {
      ok: true,
      status: {
        ...status,
        ...patch,
        state: next,
        version: status.version + 1,
        holders: ids,
        answered: [],
        enteredBy: who.id,
        trail: [...status.trail, finished],
        participants: unique([...status.participants, actor.id, ...ids]),
        history: [...status.history, entry(next, { ...targetExtra, ...extra })],
      },
    };
  };

  /** Records something that does not move the document (会签 answer, 传阅, 已阅, 催办). */
  const stay = (patch: Partial<WorkflowStatus>, extra: Partial<HistoryEntry> = {}): ApplyResult => ({
    ok: true,
    status: {
      ...status,
      ...patch,
      version: status.version + 1,
      participants: unique([...(patch.participants ?? status.participants), actor.id]),
      history: [...status.history, entry(state, extra)],
    },
  });

  switch (request.action) {
    case 'submit':
    case 'approve': {
      if (state === 'countersign') {
        // 会签 is parallel: each answers once; the step ends when the last one has answered.
        const answered = [...status.answered, who.id];
        if (status.holders.every((h) => answered.includes(h))) {
          const back = status.countersignReturnTo ?? status.enteredBy;
          const finished: TrailEntry = { state, holders: status.holders, by: who.id };
          const previous = status.trail[status.trail.length - 1];
          const backState: WorkflowState = previous?.state ?? 'draft';
          return {
            ok: true,
            status: {
              ...status,
              state: backState,
              version: status.version + 1,
              holders: [back],
              answered: [],
              // Nobody 撤回s a finished 会签: every answer stands.
              enteredBy: '',
              trail: [...status.trail, finished],
              participants: unique([...status.participants, actor.id]),
              history: [...status.history, entry(backState, { targets: [back] })],
            },
          };
        }
        return stay({ answered });
      }
      if (state === 'signoff') {
        // 签发 done: the unit's clerks number it next; any one of them may take it.
        const clerks = request.to?.filter((p) => isClerkOfUnit(p, unitId)) ?? [];
        if (clerks.length === 0) return refuse('invalid', errorText('workflow.chooseClerk'));
        if (request.to && clerks.length !== request.to.length) return refuse('invalid', errorText('workflow.numberingClerksOnly'));
        return advance('numbering', clerks, {}, { signedOffBy: { userId: who.id, name: who.name, at: now, ...(opinion ? { opinion } : {}) } });
      }
      const allowed = forwardTargets[state] ?? [];
      const next = request.step ?? inferNextStep(request.to, unitId);
      if (!allowed.includes(next)) return refuse('invalid', errorText('workflow.badTransition', { from: workflowStateLabels[state], to: workflowStateLabels[next] }));
      const targets = checkTargets(next, unitId, request.to, who);
      if ('ok' in targets) return targets;
      return advance(next, targets, {}, next === 'countersign' ? { countersignReturnTo: who.id } : {});
    }

    case 'return': {
      if (!reason) return refuse('invalid', errorText('workflow.reasonRequired'));
      let index = status.trail.length - 1;
      if (request.step) {
        const order = flowOrder[kind];
        if (order.indexOf(request.step) >= order.indexOf(state)) return refuse('invalid', errorText('workflow.returnEarlierOnly'));
        index = findLastIndex(status.trail, (t) => t.state === request.step);
        if (index < 0) return refuse('invalid', errorText('workflow.stepNotPassed', { step: workflowStateLabels[request.step] }));
      }
      const target = status.trail[index] as TrailEntry;
      const holders = target.state === 'countersign' ? target.holders : [target.by];
      return {
        ok: true,
        status: {
          ...status,
          ...undoneBy(target.state),
          state: target.state,
          version: status.version + 1,
          holders,
          answered: [],
          // A 退回 is not taken back: nobody may 撤回 it.
          enteredBy: '',
          trail: status.trail.slice(0, index),
          participants: unique([...status.participants, actor.id]),
          history: [...status.history, entry(target.state, { targets: holders })],
        },
      };
    }

    case 'withdraw': {
      // 撤回 takes the document back to the step its sender was on; nobody downstream has acted.
      const previous = status.trail[status.trail.length - 1] as TrailEntry;
      const holders = previous.state === 'countersign' ? previous.holders : [who.id];
      return {
        ok: true,
        status: {
          ...status,
          ...undoneBy(previous.state),
          state: previous.state,
          version: status.version + 1,
          holders,
          answered: [],
          enteredBy: status.trail[status.trail.length - 2]?.by ?? who.id,
          trail: status.trail.slice(0, -1),
          participants: unique([...status.participants, actor.id]),
          history: [...status.history, entry(previous.state, { targets: holders })],
        },
      };
    }

    case 'transfer': {
      const targets = checkTargets(state, unitId, request.to, who, { max: 1 });
      if ('ok' in targets) return targets;
      const target = targets[0] as Participant;
      if (status.holders.includes(target.id)) return refuse('invalid', errorText('workflow.alreadyHolder', { name: target.name }));
      const holders = status.holders.map((h) => (h === who.id ? target.id : h));
      return stay(
        { holders, participants: unique([...status.participants, target.id]) },
        { targets: [target.id], targetNames: [target.name] },
      );
    }

    case 'number': {
      // A document numbered once keeps its number (e.g. after a 撤回): serials never repeat or skip.
      const docNumber = status.docNumber ?? request.docNumber;
      if (!docNumber) return refuse('invalid', errorText('workflow.numberMissing'));
      return advance('sealing', [who], { docNumber: formatDocNumber(docNumber) }, { docNumber });
    }

    case 'seal': {
      // The signature itself is verified by the server when the PDF is uploaded; here we only
      // insist that it happened, so a 用印 step can never pass without a real seal.
      if (!status.sealedPdfSha256) return refuse('invalid', errorText('workflow.sealedPdfMissing'));
      return advance('dispatching', [who]);
    }

    case 'dispatch': {
      const units = unique(request.units ?? []);
      if (units.length === 0) return refuse('invalid', errorText('workflow.chooseUnits'));
      if (units.includes(unitId)) return refuse('invalid', errorText('workflow.notOwnUnit'));
      return advance('dispatched', [who], { units }, { dispatchedTo: units });
    }

    case 'archive':
      return advance('archived', [], {});

    case 'register':
      return advance('proposing', [who]);

    case 'propose': {
      if (!hasOpinion) return refuse('invalid', errorText('workflow.proposalOpinionRequired'));
      const targets = checkTargets('instructing', unitId, request.to, who);
      if ('ok' in targets) return targets;
      return advance('instructing', targets);
    }

    case 'instruct': {
      if (!hasOpinion) return refuse('invalid', errorText('workflow.instructionOpinionRequired'));
      if (request.to && request.to.length > 0) {
        const targets = checkTargets('handling', unitId, request.to, who, { allowSelf: true });
        if ('ok' in targets) return targets;
        return advance('handling', targets);
      }
      // Without named handlers the clerk who proposed it distributes the work (分办).
      const proposal = findLast(status.history, (h) => h.action === 'propose');
      const proposer = proposal ? { id: proposal.actor, name: proposal.actorName } : { id: status.enteredBy, name: '' };
      return advance('assigning', [{ ...proposer, unitId, roles: ['clerk'] }]);
    }

    case 'assign': {
      const targets = checkTargets('handling', unitId, request.to, who, { allowSelf: true });
      if ('ok' in targets) return targets;
      return advance('handling', targets);
    }

    case 'complete': {
      const clerks = (request.to ?? []).filter((p) => isClerkOfUnit(p, unitId));
      return advance('completed', clerks.length > 0 ? clerks : [who]);
    }

    case 'circulate': {
      if (!request.to || request.to.length === 0) return refuse('invalid', errorText('workflow.chooseReaders'));
      const already = new Set(status.readers.map((r) => r.userId));
      const fresh = request.to.filter((p) => !already.has(p.id));
      if (fresh.length === 0) return refuse('invalid', errorText('workflow.alreadyReaders'));
      for (const p of fresh) if (p.unitId !== unitId) return refuse('invalid', errorText('workflow.readerOtherUnit', { name: p.name }));
      return stay(
        { readers: [...status.readers, ...fresh.map((p) => ({ userId: p.id, name: p.name }))], participants: unique([...status.participants, ...fresh.map((p) => p.id)]) },
        { targets: fresh.map((p) => p.id), targetNames: fresh.map((p) => p.name) },
      );
    }

    case 'read':
      return stay({ readers: status.readers.map((r) => (r.userId === who.id && !r.readAt ? { ...r, readAt: now } : r)) });

    case 'remind':
      return stay({}, { targets: pendingHolders(status) });
  }
}

/**
 * What going back to `state` undoes: before 编号 the 签发 no longer stands (the text may change
 * again); before 用印 the seal no longer does (the PDF will be rendered and sealed afresh). The
 * 发文字号, once drawn, stays with the document so serials never skip.
 */
function undoneBy(state: WorkflowState): Partial<WorkflowStatus> {
  const order = flowOrder.outgoing;
  const at = order.indexOf(state);
  if (at < 0) return {};
  return {
    ...(at < order.indexOf('numbering') ? { signedOffBy: undefined } : {}),
    ...(at < order.indexOf('sealing') ? { sealedPdfSha256: undefined } : {}),
  };
}

/**
 * 初审 退回: a clerk holding a freshly signed-for 收文 at 登记 finds it non-compliant and sends it back
 * to the issuing unit with a reason. The 收文 ends here (archived with that record); the exchange
 * item is marked returned by the caller.
 */
export function returnToSender(status: WorkflowStatus, actor: Actor, reason: string, now: string): ApplyResult {
  if (status.kind !== 'incoming' || status.state !== 'registering') return refuse('forbidden', errorText('workflow.returnOnlyRegistering'));
  const who = actingIdentity(status, actor, pendingHolders(status));
  if (!who || !who.roles.includes('clerk')) return refuse('forbidden', errorText('workflow.returnClerkOnly'));
  const text = reason.trim();
  if (!text) return refuse('invalid', errorText('workflow.reasonRequired'));
  const entry: HistoryEntry = {
    at: now,
    actor: actor.id,
    actorName: actor.name,
    ...(who.id !== actor.id ? { onBehalfOf: who.id, onBehalfOfName: who.name } : {}),
    action: 'return',
    label: workflowActionLabels.return,
    from: status.state,
    to: 'archived',
    reason: text,
  };
  return {
    ok: true,
    status: { ...status, state: 'archived', version: status.version + 1, holders: [], answered: [], enteredBy: '', history: [...status.history, entry] },
  };
}

/** A leader among the targets means 签发; several people, 会签; otherwise 审核. */
function inferNextStep(to: readonly Participant[] | undefined, unitId: string): WorkflowState {
  if (!to || to.length === 0) return 'review';
  if (to.length === 1 && to[0]?.roles.includes('leader') && to[0].unitId === unitId) return 'signoff';
  if (to.length > 1) return 'countersign';
  return 'review';
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  const i = findLastIndex(items, test);
  return i < 0 ? undefined : items[i];
}

/**
 * Who may read a document: its own unit, and anyone it was ever sent to (会签 across units,
 * readers). Another unit sees nothing until it is dispatched to them — and then it sees the
 * exchange copy and its own 收文, never this document.
 */
export function canReadDocument(status: Pick<WorkflowStatus, 'unitId' | 'participants'>, user: Pick<Participant, 'id' | 'unitId'>): boolean {
  return status.unitId === user.unitId || status.participants.includes(user.id);
}
