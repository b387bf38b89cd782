/**
 * 语音签批 recordings in main (src/shared/api/voice.contract.ts). A fresh recording is kept in the
 * person's replica by its SHA-256 (`voice:store`); `documents:act` with `voice` then queues its
 * upload ahead of the action. Playing one (`voice:get`) reads the replica first — so 流转记录 plays
 * offline what this computer recorded or heard before — and otherwise fetches it from the server
 * with the person's token (only readers of the document get it) and keeps a copy.
 */
import { createHash } from 'node:crypto';
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import { MAX_VOICE_BYTES, type voiceCalls } from '../../../shared/api/voice.contract';
import { HttpErrorBodySchema } from '../../../shared/http';
import { VoiceMimeTypeSchema } from '../../../shared/http/voice';
import type { OfflineServices } from '../sync/offlineServices';
import { failureOf } from '../documents/serverCalls';
import { ServerHttpError, ServerUnreachableError } from '../serverClient';
import { errorText, type ErrorText } from '../../../shared/errors';

export type VoiceHandlers = HandlersOf<{ voice: typeof voiceCalls }, unknown>['voice'];

export interface VoiceServiceOptions {
  /** e.g. `http://127.0.0.1:8787` */
  readonly serverUrl: string;
  readonly session: { token(): string | null; reportUnauthorized(reason?: string | ErrorText): void };
  /** The signed-in person's replica (null while signed out or still opening). */
  readonly replica: () => Pick<OfflineServices['replica'], 'putBlob' | 'getBlob'> | null;
  /** The 在线/离线 indicator re-checks at once when the server could not be reached. */
  readonly reportUnreachable?: () => void;
  readonly fetch?: typeof fetch;
}

const seg = encodeURIComponent;
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function createVoiceHandlers(options: VoiceServiceOptions): VoiceHandlers {
  const doFetch = options.fetch ?? fetch;
  /**
   * The replica opens in the background right after a sign-in, so a call made at that moment waits
   * for it — bounded: 15 s at most, and not at all while signed out.
   */
  const replica = async () => {
    for (let i = 0; i < 75 && !options.replica() && options.session.token(); i += 1) await new Promise((resolve) => setTimeout(resolve, 200));
    const current = options.replica();
    if (!current) throw new ApiFailure(options.session.token() ? 'unavailable' : 'unauthenticated', options.session.token() ? errorText('client.replicaNotReady') : errorText('http.signInFirst'));
    return current;
  };

  /** Downloads one recording of a document; a non-2xx answer becomes the server's own message. */
  async function download(documentId: string, sha256: string): Promise<{ bytes: Uint8Array; mimeType: string }> {
    const token = options.session.token();
    if (!token) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    let response: Response;
    try {
      response = await doFetch(`${options.serverUrl.replace(/\/+$/, '')}/api/documents/${seg(documentId)}/voice/${sha256}`, {
        headers: { authorization: `Bearer ${token}` },
        redirect: 'error',
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      options.reportUnreachable?.();
      throw new ServerUnreachableError(errorText('client.unreachableBare'), { cause: error });
    }
    if (!response.ok) {
      const body = HttpErrorBodySchema.safeParse(await response.json().catch(() => undefined));
      const error = body.success
        ? new ServerHttpError(response.status, body.data.error.code, body.data.error)
        : new ServerHttpError(response.status, `http_${response.status}`, errorText('client.serverStatus', { status: response.status }));
      if (response.status === 401) options.session.reportUnauthorized(error);
      throw error;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The digest is the recording's name: bytes that do not match it are not that recording.
    if (sha256Hex(bytes) !== sha256) throw new ApiFailure('internal', errorText('voice.serverDigestMismatch'));
    const type = VoiceMimeTypeSchema.safeParse(response.headers.get('content-type') ?? '');
    return { bytes, mimeType: type.success ? type.data : 'audio/ogg' };
  }

  return {
    async store({ base64, mimeType }) {
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length === 0) throw new ApiFailure('invalid_input', errorText('voice.empty'));
      if (bytes.length > MAX_VOICE_BYTES) throw new ApiFailure('invalid_input', errorText('voice.tooLargeClient'));
      const sha256 = await (await replica()).putBlob(bytes, mimeType);
      return { sha256, size: bytes.length };
    },
    async get({ documentId, sha256 }) {
      const local = await replica();
      const kept = await local.getBlob(sha256);
      if (kept) return { base64: Buffer.from(kept.data).toString('base64'), mimeType: kept.mime };
      try {
        const { bytes, mimeType } = await download(documentId, sha256);
        // Kept for offline playback; a failure to keep it must not cost the person the recording.
        await Promise.resolve(local.putBlob(bytes, mimeType)).catch(() => undefined);
        return { base64: Buffer.from(bytes).toString('base64'), mimeType };
      } catch (error) {
        if (error instanceof ServerUnreachableError) throw new ApiFailure('offline', errorText('offline.noVoiceCopy'));
        throw failureOf(error);
      }
    },
  };
}
