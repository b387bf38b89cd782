import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import * as Y from 'yjs';
import type { XietongApi } from '../../../shared/api';
import { ApiProvider } from '../../app/apiContext';
import { createI18n } from '../../i18n';
import { BodyEditor } from './BodyEditor';
import { toBase64 } from './base64';

afterEach(cleanup);

/** "main" for one open room: an empty body, edits accepted locally, events the test sends. */
function fakeRoomApi() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api = {
    offline: {
      openRoom: () => Promise.resolve({ ok: true as const, value: { state: toBase64(Y.encodeStateAsUpdate(new Y.Doc())) } }),
      updateRoom: () => Promise.resolve({ ok: true as const, value: {} }),
      closeRoom: () => Promise.resolve({ ok: true as const, value: {} }),
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const emit = (event: string, payload: unknown) => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  };
  return { api: api as unknown as XietongApi, emit, listening: (event: string) => (listeners.get(event)?.size ?? 0) > 0 };
}

describe('the body follows what the server says about write rights', () => {
  it('locks the editor when told read-only, and says so when an edit was refused', async () => {
    const i18n = await createI18n('zh-CN');
    const room = fakeRoomApi();
    render(
      <I18nextProvider i18n={i18n}>
        <ApiProvider api={room.api}>
          <BodyEditor documentId="d1" editable bootstrap={false} username="李文" />
        </ApiProvider>
      </I18nextProvider>,
    );
    const body = await screen.findByRole('textbox', { name: '正文' });
    expect(body.getAttribute('aria-readonly')).toBe('false');
    await waitFor(() => expect(room.listening('roomRefused')).toBe(true));

    // Another room's refusal changes nothing here.
    act(() => room.emit('roomRefused', { room: 'doc:other', reason: 'read-only' }));
    expect(body.getAttribute('aria-readonly')).toBe('false');

    act(() => room.emit('roomRefused', { room: 'doc:d1', reason: 'read-only' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: '正文' }).getAttribute('aria-readonly')).toBe('true'));
    expect(screen.getByRole('status').textContent).toContain('正文现为只读');

    act(() => room.emit('roomRefused', { room: 'doc:d1', reason: 'update-refused' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('修改未被服务器接受');
    expect(alert.textContent).toContain('仅保存在本机');
    fireEvent.click(screen.getByRole('button', { name: '知道了' }));
    expect(screen.queryByRole('alert')).toBeNull();
    // Still read-only after the notice is dismissed.
    expect(screen.getByRole('textbox', { name: '正文' }).getAttribute('aria-readonly')).toBe('true');
  });
});
