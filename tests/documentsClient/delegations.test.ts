/**
 * 委托 through main (src/main/services/delegations) against a real sync server with the demo
 * organisation: a leader delegates, the delegate sees and acts on the leader's 待办 (recorded as 代
 * in the 流转记录), the leader revokes, and the server's refusals reach the caller as its message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { LocalDocument, Result } from '../../src/shared/api';
import type { Delegation } from '../../src/shared/http/documents';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

interface Client {
  call<T>(channel: string, input: unknown): Promise<Result<T>>;
  value<T>(channel: string, input: unknown): Promise<T>;
}

interface DelegationList {
  given: Delegation[];
  received: Delegation[];
}

let root: string;
let server: RunningServer;
const opened: AppServices[] = [];

async function client(username: string): Promise<Client> {
  const services = await createAppServices({
    userDataDir: mkdtempSync(join(root, `client-${username}-`)),
    serverUrl: server.url,
    secrets: plainSecretBox,
    emit: () => undefined,
  });
  opened.push(services);
  const call = <T>(channel: string, input: unknown) => services.dispatcher.dispatch(channel, input) as Promise<Result<T>>;
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await call<T>(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  await value('session:login', { username, password: 'demo1234' });
  return { call, value };
}

const tomorrow = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-delegations-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: join(root, 'server') });
}, 120_000);

afterAll(async () => {
  for (const services of opened) await services.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

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
