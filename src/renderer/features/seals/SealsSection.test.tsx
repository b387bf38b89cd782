import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Result, Session, XietongApi } from '../../../shared/api';
import type { SealUsesResponse, SealView } from '../../../shared/http/seals';
import { ApiProvider } from '../../app/apiContext';
import { createI18n, type Language } from '../../i18n';
import { OfficialSealSvg } from './SealGraphic';
import { SealsSection } from './SealsSection';

const session = (roles: Session['user']['roles']): Session => ({
  user: { id: roles.includes('admin') ? 'user-admin' : 'user-zhao', username: 'x', name: '某人', unitId: 'unit-szfb', unitName: '市政府办公室', roles },
  serverUrl: 'http://127.0.0.1:8787',
  mustChangePassword: false,
});

const baseSeal: SealView = {
  id: 'seal-1',
  unitId: 'unit-szfb',
  unitName: '市政府办公室',
  name: '市政府办公室公章',
  kind: 'official',
  status: 'active',
  appearance: { type: 'officialSeal', unitName: '市政府办公室' },
  certificate: { serialHex: 'ABC123', subject: 'CN=赵敏, OU=市政府办公室', issuer: 'CN=市人民政府', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2029-01-01T00:00:00.000Z' },
  holders: [{ userId: 'user-zhao', name: '赵敏', grantedAt: '2026-11-22T01:00:00.000Z', grantedByName: '系统管理员' }],
  createdAt: '2026-11-22T01:00:00.000Z',
  updatedAt: '2026-11-22T01:00:00.000Z',
};

const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true as const, value });

/** A fake of the calls 印章 makes; `calls` records what reached "main". */
function fakeApi(options: { roles: Session['user']['roles']; uses?: Result<SealUsesResponse> }) {
  const calls: { channel: string; input: unknown }[] = [];
  let seal = baseSeal;
  const api = {
    session: { current: () => ok(session(options.roles)) },
    directory: {
      units: () => ok({ items: [{ id: 'unit-szfb', name: '市政府办公室', organCode: '市政办', departments: [] }] }),
      users: () =>
        ok({
          items: [
            { id: 'user-zhao', username: 'zhao', name: '赵敏', unitId: 'unit-szfb', roles: ['clerk' as const] },
            { id: 'user-wang', username: 'wang', name: '王建国', unitId: 'unit-szfb', roles: ['leader' as const] },
          ],
        }),
    },
    seals: {
      list: (input: unknown) => {
        calls.push({ channel: 'seals:list', input });
        return ok({ items: [seal] });
      },
      grant: (input: { id: string; userId: string }) => {
        calls.push({ channel: 'seals:grant', input });
        seal = { ...seal, holders: [...seal.holders, { userId: input.userId, name: '王建国', grantedAt: '2026-11-22T02:00:00.000Z', grantedByName: '系统管理员' }] };
        return ok(seal);
      },
      uses: (input: unknown) => {
        calls.push({ channel: 'seals:uses', input });
        return Promise.resolve(options.uses ?? { ok: true as const, value: { items: [] } });
      },
    },
  } as unknown as XietongApi;
  return { api, calls };
}

async function renderWith(element: ReactElement, api: XietongApi, language: Language = 'zh-CN') {
  const i18n = await createI18n(language);
  return render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider api={api}>{element}</ApiProvider>
    </I18nextProvider>,
  );
}

afterEach(() => {
  cleanup();
});

describe('印章 section', () => {
  it('shows the unit’s seal drawn from its name, with its certificate and holders, and no admin controls for a clerk', async () => {
    const { api } = fakeApi({ roles: ['clerk'] });
    await renderWith(<SealsSection />, api);
    const card = await screen.findByRole('article', { name: '市政府办公室公章' });
    expect(within(card).getByRole('img', { name: '市政府办公室公章印模' })).toBeTruthy();
    expect(within(card).getByText('ABC123')).toBeTruthy();
    expect(within(card).getByRole('list', { name: '市政府办公室公章的持有人' }).textContent).toBe('赵敏');
    expect(screen.queryByRole('button', { name: '新建印章' })).toBeNull();
    expect(within(card).queryByLabelText('授权给')).toBeNull();
  });

  it('lets an admin grant the seal to a person of the unit', async () => {
    const { api, calls } = fakeApi({ roles: ['admin'] });
    await renderWith(<SealsSection />, api);
    const card = await screen.findByRole('article', { name: '市政府办公室公章' });
    const select = await within(card).findByLabelText('授权给');
    // Only people who do not hold it yet are offered.
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['请选择人员', '王建国']));
    fireEvent.change(select, { target: { value: 'user-wang' } });
    fireEvent.click(within(card).getByRole('button', { name: '授权使用市政府办公室公章' }));
    await waitFor(() => expect(within(card).getByRole('list', { name: '市政府办公室公章的持有人' }).textContent).toContain('王建国'));
    expect(calls.find((c) => c.channel === 'seals:grant')?.input).toEqual({ id: 'seal-1', userId: 'user-wang' });
    expect(within(card).getByRole('button', { name: '撤销王建国使用市政府办公室公章的授权' })).toBeTruthy();
  });

  it('shows the 用印记录 with document, number, person, time and digest', async () => {
    const digest = 'f'.repeat(64);
    const { api } = fakeApi({
      roles: ['clerk'],
      uses: { ok: true, value: { items: [{ id: 7, sealId: 'seal-1', documentId: 'd1', documentTitle: '关于安全检查的通知', docNumber: '市政办〔2026〕3号', userId: 'user-zhao', userName: '赵敏', at: '2026-11-22T03:04:00.000Z', signerSerialHex: 'ABC123', signatureDigest: digest }] } },
    });
    await renderWith(<SealsSection />, api);
    const card = await screen.findByRole('article', { name: '市政府办公室公章' });
    fireEvent.click(within(card).getByRole('button', { name: '用印记录' }));
    const table = await within(card).findByRole('table', { name: '市政府办公室公章的用印记录' });
    const cells = within(table).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(0, 3)).toEqual(['关于安全检查的通知', '市政办〔2026〕3号', '赵敏']);
    expect(cells[4]).toBe(`${'f'.repeat(16)}…`);
  });

  it('shows the server’s reason when the 用印记录 is refused, in English too', async () => {
    const { api } = fakeApi({ roles: ['staff'], uses: { ok: false, error: { code: 'forbidden', message: '只有管理员和印章持有人可以查看用印记录' } } });
    await renderWith(<SealsSection />, api, 'en');
    const card = await screen.findByRole('article', { name: '市政府办公室公章' });
    fireEvent.click(within(card).getByRole('button', { name: 'Seal log' }));
    expect((await within(card).findByRole('alert')).textContent).toBe('只有管理员和印章持有人可以查看用印记录');
  });
});

describe('the drawn official seal', () => {
  it('writes the unit name clockwise along the upper arc, symmetric about the centre, with text below the star', () => {
    const { container } = render(<OfficialSealSvg unitName="市政府办公室" bottomText="合同专用章" size={100} label="印模" />);
    const texts = [...container.querySelectorAll('text')];
    expect(texts.map((t) => t.textContent).join('')).toBe('市政府办公室合同专用章');
    const positions = texts.map((t): [number, number] => {
      const [, x, y] = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(t.getAttribute('transform') ?? '') ?? [];
      return [Number(x), Number(y)];
    });
    const arc = positions.slice(0, 6);
    // First character left of centre, last right, mirror images of each other, all in the upper half.
    expect(arc[0]![0]).toBeLessThan(50);
    expect(arc[5]![0]).toBeGreaterThan(50);
    expect(arc[0]![0] + arc[5]![0]).toBeCloseTo(100, 1);
    expect(arc[0]![1]).toBeCloseTo(arc[5]![1], 1);
    for (const [, y] of arc) expect(y).toBeLessThan(70);
    // The bottom text sits below the star (27 % of the size below the centre).
    for (const [, y] of positions.slice(6)) expect(y).toBeCloseTo(77, 1);
    expect(container.querySelector('circle')?.getAttribute('stroke')).toBe('rgb(219, 20, 26)');
  });
});
