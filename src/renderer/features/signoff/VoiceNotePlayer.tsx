/**
 * A 语音签批 recording in 流转记录: its length (m:ss, from the recorder's own clock) and a player.
 * The bytes come through the API (main's replica first, so it plays offline once heard or recorded
 * here) and play from a blob: URL — the page never loads audio from the network itself.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VoiceNote } from '../../../shared/domain/documents/opinion';
import { formatDuration } from '../../../shared/domain/documents/voiceDuration';
import { useApi } from '../../app/apiContext';
import { fromBase64 } from '../document/base64';
import { VoiceAudio } from './VoiceAudio';
import './voice.css';
import { describeError } from '../../i18n/errors';

export function VoiceNotePlayer({ documentId, voice, speaker }: { documentId: string; voice: VoiceNote; speaker: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const duration = formatDuration(voice.durationMs);

  useEffect(() => {
    let cancelled = false;
    let made: string | null = null;
    setError(null);
    void api.voice.get({ documentId, sha256: voice.sha256 }).then((result) => {
      if (cancelled) return;
      if (!result.ok) {
        setError(describeError(result.error, t));
        return;
      }
      made = URL.createObjectURL(new Blob([fromBase64(result.value.base64).slice().buffer], { type: result.value.mimeType }));
      setUrl(made);
    });
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, documentId, voice.sha256]);

  return (
    <div className="voice-note">
      <span className="voice-note__label">{t('voice.entry', { duration })}</span>
      {url ? (
        <VoiceAudio src={url} label={t('voice.player', { name: speaker, duration })} />
      ) : error ? (
        <span className="voice-note__error" role="alert">
          {error}
        </span>
      ) : (
        <span className="muted">{t('voice.loading')}</span>
      )}
    </div>
  );
}
