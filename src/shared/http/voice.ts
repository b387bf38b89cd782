/**
 * 语音签批 recordings over HTTP: `PUT /api/documents/:id/voice/:sha256` (raw audio body) and
 * `GET` of the same path. A recording is Opus in Ogg (what Chromium's MediaRecorder writes when it
 * can) or in WebM; nothing else is accepted, so what the server hands to other people's players is
 * always something a browser plays.
 */
import { z } from 'zod';
import { errorCatalogue } from '../errors/catalogue';

/** The largest recording the server takes by default: 60 s of Opus is ≈ 0.5 MB, so 5 MB is ample. */
export const DEFAULT_MAX_VOICE_BYTES = 5 * 1024 * 1024;

/** `audio/ogg` or `audio/webm`, optionally with `;codecs=opus`. */
export const VoiceMimeTypeSchema = z
  .string()
  .trim()
  .max(100)
  .regex(/^audio\/(ogg|webm)(;\s*codecs="?opus"?)?$/i, errorCatalogue['voice.opusRequired'].zh);

/** The answer to an upload: 201 when stored now, 200 when the server already had it for this document. */
export const VoiceUploadResponseSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mimeType: z.string(),
  size: z.number().int().min(1),
});
export type VoiceUploadResponse = z.infer<typeof VoiceUploadResponseSchema>;
