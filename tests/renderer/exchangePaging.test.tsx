/**
 * 交换 › 收件 a page at a time: 加载更多 appends the next page until there is none, and a change in
 * the box re-reads as many pages as the clerk had open (an item on page 2 stays in view).
 */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { XietongApi } from '../../src/shared/api';
import type { ExchangeItem } from '../../src/shared/http/documents';
import { ExchangeSection } from '../../src/renderer/features/exchange/ExchangeSection';
import { renderWithApi } from './render';

afterEach(cleanup);

const item = (n: number): ExchangeItem => ({
  id: `ex-${n}`,
  documentId: `doc-${n}`,
  title: `关于第${n}项工作的通知`,
  fromUnitId: 'unit-szfb',
  fromUnitName: '市政府办公室',
  toUnitId: 'unit-sfgw',
  toUnitName: '市发展和改革委员会',
  status: 'pending',
  urgency: 'normal',
  secrecyLevel: 'none',
  sentBy: 'user-zhao',
  sentByName: '赵敏',
  sentAt: '2026-11-23T02:00:00.000Z',
});

/** Pages of the incoming box by cursor: first (no cursor) → c1 → c2 → end. */
const pages: Record<string, { items: ExchangeItem[]; next?: string }> = {
  '': { items: [item(5), item(4)], next: 'c1' },
  c1: { items: [item(3), item(2)], next: 'c2' },
  c2: { items: [item(1)] },
};

function fakeApi() {
  const cursors: (string | undefined)[] = [];
  let changed: ((payload: { box: 'incoming' | 'outgoing' }) => void) | undefined;
  const api = {
    exchange: {
      list: ({ cursor }: { box: 'incoming' | 'outgoing'; cursor?: string }) => {
        cursors.push(cursor);
        return Promise.resolve({ ok: true as const, value: { ...pages[cursor ?? '']!, fromReplica: false } });
      },
    },
    on: (event: string, listener: (payload: { box: 'incoming' | 'outgoing' }) => void) => {
      if (event === 'exchangeChanged') changed = listener;
      return () => undefined;
    },
  };
  return { api: api as unknown as XietongApi, cursors, emitChanged: () => changed?.({ box: 'incoming' }) };
}

const titles = () => screen.getAllByRole('listitem').map((li) => li.getAttribute('aria-label'));

describe('ExchangeSection paging', () => {
  it('loads the next page with 加载更多 until the last, and re-reads the open pages on a change', async () => {
    const fake = fakeApi();
    await renderWithApi(<ExchangeSection />, fake.api);
    await waitFor(() => expect(titles()).toEqual(['关于第5项工作的通知', '关于第4项工作的通知']));

    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    await waitFor(() => expect(titles()).toHaveLength(4));
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    await waitFor(() => expect(titles()).toHaveLength(5));
    expect(titles()).toEqual([5, 4, 3, 2, 1].map((n) => `关于第${n}项工作的通知`));
    // The last page has no next: nothing more to load.
    expect(screen.queryByRole('button', { name: '加载更多' })).toBeNull();
    expect(fake.cursors).toEqual([undefined, 'c1', 'c2']);

    // Someone signs for an item: the three pages the clerk had open are read again, in order.
    act(() => fake.emitChanged());
    await waitFor(() => expect(fake.cursors).toEqual([undefined, 'c1', 'c2', undefined, 'c1', 'c2']));
    await waitFor(() => expect(titles()).toHaveLength(5));
    // 全选 covers every pending item loaded, on every page.
    fireEvent.click(screen.getByRole('checkbox', { name: '全选' }));
    expect(screen.getByRole('button', { name: /批量签收/ }).textContent).toContain('（5）');
  });
});
