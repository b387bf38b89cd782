/**
 * 语音签批 recordings as the renderer reaches them through main. A recording crosses the bridge as
 * base64; main keeps it in the person's replica (blob store, by SHA-256) so it can be sent later —
 * the outbox uploads it right before the action that cites it — and played offline afterwards.
 */
import { z } from 'zod';
import { defineCall } from './contract';
import { VoiceMimeTypeSchema } from '../http/voice';
import { issueMessage } from '../errors';

/** What main keeps of one recording at most: the server's default cap (5 MB, ≈ 10 min of Opus). */
export const MAX_VOICE_BYTES = 5 * 1024 * 1024;

const IdSchema = z.string().min(1).max(100);
const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, issueMessage('input.recordingIdInvalid'));
const VoiceBase64Schema = z
  .string()
  .min(1, issueMessage('voice.empty'))
  .max(Math.ceil(MAX_VOICE_BYTES / 3) * 4, issueMessage('voice.tooLargeClient'))
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, issueMessage('input.encodingInvalid'));

export const voiceCalls = {
  /**
   * Keeps a fresh recording in the replica and answers its digest; nothing is sent yet (the action
   * that cites it — `documents:act` with `voice` — queues the upload first).
   */
  store: defineCall(
    'voice:store',
    z.object({ documentId: IdSchema, base64: VoiceBase64Schema, mimeType: VoiceMimeTypeSchema }),
    z.object({ sha256: z.string(), size: z.number().int() }),
  ),
  /** A recording of a document's 流转记录: from the replica when it is there, else from the server (then kept). */
  get: defineCall('voice:get', z.object({ documentId: IdSchema, sha256: Sha256Schema }), z.object({ base64: z.string(), mimeType: z.string() })),
} as const;
