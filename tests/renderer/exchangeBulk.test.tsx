/**
 * The bulk parts of 交换 as a clerk uses them: choosing dozens of units for 分发 by search and by
 * group, and a bulk action's per-item results (each item its own outcome, in order, none lost).
 */
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { XietongApi } from '../../src/shared/api';
import type { DirectoryUnit } from '../../src/shared/http/directory';
import { runBatch } from '../../src/renderer/features/exchange/batch';
import { UnitPicker } from '../../src/renderer/features/exchange/UnitPicker';
import { renderWithApi } from './render';

afterEach(cleanup);

const unit = (id: string, name: string): DirectoryUnit => ({ id, name, organCode: '', departments: [] });
const units = [unit('ndrc', '市发展和改革委员会'), unit('edu', '市教育局'), unit('cc', '禅城区人民政府'), unit('nh', '南海区人民政府'), unit('sd', '顺德区人民政府')];

function Picker({ onChosen }: { onChosen: (ids: string[]) => void }) {
  const [chosen, setChosen] = useState<string[]>(['ndrc']);
  return (
    <UnitPicker
      units={units}
      chosen={chosen}
      legend="分发至"
      onChange={(ids) => {
        setChosen(ids);
        onChosen(ids);
      }}
    />
  );
}

describe('UnitPicker', () => {
  it('adds a whole group, narrows by search, and keeps what was chosen', async () => {
    let chosen: string[] = [];
    await renderWithApi(<Picker onChosen={(ids) => (chosen = ids)} />, {} as XietongApi);
    fireEvent.click(screen.getByRole('button', { name: '各区人民政府（3）' }));
    expect(chosen).toEqual(['ndrc', 'cc', 'nh', 'sd']);
    expect(screen.getByRole('status').textContent).toBe('已选 4 个单位');
    fireEvent.change(screen.getByLabelText('搜索单位'), { target: { value: '教育' } });
    expect(screen.getAllByRole('checkbox').map((c) => c.parentElement?.textContent)).toEqual(['市教育局']);
    fireEvent.click(screen.getByRole('checkbox', { name: '市教育局' }));
    expect(chosen).toEqual(['ndrc', 'cc', 'nh', 'sd', 'edu']);
    fireEvent.click(screen.getByRole('button', { name: '清除' }));
    expect(chosen).toEqual([]);
  });
});

describe('runBatch', () => {
  it('reports every item in order: applied, queued offline, refused with the reason, failed', async () => {
    const progress: number[] = [];
    const outcomes = await runBatch(
      ['a', 'b', 'c', 'd'],
      (id) => {
        if (id === 'a') return Promise.resolve({ ok: true, value: { command: { status: 'sent' } } });
        if (id === 'b') return Promise.resolve({ ok: true, value: { command: { status: 'pending' } } });
        if (id === 'c') return Promise.resolve({ ok: true, value: { command: { status: 'rejected', reason: '签章验证未通过' } } });
        return Promise.reject(new Error('网络中断'));
      },
      (done) => progress.push(done.length),
    );
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(outcomes).toEqual([
      { id: 'a', ok: true, detail: 'applied' },
      { id: 'b', ok: true, detail: 'pending' },
      { id: 'c', ok: false, detail: '签章验证未通过' },
      { id: 'd', ok: false, detail: '网络中断' },
    ]);
  });
});
