import { describe, it, expect } from 'vitest';
import {
  applyAction,
  availableActions,
  canReadDocument,
  returnToSender,
  startIncoming,
  startWorkflow,
  workflowActionLabels,
  type ActionRequest,
  type Actor,
  type Participant,
  type WorkflowStatus,
} from '../../src/shared/domain/documents';

const office = 'u-office';
const ndrc = 'u-ndrc';
const li: Participant = { id: 'li', name: '李文', unitId: office, roles: ['staff'] };
const wang: Participant = { id: 'wang', name: '王建国', unitId: office, roles: ['leader'] };
const zhao: Participant = { id: 'zhao', name: '赵敏', unitId: office, roles: ['clerk'] };
const qian: Participant = { id: 'qian', name: '钱审核', unitId: office, roles: ['reviewer'] };
const zhou: Participant = { id: 'zhou', name: '周文书', unitId: office, roles: ['clerk'] };
const chen: Participant = { id: 'chen', name: '陈静', unitId: ndrc, roles: ['clerk'] };
const liu: Participant = { id: 'liu', name: '刘强', unitId: ndrc, roles: ['leader'] };
const sun: Participant = { id: 'sun', name: '孙磊', unitId: ndrc, roles: ['staff'] };
const now = '2026-11-22T05:00:00.000Z';

function act(status: WorkflowStatus, actor: Actor, request: ActionRequest): WorkflowStatus {
  const r = applyAction(status, request, actor, now);
  if (!r.ok) throw new Error(`${request.action} refused: ${r.code} ${r.reason}`);
  return r.status;
}

function refusal(status: WorkflowStatus, actor: Actor, request: ActionRequest) {
  const r = applyAction(status, request, actor, now);
  if (r.ok) throw new Error(`${request.action} should have been refused`);
  return r;
}

const names = (s: WorkflowStatus, a: Actor) => availableActions(s, a).map((x) => x.action);

/** 拟稿 → 签发 → 编号 → 用印 → 分发, the e2e path. */
function toDispatching(): WorkflowStatus {
  let s = startWorkflow('outgoing', li);
  s = act(s, li, { action: 'submit', to: [wang] });
  s = act(s, wang, { action: 'approve', opinion: '同意印发', to: [zhao, zhou] });
  s = act(s, zhao, { action: 'number', docNumber: { organCode: '某政办发', year: 2026, serial: 1 } });
  s = { ...s, sealedPdfSha256: 'a'.repeat(64) };
  return act(s, zhao, { action: 'seal' });
}

describe('发文 flow', () => {
  it('runs 拟稿 → 签发 → 编号 → 用印 → 分发 → 归档 with the right holders at each step', () => {
    let s = startWorkflow('outgoing', li);
    expect(s).toMatchObject({ state: 'draft', holders: ['li'], version: 0 });
    expect(names(s, li)).toEqual(['submit', 'transfer']);
    expect(names(s, wang)).toEqual([]);

    s = act(s, li, { action: 'submit', to: [wang] });
    expect(s).toMatchObject({ state: 'signoff', holders: ['wang'], version: 1 });
    expect(names(s, wang)).toEqual(['approve', 'return', 'transfer']);
    expect(names(s, li)).toEqual(['withdraw', 'remind']);

    s = act(s, wang, { action: 'approve', opinion: '同意印发', to: [zhao, zhou] });
    expect(s).toMatchObject({ state: 'numbering', holders: ['zhao', 'zhou'], signedOffBy: { userId: 'wang', opinion: '同意印发' } });

    s = act(s, zhao, { action: 'number', docNumber: { organCode: '某政办发', year: 2026, serial: 7 } });
    expect(s).toMatchObject({ state: 'sealing', holders: ['zhao'], docNumber: { serial: 7 } });
    expect(s.history.at(-1)).toMatchObject({ action: 'number', label: '编号', docNumber: '某政办发〔2026〕7号' });

    expect(refusal(s, zhao, { action: 'seal' })).toMatchObject({ code: 'invalid', reason: expect.stringContaining('电子印章') as string });
    s = act({ ...s, sealedPdfSha256: 'b'.repeat(64) }, zhao, { action: 'seal' });
    expect(s.state).toBe('dispatching');

    expect(refusal(s, zhao, { action: 'dispatch' })).toMatchObject({ code: 'invalid' });
    expect(refusal(s, zhao, { action: 'dispatch', units: [office] })).toMatchObject({ reason: '不能分发给本单位' });
    s = act(s, zhao, { action: 'dispatch', units: [ndrc, ndrc] });
    expect(s).toMatchObject({ state: 'dispatched', dispatchedTo: [ndrc] });

    expect(names(s, zhou)).toContain('archive');
    expect(names(s, li)).not.toContain('archive');
    s = act(s, zhou, { action: 'archive' });
    expect(s.state).toBe('archived');
    expect(names(s, zhao)).toEqual([]);
    expect(refusal(s, zhao, { action: 'archive' })).toMatchObject({ code: 'forbidden', reason: '公文已归档，不能再办理' });
    expect(s.history.map((h) => h.label)).toEqual(['提交', '同意', '编号', '用印', '分发', '归档']);
  });

  it('routes through 审核 when sent to a non-leader, and lets the reviewer send on to 签发', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [qian] });
    expect(s).toMatchObject({ state: 'review', holders: ['qian'] });
    s = act(s, qian, { action: 'approve', opinion: '核稿无误', to: [wang] });
    expect(s).toMatchObject({ state: 'signoff', holders: ['wang'] });
  });

  it('refuses to send 签发 to someone who is not a leader of the unit', () => {
    const s = startWorkflow('outgoing', li);
    expect(refusal(s, li, { action: 'submit', to: [zhao], step: 'signoff' })).toMatchObject({ code: 'invalid', reason: expect.stringContaining('不是本单位领导') as string });
    expect(refusal(s, li, { action: 'submit', to: [liu], step: 'signoff' })).toMatchObject({ code: 'invalid', reason: expect.stringContaining('不是本单位人员') as string });
    expect(refusal(s, li, { action: 'submit' })).toMatchObject({ code: 'invalid' });
    expect(refusal(s, li, { action: 'submit', to: [li] })).toMatchObject({ reason: '不能发送给自己' });
    expect(refusal(s, li, { action: 'submit', to: [wang], step: 'numbering' })).toMatchObject({ code: 'invalid' });
  });

  it('会签 in parallel: every countersigner answers, then it returns to the initiator', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [qian] });
    s = act(s, qian, { action: 'approve', step: 'countersign', to: [liu, sun, wang] });
    expect(s).toMatchObject({ state: 'countersign', holders: ['liu', 'sun', 'wang'], answered: [] });
    // A countersigner of another unit may now read it; others there may not.
    expect(canReadDocument(s, liu)).toBe(true);
    expect(canReadDocument(s, chen)).toBe(false);

    s = act(s, liu, { action: 'approve', opinion: '无意见' });
    expect(s).toMatchObject({ state: 'countersign', answered: ['liu'] });
    expect(names(s, liu)).not.toContain('approve');
    expect(refusal(s, liu, { action: 'approve' }).code).toBe('forbidden');
    s = act(s, wang, { action: 'approve', opinion: '同意' });
    expect(s.state).toBe('countersign');
    s = act(s, sun, { action: 'approve', opinion: '建议增加时限' });
    expect(s).toMatchObject({ state: 'review', holders: ['qian'], answered: [] });
    expect(s.history.filter((h) => h.action === 'approve').slice(1).map((h) => h.opinion)).toEqual(['无意见', '同意', '建议增加时限']);
    s = act(s, qian, { action: 'approve', to: [wang], step: 'signoff' });
    expect(s.state).toBe('signoff');
  });

  it('退回 needs a reason and goes back to whoever did the earlier step', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [qian] });
    s = act(s, qian, { action: 'approve', to: [wang] });
    expect(refusal(s, wang, { action: 'return' })).toMatchObject({ code: 'invalid', reason: '退回必须填写理由' });
    const back = act(s, wang, { action: 'return', reason: '依据不充分' });
    expect(back).toMatchObject({ state: 'review', holders: ['qian'] });
    expect(back.history.at(-1)).toMatchObject({ action: 'return', label: '退回', reason: '依据不充分', from: 'signoff', to: 'review' });
    const toDraft = act(s, wang, { action: 'return', reason: '重新起草', step: 'draft' });
    expect(toDraft).toMatchObject({ state: 'draft', holders: ['li'], trail: [] });
    expect(refusal(s, wang, { action: 'return', reason: 'x', step: 'numbering' }).code).toBe('invalid');
    expect(refusal(s, wang, { action: 'return', reason: 'x', step: 'countersign' }).reason).toContain('未经过');
  });

  it('退回 to 会签 asks every countersigner again', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [liu, sun] });
    expect(s.state).toBe('countersign');
    s = act(s, liu, { action: 'approve' });
    s = act(s, sun, { action: 'approve' });
    expect(s).toMatchObject({ state: 'draft', holders: ['li'] });
    s = act(s, li, { action: 'submit', to: [wang] });
    s = act(s, wang, { action: 'return', reason: '会签意见不全', step: 'countersign' });
    expect(s).toMatchObject({ state: 'countersign', holders: ['liu', 'sun'], answered: [] });
  });

  it('撤回 while the next holder has not acted, and not after', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [liu, sun] });
    const taken = act(s, li, { action: 'withdraw' });
    expect(taken).toMatchObject({ state: 'draft', holders: ['li'], trail: [] });
    expect(refusal(s, wang, { action: 'withdraw' })).toMatchObject({ code: 'forbidden', reason: '只有送出本环节的人可以撤回' });
    s = act(s, liu, { action: 'approve' });
    expect(refusal(s, li, { action: 'withdraw' })).toMatchObject({ code: 'forbidden', reason: '下一环节已有人办理，不能撤回' });
  });

  it('going back undoes the 签发 and the seal but keeps the number', () => {
    let s = toDispatching();
    expect(s.signedOffBy).toBeDefined();
    const toSealing = act(s, zhao, { action: 'return', reason: '印章位置不对', step: 'sealing' });
    expect(toSealing).toMatchObject({ state: 'sealing', signedOffBy: { userId: 'wang' }, docNumber: { serial: 1 } });
    expect(toSealing.sealedPdfSha256).toBeDefined();
    const toNumbering = act(s, zhao, { action: 'return', reason: '重新编排', step: 'numbering' });
    expect(toNumbering.sealedPdfSha256).toBeUndefined();
    expect(toNumbering.signedOffBy).toBeDefined();
    s = act(s, zhao, { action: 'return', reason: '正文有误', step: 'draft' });
    expect(s).toMatchObject({ state: 'draft', holders: ['li'], docNumber: { serial: 1 } });
    expect(s.signedOffBy).toBeUndefined();
    expect(s.sealedPdfSha256).toBeUndefined();
  });

  it('a 退回 or a finished 会签 cannot be 撤回ed', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [qian] });
    s = act(s, qian, { action: 'approve', to: [wang] });
    s = act(s, wang, { action: 'return', reason: '再核', step: 'review' });
    expect(names(s, wang)).not.toContain('withdraw');
    expect(refusal(s, wang, { action: 'withdraw' }).code).toBe('forbidden');
    let c = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [liu, sun] });
    c = act(c, liu, { action: 'approve' });
    c = act(c, sun, { action: 'approve' });
    expect(refusal(c, sun, { action: 'withdraw' }).code).toBe('forbidden');
    expect(refusal(c, li, { action: 'withdraw' }).code).toBe('forbidden');
  });

  it('a number survives a 撤回 so serials never skip or repeat', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [wang] });
    s = act(s, wang, { action: 'approve', to: [zhao] });
    s = act(s, zhao, { action: 'number', docNumber: { organCode: '某政办发', year: 2026, serial: 3 } });
    s = act(s, zhao, { action: 'withdraw' });
    expect(s.state).toBe('numbering');
    s = act(s, zhao, { action: 'number', docNumber: { organCode: '某政办发', year: 2026, serial: 4 } });
    expect(s.docNumber?.serial).toBe(3);
  });

  it('转办 hands the step to an eligible person', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [qian] });
    s = act(s, qian, { action: 'transfer', to: [zhou] });
    expect(s).toMatchObject({ state: 'review', holders: ['zhou'] });
    expect(s.history.at(-1)).toMatchObject({ action: 'transfer', label: '转办', targetNames: ['周文书'] });
    let sign = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [wang] });
    expect(refusal(sign, wang, { action: 'transfer', to: [zhao] }).reason).toContain('不是本单位领导');
    expect(refusal(sign, wang, { action: 'transfer', to: [wang] }).reason).toBe('不能发送给自己');
    const deputy: Participant = { id: 'deputy', name: '副市长', unitId: office, roles: ['leader'] };
    sign = act(sign, wang, { action: 'transfer', to: [deputy] });
    expect(sign.holders).toEqual(['deputy']);
  });

  it('a delegate acts for an absent leader, and the record says so', () => {
    const s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [wang] });
    const deputy: Actor = { id: 'deputy', name: '副主任', unitId: office, roles: ['staff'], delegators: [wang] };
    expect(names(s, deputy)).toContain('approve');
    const after = act(s, deputy, { action: 'approve', opinion: '同意', to: [zhao] });
    expect(after.history.at(-1)).toMatchObject({ actor: 'deputy', onBehalfOf: 'wang', onBehalfOfName: '王建国' });
    expect(after.signedOffBy).toMatchObject({ userId: 'wang' });
    const nobody: Actor = { ...deputy, delegators: [] };
    expect(refusal(s, nobody, { action: 'approve', to: [zhao] }).code).toBe('forbidden');
  });

  it('a client that saw an older version is stale', () => {
    const s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [wang], expectedVersion: 0 });
    expect(refusal(s, wang, { action: 'approve', to: [zhao], expectedVersion: 0 })).toMatchObject({ code: 'stale' });
    expect(act(s, wang, { action: 'approve', to: [zhao], expectedVersion: 1 }).state).toBe('numbering');
  });

  it('two clerks share 编号: the second sees it gone', () => {
    let s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [wang] });
    s = act(s, wang, { action: 'approve', to: [zhao, zhou] });
    const v = s.version;
    s = act(s, zhao, { action: 'number', docNumber: { organCode: '某政办发', year: 2026, serial: 1 }, expectedVersion: v });
    expect(refusal(s, zhou, { action: 'number', expectedVersion: v }).code).toBe('stale');
    expect(refusal(s, zhou, { action: 'number' }).code).toBe('forbidden');
  });

  it('催办 by a clerk records whom it chased; the holder cannot chase themself', () => {
    const s = act(startWorkflow('outgoing', li), li, { action: 'submit', to: [wang] });
    const r = act(s, zhao, { action: 'remind' });
    expect(r.state).toBe('signoff');
    expect(r.history.at(-1)).toMatchObject({ action: 'remind', label: '催办', targets: ['wang'] });
    expect(refusal(s, wang, { action: 'remind' }).code).toBe('forbidden');
    expect(refusal(s, chen, { action: 'remind' }).code).toBe('forbidden');
  });

  it('every action is refused to a person of another unit who holds nothing', () => {
    const s = toDispatching();
    for (const action of Object.keys(workflowActionLabels) as Array<keyof typeof workflowActionLabels>) {
      expect(applyAction(s, { action, to: [chen], units: [ndrc], reason: 'x', opinion: 'x' }, chen, now).ok).toBe(false);
    }
    expect(availableActions(s, chen)).toEqual([]);
  });

  it('never mutates its input', () => {
    const s = startWorkflow('outgoing', li);
    const frozen = JSON.stringify(s);
    act(s, li, { action: 'submit', to: [wang] });
    expect(JSON.stringify(s)).toBe(frozen);
  });
});

describe('收文 flow', () => {
  it('runs 登记 → 拟办 → 批示 → 承办 → 办结 → 归档 with 传阅 and 已阅', () => {
    let s = startIncoming(chen, [chen, sun, liu]);
    expect(s).toMatchObject({ kind: 'incoming', state: 'registering', holders: ['chen'] });
    expect(names(s, chen)).toEqual(['transfer', 'register']);
    s = act(s, chen, { action: 'register' });
    expect(s).toMatchObject({ state: 'proposing', holders: ['chen'] });
    expect(refusal(s, chen, { action: 'propose', to: [liu] }).reason).toBe('请填写拟办意见');
    expect(refusal(s, chen, { action: 'propose', opinion: '请刘主任阅示', to: [sun] }).reason).toContain('不是本单位领导');
    s = act(s, chen, { action: 'propose', opinion: '请刘主任阅示', to: [liu] });
    expect(s).toMatchObject({ state: 'instructing', holders: ['liu'] });
    s = act(s, liu, { action: 'instruct', opinion: '请孙磊同志承办', to: [sun] });
    expect(s).toMatchObject({ state: 'handling', holders: ['sun'] });

    const reader: Participant = { id: 'he', name: '何阅', unitId: ndrc, roles: ['staff'] };
    s = act(s, chen, { action: 'circulate', to: [reader] });
    expect(s.readers).toEqual([{ userId: 'he', name: '何阅' }]);
    expect(names(s, reader)).toEqual(['read']);
    expect(refusal(s, chen, { action: 'circulate', to: [reader] }).reason).toBe('所选人员已在传阅名单中');
    expect(refusal(s, chen, { action: 'circulate', to: [wang] }).reason).toContain('不是本单位人员');
    s = act(s, reader, { action: 'read' });
    expect(s.readers[0]?.readAt).toBe(now);
    expect(names(s, reader)).toEqual([]);

    s = act(s, sun, { action: 'complete', opinion: '已按要求落实' });
    expect(s).toMatchObject({ state: 'completed', holders: ['sun'] });
    s = act(s, chen, { action: 'archive' });
    expect(s.state).toBe('archived');
    expect(s.history.map((h) => h.label)).toEqual(['登记', '拟办', '批示', '传阅', '已阅', '办结', '归档']);
  });

  it('批示 may be spoken (语音签批) instead of written, and the 流转记录 keeps the recording', () => {
    let s = act(startIncoming(chen, []), chen, { action: 'register' });
    s = act(s, chen, { action: 'propose', opinion: '拟请刘主任批示', to: [liu] });
    expect(refusal(s, liu, { action: 'instruct', to: [sun] }).reason).toBe('请填写批示意见');
    const voice = { sha256: 'c'.repeat(64), durationMs: 4_200, mimeType: 'audio/webm;codecs=opus' };
    s = act(s, liu, { action: 'instruct', opinionVoice: voice, to: [sun] });
    expect(s).toMatchObject({ state: 'handling', holders: ['sun'] });
    expect(s.history.at(-1)).toMatchObject({ action: 'instruct', opinionVoice: voice });
    expect(s.history.at(-1)?.opinion).toBeUndefined();
  });

  it('批示 without handlers goes to the proposing clerk for 分办', () => {
    let s = act(startIncoming(chen, []), chen, { action: 'register' });
    s = act(s, chen, { action: 'propose', opinion: '拟请刘主任批示', to: [liu] });
    s = act(s, liu, { action: 'instruct', opinion: '请办公室分办' });
    expect(s).toMatchObject({ state: 'assigning', holders: ['chen'] });
    expect(refusal(s, chen, { action: 'assign', to: [wang] }).code).toBe('invalid');
    s = act(s, chen, { action: 'assign', to: [sun, liu] });
    expect(s).toMatchObject({ state: 'handling', holders: ['sun', 'liu'] });
    s = act(s, liu, { action: 'return', reason: '分办有误' });
    expect(s).toMatchObject({ state: 'assigning', holders: ['chen'] });
  });

  it('初审 退回 closes a 收文 waiting for 登记 with the reason, and nothing later', () => {
    const s = startIncoming(chen, []);
    expect(returnToSender(s, chen, '  ', now)).toMatchObject({ ok: false, code: 'invalid' });
    expect(returnToSender(s, liu, '不合规', now)).toMatchObject({ ok: false, code: 'forbidden' });
    const r = returnToSender(s, chen, '缺少附件', now);
    expect(r).toMatchObject({ ok: true, status: { state: 'archived', holders: [] } });
    if (r.ok) expect(r.status.history.at(-1)).toMatchObject({ action: 'return', label: '退回', reason: '缺少附件', from: 'registering', to: 'archived' });
    expect(returnToSender(act(s, chen, { action: 'register' }), chen, '晚了', now).ok).toBe(false);
    expect(returnToSender(startWorkflow('outgoing', li), li, 'x', now).ok).toBe(false);
  });

  it('登记 cannot be 退回 inside the unit (that is the exchange 退回 to the sender)', () => {
    const s = startIncoming(chen, []);
    expect(names(s, chen)).not.toContain('return');
    expect(refusal(s, chen, { action: 'return', reason: 'x' }).code).toBe('forbidden');
  });
});

describe('canReadDocument', () => {
  it('lets the owning unit read and nobody of another unit until they take part', () => {
    const s = startWorkflow('outgoing', li);
    expect(canReadDocument(s, zhao)).toBe(true);
    expect(canReadDocument(s, chen)).toBe(false);
    expect(canReadDocument(toDispatching(), chen)).toBe(false);
  });
});
