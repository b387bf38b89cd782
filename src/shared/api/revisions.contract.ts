/**
 * Tracked revisions (修订痕迹) as the renderer reaches them through main: the body's versions, the
 * attributed differences between two of them, the holder's 接受 / 拒绝, and the marked-up PDF.
 * Main forwards each to the server's routes (src/shared/http/revisions.ts) with the session's token.
 */
import { z } from 'zod';
import { defineCall } from './contract';
import { BodyVersionListSchema, ChangeDecisionSchema, ChangeIdSchema, RevisionsResponseSchema } from '../http/revisions';

const IdSchema = z.string().min(1).max(100);
const VersionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const RangeSchema = z.object({ documentId: IdSchema, from: VersionIdSchema, to: z.union([z.literal('current'), VersionIdSchema]) });

export const revisionsCalls = {
  versions: defineCall('revisions:versions', z.object({ documentId: IdSchema }), BodyVersionListSchema),
  compare: defineCall('revisions:compare', RangeSchema, RevisionsResponseSchema),
  decide: defineCall(
    'revisions:decide',
    z.object({ documentId: IdSchema, changeIds: z.array(ChangeIdSchema).min(1).max(5_000), decision: ChangeDecisionSchema }),
    z.object({ decided: z.number().int().min(0) }),
  ),
  exportPdf: defineCall('revisions:export-pdf', RangeSchema, z.object({ base64: z.string() })),
} as const;
