/**
 * An opinion (意见) as a leader gives it on the paper 公文处理笺: typed text, handwriting (手写签批)
 * and a spoken instruction (语音签批), alone or together.
 *
 * Handwriting is kept as vectors, never as a bitmap, so it stays crisp at any zoom and the server can
 * draw it as filled paths into the 处理笺; a voice note is a blob (Opus) known by its SHA-256.
 * Both are part of the audit entry's digest of the step they belong to.
 */
import { z } from 'zod';

/** The pen colours a leader may write with. */
export const InkColorSchema = z.enum(['black', 'red', 'blue']);
export type InkColor = z.infer<typeof InkColorSchema>;

/**
 * One sampled point of a stroke: `[x, y, pressure, t, tiltX, tiltY]`.
 * x and y are in the drawing's own units (its `width` × `height` box, origin top left); pressure is
 * 0–1 (0.5 where the device reports none); t is milliseconds since the stroke began; tilt is in
 * degrees, −90–90 (0 for mouse and touch).
 */
export const InkPointSchema = z.tuple([
  z.number().finite(),
  z.number().finite(),
  z.number().min(0).max(1),
  z.number().min(0).max(600_000),
  z.number().min(-90).max(90),
  z.number().min(-90).max(90),
]);
export type InkPoint = z.infer<typeof InkPointSchema>;

export const InkStrokeSchema = z.object({
  color: InkColorSchema,
  /** The nominal pen width in the drawing's units (the ink is wider or narrower with pressure). */
  size: z.number().positive().max(100),
  points: z.array(InkPointSchema).min(1).max(10_000),
});
export type InkStroke = z.infer<typeof InkStrokeSchema>;

/** 手写签批: strokes in a box of `width` × `height` units (the pad's size when drawn). */
export const InkDrawingSchema = z.object({
  width: z.number().positive().max(10_000),
  height: z.number().positive().max(10_000),
  strokes: z.array(InkStrokeSchema).min(1).max(2_000),
});
export type InkDrawing = z.infer<typeof InkDrawingSchema>;

/** 语音签批: a recording stored as a blob by its digest. */
export const VoiceNoteSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '录音摘要须为64位十六进制'),
  durationMs: z.number().int().min(1).max(600_000),
  mimeType: z.string().min(1).max(100),
});
export type VoiceNote = z.infer<typeof VoiceNoteSchema>;

/** The opinion of one action: at least one of text, handwriting and voice when given. */
export const OpinionSchema = z.object({
  text: z.string().trim().max(2000).optional(),
  ink: InkDrawingSchema.optional(),
  voice: VoiceNoteSchema.optional(),
});
export type Opinion = z.infer<typeof OpinionSchema>;
