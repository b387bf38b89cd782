/**
 * The approved body (issue 15): when a document leaves the steps in which its text may change
 * (签发 of a 发文, 拟办 of a 收文), the body as it stands is fixed — read from its `doc:` room (or
 * the `body` field when the room has no text), stored with its SHA-256, and that digest written into
 * the audit entry of the step. 编号 and 用印 render from this snapshot, never from the live room.
 * A document sent back to a step where the text may change loses it; it is taken again when the
 * document leaves once more.
 *
 * The snapshot keeps the body's structure (headings, bold, lists, tables, page breaks, 附件说明) as
 * JSON beside its plain text; the digest is of the plain text (headings with their numbers), the
 * words a reader signs off. A snapshot taken before structures existed has none and renders from
 * its text as it always did.
 */
import {
  blocksFromPlainText,
  bodyMayChange,
  bodyPlainText,
  BodyStructureSchema,
  type BodyBlock,
  type WorkflowState,
} from '../../shared/domain/documents';
import type { Queryable } from '../store/database';
import { sha256Hex, type StoredDocument } from './repository';
import { readRoomStructure, type LoadRoomUpdates } from './roomBody';

export interface BodySnapshot {
  readonly body: string;
  /** The body's blocks; from the text (one paragraph per line) for a snapshot stored without them. */
  readonly blocks: BodyBlock[];
  readonly sha256: string;
  /** The step the document left when it was taken. */
  readonly state: WorkflowState;
  readonly takenAt: number;
}

/**
 * Records what a step change does to the approved body, inside the step's transaction: takes the
 * snapshot when the document leaves the editable steps (returning its digest for the audit entry),
 * drops it when the document comes back to them. The caller holds the room's messages meanwhile
 * (`RoomPolicies.changeAccess`), so no edit lands between the snapshot and the new rights.
 */
export async function recordBodyTransition(
  tx: Queryable,
  loadRoomUpdates: LoadRoomUpdates,
  before: StoredDocument,
  nextState: WorkflowState,
  actorId: string,
  now: number,
): Promise<{ sha256: string } | undefined> {
  if (bodyMayChange(nextState)) {
    if (!bodyMayChange(before.workflow.state)) await tx.run('DELETE FROM document_body_snapshots WHERE document_id = ?', [before.id]);
    return undefined;
  }
  if (!bodyMayChange(before.workflow.state)) return undefined;
  const blocks = (await readRoomStructure(loadRoomUpdates, before.id)) ?? blocksFromPlainText(before.fields.body);
  const body = bodyPlainText(blocks);
  const sha256 = sha256Hex(Buffer.from(body, 'utf8'));
  const structure = JSON.stringify(BodyStructureSchema.parse({ version: 1, blocks }));
  await tx.run('DELETE FROM document_body_snapshots WHERE document_id = ?', [before.id]);
  await tx.run('INSERT INTO document_body_snapshots (document_id, state, body, sha256, taken_by, taken_at, structure) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    before.id,
    before.workflow.state,
    body,
    sha256,
    actorId,
    now,
    structure,
  ]);
  return { sha256 };
}

/** The approved body of a document, if one was taken. */
export async function readBodySnapshot(db: Queryable, documentId: string): Promise<BodySnapshot | undefined> {
  const row = await db.get<{ body: string; sha256: string; state: WorkflowState; taken_at: number; structure: string | null }>(
    'SELECT body, sha256, state, taken_at, structure FROM document_body_snapshots WHERE document_id = ?',
    [documentId],
  );
  if (!row) return undefined;
  return { body: row.body, blocks: snapshotBlocks(row.body, row.structure), sha256: row.sha256, state: row.state, takenAt: Number(row.taken_at) };
}

/** The stored structure, or the text's paragraphs when there is none (or it cannot be read). */
function snapshotBlocks(body: string, structure: string | null): BodyBlock[] {
  if (structure) {
    try {
      const parsed = BodyStructureSchema.safeParse(JSON.parse(structure));
      if (parsed.success) return parsed.data.blocks;
    } catch {
      // Unreadable JSON: fall back to the text, which the digest covers.
    }
  }
  return blocksFromPlainText(body);
}
