/**
 * Tracked revisions (修订痕迹) of a document's body over HTTP: the versions each workflow step closed,
 * the attributed differences between two of them, and the holder's 接受 / 拒绝 of each change.
 * The server parses every request with these; clients parse every response with them.
 */
import { z } from 'zod';
import { WorkflowStateSchema } from '../domain/documents';

const VersionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '版本标识无效');

/** One version of the body, closed when the document left step `step` through `action`, by `actorName`. */
export const BodyVersionSchema = z.object({
  id: VersionIdSchema,
  /** 1, 2, … in the order the versions were closed. */
  seq: z.number().int().min(1),
  step: WorkflowStateSchema,
  action: z.string().min(1).max(32),
  actorId: z.string().min(1),
  actorName: z.string(),
  createdAt: z.string().min(1),
});
export type BodyVersion = z.infer<typeof BodyVersionSchema>;

/** `GET /api/documents/:id/versions`: oldest first. */
export const BodyVersionListSchema = z.object({ versions: z.array(BodyVersionSchema) });
export type BodyVersionList = z.infer<typeof BodyVersionListSchema>;

/** `GET /api/documents/:id/revisions?from=<versionId>&to=<versionId|current>` */
export const RevisionsQuerySchema = z.object({
  from: VersionIdSchema,
  to: z.union([z.literal('current'), VersionIdSchema]).default('current'),
});
export type RevisionsQuery = z.infer<typeof RevisionsQuerySchema>;

export const ChangeKindSchema = z.enum(['insert', 'delete']);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;

export const ChangeDecisionSchema = z.enum(['accepted', 'rejected']);
export type ChangeDecision = z.infer<typeof ChangeDecisionSchema>;

/**
 * A change's id names the Yjs items it covers, so the holder's client can revert exactly them:
 * `i:<clientId>:<clock>:<length>` (inserted characters) or `d:<clientId>:<clock>:<length>` (deleted ones).
 */
export const ChangeIdSchema = z.string().regex(/^[id]:\d{1,16}:\d{1,16}:\d{1,7}$/, '修订标识无效');

/** A run of text: unchanged, or one change by one person. */
export const RevisionSegmentSchema = z.object({
  kind: z.enum(['same', 'insert', 'delete']),
  text: z.string(),
  changeId: ChangeIdSchema.optional(),
  /** The author of an insertion; for a deletion, the person who held the step in which it was deleted. */
  personId: z.string().optional(),
  personName: z.string().optional(),
  /** The person's presence colour (#rrggbb), the same as their caret's. */
  color: z.string().optional(),
  decision: ChangeDecisionSchema.optional(),
});
export type RevisionSegment = z.infer<typeof RevisionSegmentSchema>;

export const RevisionParagraphSchema = z.object({
  segments: z.array(RevisionSegmentSchema),
  /** The paragraph's own Yjs item (`<clientId>:<clock>`): where a 拒绝 puts back a paragraph deleted whole. */
  blockId: z.string().regex(/^\d{1,16}:\d{1,16}$/).optional(),
  /** The whole paragraph is new or gone. */
  kind: z.enum(['same', 'insert', 'delete', 'changed']),
});
export type RevisionParagraph = z.infer<typeof RevisionParagraphSchema>;

export const RevisionsResponseSchema = z.object({
  from: BodyVersionSchema,
  /** Absent when compared with the current body. */
  to: BodyVersionSchema.optional(),
  paragraphs: z.array(RevisionParagraphSchema),
  /** Whether the caller may 接受 / 拒绝 (holds the document at a step where the body may change). */
  mayDecide: z.boolean(),
});
export type RevisionsResponse = z.infer<typeof RevisionsResponseSchema>;

/** `POST /api/documents/:id/revisions/decisions` */
export const RevisionDecisionRequestSchema = z.object({
  changeIds: z.array(ChangeIdSchema).min(1).max(5_000),
  decision: ChangeDecisionSchema,
});
export type RevisionDecisionRequest = z.infer<typeof RevisionDecisionRequestSchema>;

export const RevisionDecisionResponseSchema = z.object({ decided: z.number().int().min(0) });

/** Parses a change id into the Yjs items it covers. */
export function parseChangeId(id: string): { kind: ChangeKind; client: number; clock: number; length: number } | undefined {
  const parsed = ChangeIdSchema.safeParse(id);
  if (!parsed.success) return undefined;
  const [k, client, clock, length] = parsed.data.split(':');
  return { kind: k === 'i' ? 'insert' : 'delete', client: Number(client), clock: Number(clock), length: Number(length) };
}
