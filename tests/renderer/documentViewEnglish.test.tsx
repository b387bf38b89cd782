/**
 * The document view in English: a step saved while the server could not be told says "Done: Assign
 * number" once the outbox delivers it (it said Done: 编号), and the list of our commands words them.
 */
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import type { LocalDocument, XietongApi } from '../../src/shared/api';
import type { DocumentCommand } from '../../src/shared/api/documents.contract';
import { DocumentView } from '../../src/renderer/features/document/DocumentView';
import { renderWithApi } from './render';

afterEach(cleanup);

// pdf.js cannot start its worker in jsdom (an unhandled rejection after the test); the preview is not what this test is about.
vi.mock('../../src/renderer/features/preview', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  DocumentPdfPreview: () => null,
}));

const numberCommand = (status: DocumentCommand['status']): DocumentCommand => ({
  clientId: '6f1d2c3b-0a4e-4b5f-8c6d-7e8f9a0b1c2d',
  kind: 'document.action',
  targetId: 'd1',
  summary: '编号',
  summaryKey: 'action',
  summaryParams: { action: 'number' },
  status,
  createdAt: '2026-12-06T08:00:00.000Z',
  updatedAt: '2026-12-06T08:00:00.000Z',
});

const localDocument = (commands: DocumentCommand[]): LocalDocument => ({
  document: {
    id: 'd1',
    kind: 'outgoing',
    type: 'notice',
    title: 'Winter safety',
    state: 'numbering',
    stateLabel: '编号',
    version: 3,
    unitId: 'unit-gov',
    drafterId: 'u-li',
    holders: ['u-zhao'],
    holderNames: ['Zhao'],
    answered: [],
    availableActions: [{ action: 'number', label: '编号' }],
    history: [],
    readers: [],
    fields: {
      type: 'notice',
      title: 'Winter safety',
      issuingOrgan: '',
      organCode: '',
      signatories: [],
      mainRecipients: [],
      ccRecipients: [],
      secrecy: { level: 'none' },
      urgency: 'normal',
      body: '',
      attachments: [],
    },
    sealed: false,
    receipts: [],
    createdAt: '2026-12-06T08:00:00.000Z',
    updatedAt: '2026-12-06T08:00:00.000Z',
  },
  commands,
  fromReplica: true,
});

it('says Done: Assign number when the queued 编号 is delivered, and lists it in English', async () => {
  let current = localDocument([]);
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
  const unavailable = () => Promise.resolve({ ok: false as const, error: { code: 'unavailable' as const, message: 'not provided in this test' } });
  const known = {
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    session: { current: () => ok({ user: { id: 'u-zhao', username: 'zhao', name: 'Zhao', unitId: 'unit-gov', unitName: 'Office', roles: ['clerk'] }, serverUrl: 'http://127.0.0.1:8787', mustChangePassword: false }), connection: () => ok({ state: 'offline' }) },
    directory: { units: () => ok({ items: [] }) },
    documents: {
      get: () => ok(current),
      audit: unavailable,
      act: () => {
        current = localDocument([numberCommand('pending')]);
        return ok({ command: numberCommand('pending'), document: current });
      },
    },
  } as Record<string, unknown>;
  // Whatever else the view's panels ask for answers `unavailable`, as the bridge does when a service is away.
  const group = (calls: object): object => new Proxy(calls, { get: (target, name: string) => (target as Record<string, unknown>)[name] ?? unavailable });
  const api = new Proxy(known, {
    get: (target, name: string) => (name === 'on' ? target.on : group((target[name] as object | undefined) ?? {})),
  }) as unknown as XietongApi;

  await renderWithApi(<DocumentView id="d1" onBack={() => undefined} />, api, 'en');
  fireEvent.click(await screen.findByRole('button', { name: 'Assign number' }));
  expect(await screen.findByText('Saved, waiting to be sent: it goes to the server when the connection returns.')).toBeTruthy();

  current = localDocument([numberCommand('sent')]);
  await act(async () => {
    for (const listener of listeners.get('outboxChanged') ?? []) listener({});
    await Promise.resolve();
  });
  expect(await screen.findByText('Done: Assign number')).toBeTruthy();
  expect(screen.getByText('Assign number', { selector: '.command__summary' })).toBeTruthy();
});
