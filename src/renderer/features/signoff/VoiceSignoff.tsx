/**
 * 语音签批 in a document's 办理 panel: the recorder with the deployment's time limit, and
 * `keepVoice`, which hands a finished recording to main (kept in the replica by its digest) and
 * answers the `voice` reference the action then carries. Main queues the recording's upload ahead of
 * the action, so it goes out with it — now, or on reconnect.
 */
import { useEffect, useState } from 'react';
import type { Result, XietongApi } from '../../../shared/api';
import type { VoiceNote } from '../../../shared/domain/documents/opinion';
import { useApi } from '../../app/apiContext';
import { toBase64 } from '../document/base64';
import { VoiceRecorder, type VoiceRecording } from './VoiceRecorder';

/** Used until the settings answer (and where they cannot be read): the deployment default. */
const DEFAULT_MAX_SECONDS = 60;

export function VoiceSignoff({ onChange, disabled }: { onChange: (recording: VoiceRecording | null) => void; disabled?: boolean }) {
  const api = useApi();
  const [maxSeconds, setMaxSeconds] = useState(DEFAULT_MAX_SECONDS);
  useEffect(() => {
    let cancelled = false;
    void api.settings.get({}).then((result) => {
      if (!cancelled && result.ok) setMaxSeconds(result.value.effective.voiceMaxSeconds);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);
  return <VoiceRecorder maxSeconds={maxSeconds} onChange={onChange} {...(disabled !== undefined ? { disabled } : {})} />;
}

/** Keeps the recording in main's replica; the answer is what `documents:act` takes as `voice`. */
export async function keepVoice(api: XietongApi, documentId: string, recording: VoiceRecording): Promise<Result<VoiceNote>> {
  const bytes = new Uint8Array(await recording.blob.arrayBuffer());
  const kept = await api.voice.store({ documentId, base64: toBase64(bytes), mimeType: recording.mimeType });
  if (!kept.ok) return kept;
  return { ok: true, value: { sha256: kept.value.sha256, durationMs: Math.min(600_000, Math.max(1, Math.round(recording.durationMs))), mimeType: recording.mimeType } };
}
