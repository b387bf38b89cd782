/**
 * Confidentiality of every exchange route (issue 20): a unit sees only items addressed to it or sent
 * by it. Each route is called with another unit's clerk's token, a staff member's token (staff may
 * see their unit's items but not sign for, return, take back or chase them) and no token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeItem } from '../../src/shared/http/documents';
import { act, call, login, NDRC } from '../documents/helpers';
import { box, sealedDocument, startCaOrg, type CaOrg } from './helpers';

describe('exchange routes keep to the units of an item', () => {
  let org: CaOrg;
  let item: ExchangeItem;
  beforeAll(async () => {
    org = await startCaOrg();
    // A third unit with its own clerk: neither sender nor receiver of the item.
    const third = await org.server.deps.accounts.ensureUnit('禅城区人民政府', '禅府');
    await org.server.deps.accounts.createUser({ id: 'user-huang', username: 'huang', name: '黄丽', unitId: third.id, departmentId: null, roles: ['clerk'], password: 'demo1234', mustChangePassword: false });
    org.tokens.huang = await login(org.server.url, 'huang');
    const id = await sealedDocument(org, '关于保密测试的通知');
    await act(org, 'zhao', id, { action: 'dispatch', units: [NDRC] });
    item = (await box(org, 'chen', 'incoming')).find((i) => i.documentId === id)!;
  });
  afterAll(async () => {
    await org.server.stop();
  });

  /** The status of a GET (the PDF route answers bytes, not JSON). */
  const status = async (path: string, token?: string): Promise<number> =>
    (await fetch(org.server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;
  const reads = (id: string) => [`/api/exchange/${id}`, `/api/exchange/${id}/pdf`, `/api/exchange/${id}/verification`];
  const actions = ['receive', 'return', 'withdraw', 'remind'] as const;
  const send = (token: string | undefined, action: string) =>
    call<{ error?: { code: string } }>(org.server.url, 'POST', `/api/exchange/${item.id}/actions`, { ...(token ? { token } : {}), json: { action, reason: '测试' } });

  it('answers 401 to every route without a token', async () => {
    for (const path of ['/api/exchange?box=incoming', '/api/exchange?box=outgoing', ...reads(item.id)]) expect(await status(path)).toBe(401);
    for (const action of actions) expect((await send(undefined, action)).status).toBe(401);
  });

  it('shows another unit nothing of the item: not in its boxes, 404 on every read and action', async () => {
    const token = org.tokens.huang!;
    for (const which of ['incoming', 'outgoing'] as const) expect((await box(org, 'huang', which)).map((i) => i.id)).not.toContain(item.id);
    for (const path of reads(item.id)) expect(await status(path, token)).toBe(404);
    for (const action of actions) expect((await send(token, action)).status).toBe(404);
    // A clerk of the receiving unit is "another unit" to the sender's boxes too.
    expect((await box(org, 'chen', 'outgoing')).map((i) => i.id)).not.toContain(item.id);
    expect((await box(org, 'zhao', 'incoming')).map((i) => i.id)).not.toContain(item.id);
  });

  it('lets staff of either unit read the item but not sign for, return, take back or chase it', async () => {
    for (const staff of ['sun', 'li']) {
      for (const path of reads(item.id)) expect(await status(path, org.tokens[staff])).toBe(200);
      for (const action of actions) expect((await send(org.tokens[staff], action)).status).toBe(403);
    }
    // The receiving clerk may not take back or chase; the sending clerk may not sign for or return.
    for (const action of ['withdraw', 'remind']) expect((await send(org.tokens.chen, action)).status).toBe(403);
    for (const action of ['receive', 'return']) expect((await send(org.tokens.zhao, action)).status).toBe(403);
    expect((await box(org, 'chen', 'incoming')).find((i) => i.id === item.id)?.status).toBe('pending');
  });
});
