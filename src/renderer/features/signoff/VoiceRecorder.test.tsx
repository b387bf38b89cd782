/**
 * The recorder's button where recording cannot start: it is disabled and says why, in its text and
 * its title — no microphone, permission refused, or no recorder at all. (Recording itself is tested
 * in Chromium with its fake microphone: tests/e2e/voice.spec.ts.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from '../../i18n';
import { VoiceRecorder } from './VoiceRecorder';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A browser with MediaRecorder (WebM/Opus only, as Chromium), these devices and this permission state. */
function stubBrowser(devices: { kind: string }[], permission: 'granted' | 'prompt' | 'denied') {
  vi.stubGlobal('MediaRecorder', { isTypeSupported: (type: string) => type === 'audio/webm;codecs=opus' });
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: {
      getUserMedia: () => Promise.reject(new Error('not in this test')),
      enumerateDevices: () => Promise.resolve(devices),
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    },
  });
  Object.defineProperty(navigator, 'permissions', { configurable: true, value: { query: () => Promise.resolve({ state: permission }) } });
}

async function renderRecorder() {
  const i18n = await createI18n('zh-CN');
  render(
    <I18nextProvider i18n={i18n}>
      <VoiceRecorder maxSeconds={60} onChange={() => undefined} />
    </I18nextProvider>,
  );
}

describe('语音签批 button', () => {
  it('is enabled where a microphone is present and not refused', async () => {
    stubBrowser([{ kind: 'audioinput' }], 'prompt');
    await renderRecorder();
    const button = await screen.findByRole('button', { name: '语音签批' });
    await vi.waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    expect(button.getAttribute('title')).toBeNull();
  });

  it('says 未检测到麦克风 where there is none', async () => {
    stubBrowser([{ kind: 'audiooutput' }, { kind: 'videoinput' }], 'prompt');
    await renderRecorder();
    const button = await screen.findByRole('button', { name: /语音签批（未检测到麦克风）/ });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute('title')).toBe('未检测到麦克风');
  });

  it('says 麦克风权限被拒绝 where the permission was refused', async () => {
    stubBrowser([{ kind: 'audioinput' }], 'denied');
    await renderRecorder();
    const button = await screen.findByRole('button', { name: /语音签批（麦克风权限被拒绝）/ });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute('title')).toBe('麦克风权限被拒绝');
  });

  it('says so where the browser cannot record', async () => {
    stubBrowser([{ kind: 'audioinput' }], 'granted');
    vi.stubGlobal('MediaRecorder', undefined);
    await renderRecorder();
    const button = await screen.findByRole('button', { name: /此环境不支持录音/ });
    expect((button as HTMLButtonElement).disabled).toBe(true);
  });
});
