/**
 * 待办's filters ask main (and so the server) for the filtered list — every page of it, 加载更多
 * included — instead of hiding rows of the pages already loaded; the selection is kept by id and
 * outlives filtering and paging.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { XietongApi } from '../../src/shared/api';
import type { DocumentListItem } from '../../src/shared/http/documents';
import { TodoList } from '../../src/renderer/features/todo/TodoList';
import { renderWithApi } from './render';

afterEach(cleanup);

const item = (id: string, title: string, urgency: DocumentListItem['urgency']): DocumentListItem => ({
  id,
  kind: 'outgoing',
  type: 'notice',
  title,
  state: 'signoff',
  stateLabel: '签发',
  urgency,
  secrecyLevel: 'none',
  holders: ['user-wang'],
  updatedAt: '2026-12-01T08:00:00.000Z',
});

/** A 待办 whose urgent documents are all beyond the first unfiltered page, as the server pages it. */
function fakeMain() {
  const calls: Array<Record<string, unknown>> = [];
  const api = {
    on: () => () => undefined,
    documents: {
      list: (input: Record<string, unknown>) => {
        calls.push(input);
        const urgent = input.urgency === 'urgent';
        const page = urgent
          ? input.cursor
            ? { items: [item('u2', '加急二', 'urgent')] }
            : { items: [item('u1', '加急一', 'urgent')], next: 'c-urgent' }
          : { items: [item('n1', '平件一', 'normal'), item('n2', '平件二', 'normal')], next: 'c-all' };
        return Promise.resolve({ ok: true, value: { ...page, fromReplica: false } });
      },
    },
  } as unknown as XietongApi;
  return { api, calls };
}

function Todo({ onSelection }: { onSelection: (ids: string[]) => void }) {
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  return (
    <TodoList
      empty="无待办"
      onOpen={() => undefined}
      selected={selected}
      onSelectionChange={(next) => {
        setSelected(next);
        onSelection([...next.keys()]);
      }}
    />
  );
}

describe('待办 filters', () => {
  it('asks for the filtered list and its next page; the selection survives the filter', async () => {
    const main = fakeMain();
    let selection: string[] = [];
    await renderWithApi(<Todo onSelection={(ids) => (selection = ids)} />, main.api);
    fireEvent.click(await screen.findByRole('checkbox', { name: '选择平件一' }));
    expect(screen.queryByRole('checkbox', { name: '选择加急一' })).toBeNull();

    fireEvent.change(screen.getByLabelText('紧急程度'), { target: { value: 'urgent' } });
    await screen.findByRole('checkbox', { name: '选择加急一' });
    expect(main.calls.at(-1)).toEqual({ box: 'todo', urgency: 'urgent' });
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    await screen.findByRole('checkbox', { name: '选择加急二' });
    expect(main.calls.at(-1)).toEqual({ box: 'todo', urgency: 'urgent', cursor: 'c-urgent' });
    fireEvent.click(screen.getByRole('checkbox', { name: '全选' }));
    expect(selection.sort()).toEqual(['n1', 'u1', 'u2']);

    fireEvent.change(screen.getByLabelText('紧急程度'), { target: { value: '' } });
    await waitFor(() => expect(main.calls.at(-1)).toEqual({ box: 'todo' }));
    expect(await screen.findByRole<HTMLInputElement>('checkbox', { name: '选择平件一' })).toHaveProperty('checked', true);
  });
});
