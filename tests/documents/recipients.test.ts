/**
 * Who a document goes to at each step (shared actionRecipients): the list the client shows is the
 * list the state machine accepts — every person offered is accepted, everyone else is refused or was
 * never a choice — and the default (ticked) is who the server sends to when nobody is chosen.
 */
import { describe, expect, it } from 'vitest';
import {
  actionRecipients,
  actionsWithRecipients,
  applyAction,
  availableActions,
  startIncoming,
  startWorkflow,
  WorkflowActionSchema,
  WorkflowStateSchema,
  type ActionRequest,
  type Actor,
  type Participant,
  type WorkflowAction,
  type WorkflowStatus,
} from '../../src/shared/domain/documents';

const office = 'u-office';
const ndrc = 'u-ndrc';
const admin: Participant = { id: 'admin', name: '系统管理员', unitId: office, roles: ['admin'] };
const li: Participant = { id: 'li', name: '李文', unitId: office, roles: ['staff'] };
const wang: Participant = { id: 'wang', name: '王建国', unitId: office, roles: ['leader'] };
const zhao: Participant = { id: 'zhao', name: '赵敏', unitId: office, roles: ['clerk'] };
const qian: Participant = { id: 'qian', name: '钱审核', unitId: office, roles: ['reviewer'] };
const chen: Participant = { id: 'chen', name: '陈静', unitId: ndrc, roles: ['clerk'] };
const liu: Participant = { id: 'liu', name: '刘强', unitId: ndrc, roles: ['leader'] };
const sun: Participant = { id: 'sun', name: '孙磊', unitId: ndrc, roles: ['staff'] };
/** Directory order as the server lists it: the administrator first. */
const everyone = [admin, wang, li, zhao, qian, chen, liu, sun];
const now = '2026-12-05T02:00:00.000Z';

function act(status: WorkflowStatus, actor: Actor, request: ActionRequest): WorkflowStatus {
  const r = applyAction(status, request, actor, now);
  if (!r.ok) throw new Error(`${request.action} refused: ${r.reason}`);
  return r.status;
}

const ids = (people: readonly { id: string }[]) => people.map((p) => p.id);
const byId = (id: string) => everyone.find((p) => p.id === id)!;

/** Every person `action` offers is accepted on their own; the others of the directory are refused. */
function offeredIsAccepted(status: WorkflowStatus, actor: Actor, action: WorkflowAction, extra: Partial<ActionRequest> = {}) {
  const r = actionRecipients(status, actor, action, everyone)!;
  for (const person of everyone) {
    const result = applyAction(status, { action, to: [person], ...extra }, actor, now);
    expect(result.ok, `${action} to ${person.name}`).toBe(r.eligible.some((p) => p.id === person.id));
  }
  return r;
}

const draft = () => startWorkflow('outgoing', li);
const atSignoff = () => act(draft(), li, { action: 'submit', to: [wang] });
const atReview = () => act(draft(), li, { action: 'submit', to: [qian] });
const atNumbering = () => act(atSignoff(), wang, { action: 'approve', to: [zhao] });
const registering = () => startIncoming(chen, [chen]);
const atProposing = () => act(registering(), chen, { action: 'register' });
const atInstructing = () => act(atProposing(), chen, { action: 'propose', opinion: '拟请刘强同志批示', to: [liu] });
const atHandling = () => act(atInstructing(), liu, { action: 'instruct', opinion: '请孙磊办理', to: [sun] });

describe('下一步办理人 per step', () => {
  it('提交 (拟稿): the unit\'s people, its leader first and ticked; nobody of another unit, never 系统管理员', () => {
    const r = offeredIsAccepted(draft(), li, 'submit');
    expect(r.eligible[0]).toMatchObject({ id: 'wang', name: '王建国' });
    expect(ids(r.eligible)).toEqual(['wang', 'zhao', 'qian']);
    // The administration account holds no step (三员分立): not offered, and refused when named.
    const toAdmin = applyAction(draft(), { action: 'submit', to: [admin] }, li, now);
    expect(toAdmin.ok).toBe(false);
    expect(toAdmin.ok ? '' : toAdmin.reason).toContain('系统管理账号');
    expect(ids(r.eligible)).not.toContain('li');
    expect(ids(r.eligible)).not.toContain('chen');
    expect(r.defaults).toEqual(['wang']);
    expect(r.required).toBe(true);
  });

  it('同意 at 审核: the same choice, the leader ticked', () => {
    const r = offeredIsAccepted(atReview(), qian, 'approve');
    expect(r.defaults).toEqual(['wang']);
    expect(ids(r.eligible)).not.toContain('qian');
  });

  it('同意 at 签发: the unit\'s clerks (赵敏), all ticked — never 系统管理员, who would be refused', () => {
    const status = atSignoff();
    const r = offeredIsAccepted(status, wang, 'approve');
    expect(r).toEqual({ step: 'numbering', eligible: [{ id: 'zhao', name: '赵敏', roles: ['clerk'] }], defaults: ['zhao'], required: true });
    // What is ticked is who receives it.
    expect(act(status, wang, { action: 'approve', to: r.defaults.map(byId) }).holders).toEqual(['zhao']);
  });

  it('转办: one person who may hold the current step, not a holder already', () => {
    const review = offeredIsAccepted(atReview(), qian, 'transfer');
    expect(review.max).toBe(1);
    expect(review.defaults).toEqual([]);
    expect(ids(review.eligible)).toEqual(['wang', 'li', 'zhao']);
    // At 签发 only another leader of the unit could take it over: there is none.
    expect(offeredIsAccepted(atSignoff(), wang, 'transfer').eligible).toEqual([]);
  });

  it('编号, 用印, 分发, 退回, 撤回, 催办, 登记 choose nobody: the step\'s rule decides', () => {
    const numbering = atNumbering();
    for (const action of ['number', 'return', 'remind'] as const) expect(actionRecipients(numbering, zhao, action, everyone)).toBeUndefined();
    expect(actionRecipients(atSignoff(), li, 'withdraw', everyone)).toBeUndefined();
    expect(actionRecipients(registering(), chen, 'register', everyone)).toBeUndefined();
    const sealing = act(numbering, zhao, { action: 'number', docNumber: { organCode: '市政办', year: 2026, serial: 1 } });
    expect(actionRecipients(sealing, zhao, 'seal', everyone)).toBeUndefined();
    expect(actionRecipients(sealing, zhao, 'dispatch', everyone)).toBeUndefined();
  });

  it('拟办: the unit\'s leaders, the only one ticked', () => {
    const r = offeredIsAccepted(atProposing(), chen, 'propose', { opinion: '拟请刘强同志批示' });
    expect(r).toMatchObject({ step: 'instructing', eligible: [{ id: 'liu' }], defaults: ['liu'], required: true });
  });

  it('批示: anyone of the unit, the leader too, or nobody (then the proposing clerk 分办s)', () => {
    const status = atInstructing();
    const r = offeredIsAccepted(status, liu, 'instruct', { opinion: '请办理' });
    expect(ids(r.eligible)).toEqual(['chen', 'liu', 'sun']);
    expect(r.required).toBe(false);
    expect(act(status, liu, { action: 'instruct', opinion: '请办理' })).toMatchObject({ state: 'assigning', holders: ['chen'] });
  });

  it('分办: anyone of the unit, someone required', () => {
    const assigning = act(atInstructing(), liu, { action: 'instruct', opinion: '请分办' });
    const r = offeredIsAccepted(assigning, chen, 'assign');
    expect(ids(r.eligible)).toEqual(['chen', 'liu', 'sun']);
    expect(r.required).toBe(true);
  });

  it('办结: only the unit\'s clerks are offered, since the server passes no one else on', () => {
    const status = atHandling();
    const r = actionRecipients(status, sun, 'complete', everyone)!;
    expect(r).toMatchObject({ step: 'completed', eligible: [{ id: 'chen' }], required: false });
    expect(act(status, sun, { action: 'complete', to: [chen] }).holders).toEqual(['chen']);
    expect(act(status, sun, { action: 'complete' }).holders).toEqual(['sun']);
  });

  it('传阅: the unit\'s people not reading it yet', () => {
    const status = act(atHandling(), sun, { action: 'circulate', to: [liu] });
    const r = actionRecipients(status, sun, 'circulate', everyone)!;
    expect(ids(r.eligible)).toEqual(['chen']);
  });

  it('is offered for exactly the actions that hand the document to people', () => {
    const withChoice = (status: WorkflowStatus, actor: Actor) =>
      availableActions(status, actor).filter((a) => actionRecipients(status, actor, a.action, everyone)).map((a) => a.action);
    expect(withChoice(draft(), li)).toEqual(['submit', 'transfer']);
    expect(withChoice(atSignoff(), wang)).toEqual(['approve', 'transfer']);
    expect(withChoice(atNumbering(), zhao)).toEqual(['transfer']);
  });

  it('the view offers 转办 and 传阅 only when there is someone to hand to', () => {
    const offered = (status: WorkflowStatus, actor: Actor) => actionsWithRecipients(status, actor, everyone).map((a) => a.action);
    // 签发: no other leader in the unit — 转办 could only be refused, so it is not offered.
    expect(offered(atSignoff(), wang)).not.toContain('transfer');
    expect(offered(atSignoff(), wang)).toContain('approve');
    // 审核: others may take it over.
    expect(offered(atReview(), qian)).toContain('transfer');
    // 编号 with the unit's only clerk: nobody to transfer to.
    expect(offered(atNumbering(), zhao)).not.toContain('transfer');
    // Actions that choose nobody stay offered as they are.
    expect(actionsWithRecipients(atNumbering(), zhao, everyone).find((a) => a.action === 'number')).toEqual({ action: 'number', label: '编号' });
  });
});

describe('whether an action chooses people', () => {
  // The server reads the unit's people only when some offered action chooses among them, asking
  // actionRecipients with nobody: that answer must not depend on who the people are.
  it('depends on the action and the step, never on the people', () => {
    for (const kind of ['outgoing', 'incoming'] as const) {
      const base = kind === 'outgoing' ? startWorkflow('outgoing', li) : startIncoming(zhao, everyone);
      for (const state of WorkflowStateSchema.options) {
        const status: WorkflowStatus = { ...base, state, holders: [wang.id, zhao.id], trail: [] };
        for (const action of WorkflowActionSchema.options) {
          for (const actor of [li, wang, zhao]) {
            const withNobody = actionRecipients(status, actor, action, []) === undefined;
            expect(actionRecipients(status, actor, action, everyone) === undefined, `${kind} ${state} ${action}`).toBe(withNobody);
          }
        }
      }
    }
  });
});
