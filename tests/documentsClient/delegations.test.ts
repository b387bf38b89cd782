/**
 * 委托 through main (src/main/services/delegations) against a real sync server with the demo
 * organisation: a leader delegates, the delegate sees and acts on the leader's 待办 (recorded as 代
 * in the 流转记录), the leader revokes, and the server's refusals reach the caller as its message.
 */
import { describe, expect, it } from 'vitest';
import type { LocalDocument } from '../../src/shared/api';
import { useDemoServer } from './support/demoClients';
import type { Delegation } from '../../src/shared/http/documents';

const { client } = useDemoServer('xt-delegations-');

interface DelegationList {
  given: Delegation[];
  received: Delegation[];
}

const tomorrow = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString();

describe('委托 through main', () => {
  it('lets the delegate see and approve the leader’s 待办 for them, until the leader revokes it', async () => {
    const wang = await client('wang');
    const li = await client('li');
    const zhao = await client('zhao');

    const given = await wang.value<DelegationList>('delegations:create', { to: 'user-li', until: tomorrow() });
    expect(given.given).toHaveLength(1);
    expect(given.given[0]).toMatchObject({ fromUserId: 'user-wang', toUserId: 'user-li', toName: '李文' });
    const delegationId = given.given[0]?.id ?? '';

    const received = await li.value<DelegationList>('delegations:list', {});
    expect(received.given).toEqual([]);
    expect(received.received.map((d) => ({ id: d.id, fromName: d.fromName }))).toEqual([{ id: delegationId, fromName: '王建国' }]);

    const created = await zhao.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于委托办理的测试通知' });
    const id = created.document.id;
    await zhao.value('documents:act', { id, action: 'submit', to: ['user-wang'], opinion: '请审签' });

    const todo = await li.value<{ items: { id: string }[] }>('documents:list', { box: 'todo' });
    expect(todo.items.map((item) => item.id)).toContain(id);
    await li.value('documents:act', { id, action: 'approve', opinion: '同意' });
    const after = await li.value<LocalDocument>('documents:get', { id });
    const approval = after.document.history.find((entry) => entry.action === 'approve');
    expect(approval).toMatchObject({ actor: 'user-li', onBehalfOf: 'user-wang', onBehalfOfName: '王建国' });

    const revoked = await wang.value<DelegationList>('delegations:remove', { id: delegationId });
    expect(revoked.given).toEqual([]);
    expect((await li.value<DelegationList>('delegations:list', {})).received).toEqual([]);
    // Revoking twice: the server no longer knows it, and says so.
    expect(await wang.call('delegations:remove', { id: delegationId })).toMatchObject({ ok: false, error: { code: 'not_found', message: '找不到该委托' } });
  }, 120_000);

  it('refuses a delegate of another unit with the server’s message', async () => {
    const wang = await client('wang');
    const refused = await wang.call('delegations:create', { to: 'user-chen', until: tomorrow() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: '只能委托本单位人员' } });
    expect((await wang.value<DelegationList>('delegations:list', {})).given).toEqual([]);
  }, 60_000);
});
