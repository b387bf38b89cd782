/**
 * A batch whose remaining documents are signed and queued while the server is away says that it
 * will go on by itself (网络中断，恢复后自动继续), not just 处理中, and stops saying so when the
 * connection is back.
 */
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { XietongApi } from '../../src/shared/api';
import type { BatchStatus } from '../../src/shared/api/batchSignoff.contract';
import { BatchView } from '../../src/renderer/features/batch';
import { renderWithApi } from './render';

afterEach(cleanup);

const batchId = '0b7d4b0e-4f0a-4c39-9d57-3f3c1a6d2f10';
const item = (n: number, state: 'done' | 'submitted') => ({
  documentId: `doc-${n}`,
  title: `关于第${n}项工作的请示`,
  opinion: '同意',
  clientIds: [`6f1d2c3b-0a4e-4b5f-8c6d-7e8f9a0b1c${String(n).padStart(2, '0')}`],
  state,
  updatedAt: 1,
});
const status: BatchStatus = {
  batch: { id: batchId, userId: 'user-wang', createdAt: 1, items: [item(1, 'done'), item(2, 'submitted'), item(3, 'submitted')] },
  running: true,
  needsSecret: false,
  paused: false,
  done: 1,
  failed: 0,
  total: 3,
};

function fakeMain(connection: 'online' | 'offline') {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
  const api = {
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    session: { connection: () => ok({ state: connection }), current: () => ok(null) },
    batchSignoff: { status: () => ok(status), ukeys: () => ok({ modules: [] }), savedInk: () => ok({ ink: null }) },
    documents: { get: () => Promise.resolve({ ok: false, error: { code: 'not_found', message: '' } }) },
  } as unknown as XietongApi;
  const emit = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  return { api, emit };
}

it('says the batch goes on by itself while offline, and not once online', async () => {
  const { api, emit } = fakeMain('offline');
  await renderWithApi(<BatchView batchId={batchId} onClose={() => undefined} />, api);
  expect(await screen.findByText('网络中断，恢复后自动继续')).toBeTruthy();
  act(() => emit('connectionChanged', { state: 'online' }));
  expect(screen.queryByText('网络中断，恢复后自动继续')).toBeNull();
});

it('says nothing of the network while online', async () => {
  const { api } = fakeMain('online');
  await renderWithApi(<BatchView batchId={batchId} onClose={() => undefined} />, api);
  expect(await screen.findByRole('progressbar')).toBeTruthy();
  expect(screen.queryByText('网络中断，恢复后自动继续')).toBeNull();
});
