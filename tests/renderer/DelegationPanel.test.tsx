/**
 * 委托办理 as a person uses it: choose a colleague and an end date, 确定委托, see it under 我委托的,
 * 撤销 it; the server's refusal is shown as its own sentence.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result, XietongApi } from '../../src/shared/api';
import type { Delegation } from '../../src/shared/http/documents';
import { DelegationPanel } from '../../src/renderer/features/delegation';
import { liSession } from './fakeApi';
import { renderWithApi } from './render';

afterEach(cleanup);

interface Lists {
  given: Delegation[];
  received: Delegation[];
}

/** The server side of the panel: a list, and scripted answers to 确定委托. */
function fakeDelegationsApi(initial: Lists) {
  let lists = initial;
  const calls: { channel: string; input: unknown }[] = [];
  const createAnswers: (Result<Lists> | 'accept')[] = [];
  const ok = (value: Lists): Result<Lists> => ({ ok: true, value });
  const api: Pick<XietongApi, 'delegations' | 'directory'> = {
    delegations: {
      list: (input) => {
        calls.push({ channel: 'delegations:list', input });
        return Promise.resolve(ok(lists));
      },
      create: (input) => {
        calls.push({ channel: 'delegations:create', input });
        const answer = createAnswers.shift() ?? 'accept';
        if (answer !== 'accept') return Promise.resolve(answer);
        lists = { ...lists, given: [...lists.given, { id: 'd-1', fromUserId: 'u-li', fromName: '李文', toUserId: input.to, toName: '赵敏', until: input.until }] };
        return Promise.resolve(ok(lists));
      },
      remove: (input) => {
        calls.push({ channel: 'delegations:remove', input });
        lists = { ...lists, given: lists.given.filter((d) => d.id !== input.id) };
        return Promise.resolve(ok(lists));
      },
    },
    directory: {
      units: () => Promise.resolve({ ok: true, value: { items: [] } }),
      users: (input) => {
        calls.push({ channel: 'directory:users', input });
        return Promise.resolve({
          ok: true,
          value: {
            items: [
              { id: 'u-li', username: 'li', name: '李文', unitId: 'unit-gov', roles: ['staff'] },
              { id: 'u-zhao', username: 'zhao', name: '赵敏', unitId: 'unit-gov', roles: ['clerk'] },
            ],
          },
        } as Awaited<ReturnType<XietongApi['directory']['users']>>);
      },
    },
  };
  return { api: api as XietongApi, calls, createAnswers };
}

describe('委托办理', () => {
  it('delegates to a colleague of my unit until a date, lists it under 我委托的 and revokes it', async () => {
    const fake = fakeDelegationsApi({
      given: [],
      received: [{ id: 'd-0', fromUserId: 'u-wang', fromName: '王建国', toUserId: 'u-li', toName: '李文', until: '2030-01-01T15:59:59.000Z' }],
    });
    await renderWithApi(<DelegationPanel session={liSession} />, fake.api);

    expect(await screen.findByRole('heading', { level: 1, name: '委托办理' })).toBeTruthy();
    const received = await screen.findByRole('table', { name: '委托给我的' });
    expect(within(received).getByText('王建国')).toBeTruthy();
    expect(fake.calls).toContainEqual({ channel: 'directory:users', input: { unitId: 'unit-gov' } });

    const person = screen.getByRole('combobox', { name: '受托人' });
    // Myself is not offered.
    await within(person).findByRole('option', { name: '赵敏' });
    expect(within(person).queryByRole('option', { name: '李文' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '确定委托' }));
    expect((await screen.findByRole('alert')).textContent).toBe('请选择受托人');

    fireEvent.change(person, { target: { value: 'u-zhao' } });
    fireEvent.change(screen.getByLabelText('委托截止'), { target: { value: '2030-01-05' } });
    fireEvent.click(screen.getByRole('button', { name: '确定委托' }));

    const given = await screen.findByRole('table', { name: '我委托的' });
    expect(within(given).getByText('赵敏')).toBeTruthy();
    const create = fake.calls.find((c) => c.channel === 'delegations:create')?.input as { to: string; until: string };
    expect(create.to).toBe('u-zhao');
    // The end of the chosen day, in local time.
    const until = new Date(create.until);
    expect([until.getFullYear(), until.getMonth() + 1, until.getDate(), until.getHours()]).toEqual([2030, 1, 5, 23]);
    expect(screen.getByRole('status').textContent).toContain('赵敏');

    fireEvent.click(within(given).getByRole('button', { name: '撤销对赵敏的委托' }));
    expect(await screen.findByText('暂无有效的委托')).toBeTruthy();
    expect(fake.calls).toContainEqual({ channel: 'delegations:remove', input: { id: 'd-1' } });
  });

  it('shows the server’s reason when it refuses', async () => {
    const fake = fakeDelegationsApi({ given: [], received: [] });
    fake.createAnswers.push({ ok: false, error: { code: 'invalid_input', message: '只能委托本单位人员' } });
    await renderWithApi(<DelegationPanel session={liSession} />, fake.api);
    const person = await screen.findByRole('combobox', { name: '受托人' });
    await within(person).findByRole('option', { name: '赵敏' });
    fireEvent.change(person, { target: { value: 'u-zhao' } });
    fireEvent.change(screen.getByLabelText('委托截止'), { target: { value: '2030-01-05' } });
    fireEvent.click(screen.getByRole('button', { name: '确定委托' }));
    expect((await screen.findByRole('alert')).textContent).toBe('只能委托本单位人员');
    expect(screen.getByText('暂无有效的委托')).toBeTruthy();
  });
});
