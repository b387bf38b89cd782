/** Main's 印章 handlers against a real server: the server's answers and refusals reach the renderer as they are. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src/shared/api/result';
import { createSealsServices } from '../../src/main/services/seals';
import { createServerClient } from '../../src/main/services/serverClient';
import { login, startTestServer, type TestServer } from '../server/helpers';

describe('seals handlers in main', () => {
  let server: TestServer;
  const tokens: Record<string, string | null> = {};
  const unauthorized: string[] = [];
  const handlersFor = (username: string) =>
    createSealsServices({
      serverClient: createServerClient(server.url),
      session: { token: () => tokens[username] ?? null, reportUnauthorized: (reason?: string) => void unauthorized.push(reason ?? '') },
    });

  beforeAll(async () => {
    server = await startTestServer({ demoCertificates: true });
    for (const username of ['admin', 'zhao', 'li']) tokens[username] = await login(server.url, username);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('lists the unit’s seals and the caller’s own', async () => {
    const zhao = handlersFor('zhao');
    const list = await zhao.list({}, undefined);
    expect(list.items.map((s) => [s.name, s.holders.map((h) => h.name)])).toEqual([['市政府办公室公章', ['赵敏']]]);
    expect((await zhao.mine({}, undefined)).items).toHaveLength(1);
    expect((await handlersFor('li').mine({}, undefined)).items).toEqual([]);
    expect((await zhao.uses({ id: list.items[0]!.id }, undefined)).items).toEqual([]);
  });

  it('passes the server’s refusal on with its reason, and admins’ changes through', async () => {
    const sealId = (await handlersFor('admin').list({}, undefined)).items[0]!.id;
    const refused = handlersFor('li').grant({ id: sealId, userId: 'user-li' }, undefined);
    await expect(refused).rejects.toBeInstanceOf(ApiFailure);
    await expect(refused).rejects.toMatchObject({ code: 'forbidden', message: '只有管理员可以授权用印' });
    const granted = await handlersFor('admin').grant({ id: sealId, userId: 'user-li' }, undefined);
    expect(granted.holders.map((h) => h.name)).toEqual(['赵敏', '李文']);
    const revoked = await handlersFor('admin').revoke({ id: sealId, userId: 'user-li' }, undefined);
    expect(revoked.holders.map((h) => h.name)).toEqual(['赵敏']);
    const disabled = await handlersFor('admin').update({ id: sealId, changes: { status: 'disabled' } }, undefined);
    expect(disabled.status).toBe('disabled');
    expect((await handlersFor('zhao').mine({}, undefined)).items).toEqual([]);
    await handlersFor('admin').update({ id: sealId, changes: { status: 'active' } }, undefined);
    await expect(handlersFor('zhao').image({ id: sealId }, undefined)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('ends the session when the server refuses the token', async () => {
    tokens.gone = 'not-a-token';
    await expect(handlersFor('gone').list({}, undefined)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(unauthorized.length).toBeGreaterThan(0);
  });
});
