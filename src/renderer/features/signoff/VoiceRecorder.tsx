/**
 * A voice recorder: the button 语音签批 records from the microphone (MediaRecorder, Opus) with a
 * live level meter and a time limit; 停止 ends it; the recording can be played back, recorded again
 * (重录) or deleted. Where there is no microphone, or its permission is refused, the button is
 * disabled and says why. It knows nothing of documents, so instant messaging can reuse it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../../shared/domain/documents/voiceDuration';
import { VoiceAudio } from './VoiceAudio';
import './voice.css';

/** One finished recording. `durationMs` is measured by the recorder's own clock (a WebM header may not say). */
export interface VoiceRecording {
  readonly blob: Blob;
  readonly mimeType: string;
  readonly durationMs: number;
}

export interface VoiceRecorderProps {
  /** The longest recording in seconds; recording stops itself there. */
  maxSeconds: number;
  /** A new recording, or null when it was deleted or a new one started. */
  onChange: (recording: VoiceRecording | null) => void;
  disabled?: boolean;
  /**
   * Other words for another use (instant messaging): the start button's name and the line under a
   * finished recording (given its m:ss length). Defaults are 语音签批's.
   */
  labels?: { readonly record: string; readonly recorded: (duration: string) => string };
}

/**
 * Ogg first: its pages carry timestamps, so players know the duration at once; WebM from
 * MediaRecorder has no duration in its header. The server accepts exactly these two.
 */
const PREFERRED_TYPES = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'] as const;

type Availability = { kind: 'checking' } | { kind: 'ready' } | { kind: 'unavailable'; reason: 'noMicrophone' | 'denied' | 'unsupported' };

/** Whether recording can start here, without asking for the permission yet. */
async function checkAvailability(): Promise<Availability> {
  if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia || !PREFERRED_TYPES.some((t) => MediaRecorder.isTypeSupported(t))) {
    return { kind: 'unavailable', reason: 'unsupported' };
  }
  try {
    const status = await navigator.permissions.query({ name: 'microphone' });
    if (status.state === 'denied') return { kind: 'unavailable', reason: 'denied' };
  } catch {
    // Browsers without the microphone permission name: the request itself will tell.
  }
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    if (!devices.some((d) => d.kind === 'audioinput')) return { kind: 'unavailable', reason: 'noMicrophone' };
  } catch {
    // enumerateDevices refused: let getUserMedia decide.
  }
  return { kind: 'ready' };
}

interface Live {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext;
  frame: number;
  timer: ReturnType<typeof setInterval> | undefined;
  startedAt: number;
}

export function VoiceRecorder({ maxSeconds, onChange, disabled = false, labels }: VoiceRecorderProps) {
  const { t } = useTranslation();
  const [availability, setAvailability] = useState<Availability>({ kind: 'checking' });
  const [state, setState] = useState<'idle' | 'recording' | 'recorded'>('idle');
  const [level, setLevel] = useState(0);
  const [elapsedMs, setElapsedMs] = useState(0);
  const [recording, setRecording] = useState<{ url: string; durationMs: number } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const live = useRef<Live | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const limit = formatDuration(maxSeconds * 1000);

  useEffect(() => {
    let cancelled = false;
    const check = () => void checkAvailability().then((a) => !cancelled && setAvailability(a));
    check();
    // A headset plugged in (or pulled out) changes the answer.
    navigator.mediaDevices?.addEventListener?.('devicechange', check);
    return () => {
      cancelled = true;
      navigator.mediaDevices?.removeEventListener?.('devicechange', check);
    };
  }, []);

  /** Ends the microphone, the meter and the clock (the recorder's own stop event finishes the file). */
  const release = useCallback((current: Live) => {
    cancelAnimationFrame(current.frame);
    if (current.timer !== undefined) clearInterval(current.timer);
    for (const track of current.stream.getTracks()) track.stop();
    void current.context.close().catch(() => undefined);
  }, []);

  const stop = useCallback(
    (reachedLimit = false) => {
      const current = live.current;
      if (!current) return;
      live.current = null;
      if (current.recorder.state !== 'inactive') current.recorder.stop();
      release(current);
      setLevel(0);
      if (reachedLimit) setNote(t('voice.limitReached', { limit }));
    },
    [release, t, limit],
  );

  // Leaving the page mid-recording must not keep the microphone open.
  useEffect(
    () => () => {
      const current = live.current;
      if (!current) return;
      live.current = null;
      if (current.recorder.state !== 'inactive') current.recorder.stop();
      release(current);
    },
    [release],
  );
  useEffect(() => () => void (recording && URL.revokeObjectURL(recording.url)), [recording]);

  const start = async () => {
    setNote(null);
    setRecording(null);
    onChangeRef.current(null);
    const mimeType = PREFERRED_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    if (!mimeType) {
      setAvailability({ kind: 'unavailable', reason: 'unsupported' });
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: false });
    } catch (error) {
      const name = error instanceof DOMException ? error.name : '';
      if (name === 'NotAllowedError' || name === 'SecurityError') setAvailability({ kind: 'unavailable', reason: 'denied' });
      else if (name === 'NotFoundError' || name === 'OverconstrainedError') setAvailability({ kind: 'unavailable', reason: 'noMicrophone' });
      else setNote(t('voice.failed', { reason: error instanceof Error ? error.message : String(error) }));
      return;
    }
    const recorder = new MediaRecorder(stream, { mimeType, audioBitsPerSecond: 32_000 });
    const chunks: Blob[] = [];
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    // The level meter: RMS of the waveform, on a square-root scale so speech shows clearly.
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const current: Live = { stream, recorder, context, frame: 0, timer: undefined, startedAt: 0 };
    const measure = () => {
      analyser.getByteTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += ((s - 128) / 128) ** 2;
      setLevel(Math.min(100, Math.round(Math.sqrt(Math.sqrt(sum / samples.length)) * 100)));
      current.frame = requestAnimationFrame(measure);
    };
    recorder.addEventListener('start', () => {
      current.startedAt = performance.now();
    });
    recorder.addEventListener('stop', () => {
      const durationMs = Math.max(1, Math.round(performance.now() - current.startedAt));
      const blob = new Blob(chunks, { type: mimeType });
      if (blob.size === 0) {
        setState('idle');
        setNote(t('voice.failed', { reason: '—' }));
        return;
      }
      setRecording({ url: URL.createObjectURL(blob), durationMs });
      setState('recorded');
      onChangeRef.current({ blob, mimeType, durationMs });
    });
    live.current = current;
    current.startedAt = performance.now();
    current.timer = setInterval(() => {
      const elapsed = performance.now() - current.startedAt;
      setElapsedMs(elapsed);
      if (elapsed >= maxSeconds * 1000) stop(true);
    }, 200);
    current.frame = requestAnimationFrame(measure);
    setElapsedMs(0);
    setState('recording');
    // Chunks every second: a long recording is not one big buffer at the end.
    recorder.start(1000);
  };

  const discard = () => {
    setRecording(null);
    setState('idle');
    setNote(null);
    onChangeRef.current(null);
  };

  const unavailableText = availability.kind === 'unavailable' ? t(`voice.${availability.reason}`) : availability.kind === 'checking' ? t('voice.checking') : null;

  return (
    <div className="voice-recorder">
      {state === 'recording' ? (
        <div className="voice-recorder__live">
          <span className="voice-recorder__dot" aria-hidden="true" />
          <div className="voice-recorder__meter" role="meter" aria-label={t('voice.level')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={level}>
            <div className="voice-recorder__meter-fill" style={{ width: `${level}%` }} />
          </div>
          <span className="voice-recorder__time" aria-label={t('voice.elapsed')} aria-live="off">
            {t('voice.recording', { elapsed: formatDuration(Math.max(1000, elapsedMs)), limit })}
          </span>
          <button type="button" className="button button--secondary" onClick={() => stop()}>
            {t('voice.stop')}
          </button>
        </div>
      ) : state === 'recorded' && recording ? (
        <div className="voice-recorder__done">
          <VoiceAudio src={recording.url} label={t('voice.preview')} />
          <span className="voice-recorder__time">{labels ? labels.recorded(formatDuration(recording.durationMs)) : t('voice.recorded', { duration: formatDuration(recording.durationMs) })}</span>
          <button type="button" className="button button--secondary" disabled={disabled} onClick={() => void start()}>
            {t('voice.rerecord')}
          </button>
          <button type="button" className="link-button" disabled={disabled} onClick={discard}>
            {t('voice.discard')}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button button--secondary voice-recorder__start"
          disabled={disabled || availability.kind !== 'ready'}
          title={unavailableText ?? undefined}
          onClick={() => void start()}
        >
          {labels?.record ?? t('voice.record')}
          {availability.kind === 'unavailable' ? <span className="voice-recorder__why">{t('app.inParentheses', { text: unavailableText })}</span> : null}
        </button>
      )}
      {note ? (
        <p className="notice notice--info" role="status">
          {note}
        </p>
      ) : null}
    </div>
  );
}
