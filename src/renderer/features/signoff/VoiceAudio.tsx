/**
 * `<audio controls>` for a recording held in a blob: URL. MediaRecorder's WebM carries no duration
 * in its header (the element reports Infinity and its controls show no length); seeking far past
 * the end once makes Chromium scan the file and learn the real duration, then playback starts from
 * the beginning. Ogg files know their duration and are left alone.
 */
import { useCallback } from 'react';

export function VoiceAudio({ src, label }: { src: string; label: string }) {
  const fixDuration = useCallback((audio: HTMLAudioElement | null) => {
    if (!audio) return;
    const onMetadata = () => {
      if (audio.duration !== Infinity) return;
      const rewind = () => {
        if (audio.duration === Infinity) return;
        audio.removeEventListener('durationchange', rewind);
        audio.currentTime = 0;
      };
      audio.addEventListener('durationchange', rewind);
      audio.currentTime = Number.MAX_SAFE_INTEGER;
    };
    audio.addEventListener('loadedmetadata', onMetadata, { once: true });
  }, []);
  return <audio ref={fixDuration} controls preload="metadata" src={src} aria-label={label} />;
}
