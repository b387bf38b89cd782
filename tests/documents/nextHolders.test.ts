/**
 * The server says who each action goes to (availableActions[].recipients) and then sends it there:
 * at 签发 王建国 is offered the unit's clerk 赵敏, ticked, and the document goes to her; a person
 * the list does not offer is refused, not silently replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentView } from '../../src/shared/http/documents';
import { act, call, NDRC, startOrg, uid, type Org } from './helpers';

describe('下一步办理人 from the server', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org?.server.stop());

  const get = async (username: string, id: string) =>
    (await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens[username]! })).body;
  const recipientsOf = (view: DocumentView, action: string) => view.availableActions.find((a) => a.action === action)?.recipients;

  async function draft(): Promise<string> {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.li!,
      json: { kind: 'outgoing', type: 'notice', title: '关于下一步办理人的通知', body: '正文。', mainRecipients: [{ unitId: NDRC, name: '市发展和改革委员会' }] },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('提交 offers the unit\'s people with 王建国 first and ticked, and goes to him when nobody is chosen', async () => {
    const id = await draft();
    const submit = recipientsOf(await get('li', id), 'submit')!;
    expect(submit.eligible[0]).toMatchObject({ id: uid('wang'), name: '王建国' });
    expect(submit.eligible.map((p) => p.name)).not.toContain('李文');
    expect(submit.eligible.map((p) => p.name)).not.toContain('系统管理员');
    // Named anyway (an old client): refused with the reason, not sent to the administrator.
    const toAdmin = await act(org, 'li', id, { action: 'submit', to: [uid('admin')] });
    expect(toAdmin.status).toBe(400);
    expect(toAdmin.body.error?.message).toContain('系统管理账号');
    expect(submit.defaults).toEqual([uid('wang')]);
    const sent = await act(org, 'li', id, { action: 'submit' });
    expect(sent.body).toMatchObject({ state: 'signoff', holders: [uid('wang')] });
  });

  it('签发 offers the clerk 赵敏 (not 系统管理员), ticked, and the document goes to her', async () => {
    const id = await draft();
    await act(org, 'li', id, { action: 'submit', to: [uid('wang')] });
    const view = await get('wang', id);
    const approve = recipientsOf(view, 'approve')!;
    expect(approve).toEqual({ step: 'numbering', eligible: [{ id: uid('zhao'), name: '赵敏', roles: ['clerk'] }], defaults: [uid('zhao')], required: true });
    // Choosing someone the list does not offer is refused with a reason, not ignored.
    const wrong = await act(org, 'wang', id, { action: 'approve', to: [uid('admin')] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.message).toContain('文书');
    // What the client sends, the ticked default, is where it goes; so does sending nobody.
    const signed = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意' }, to: approve.defaults });
    expect(signed.body).toMatchObject({ state: 'numbering', holders: [uid('zhao')], holderNames: ['赵敏'] });
  });

  it('编号 chooses nobody; 转办 is not offered when nobody else may hold the step', async () => {
    const id = await draft();
    await act(org, 'li', id, { action: 'submit', to: [uid('wang')] });
    await act(org, 'wang', id, { action: 'approve' });
    const view = await get('zhao', id);
    expect(view.holders).toEqual([uid('zhao')]);
    expect(recipientsOf(view, 'number')).toBeUndefined();
    // The unit's only clerk: there is nobody to transfer 编号 to, so no 转办 button.
    expect(view.availableActions.map((a) => a.action)).not.toContain('transfer');
    expect(view.availableActions.map((a) => a.action)).toContain('number');
  });
});
