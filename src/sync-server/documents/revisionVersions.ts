/**
 * Versions of a document's body (修订痕迹): each workflow step that closes a stretch in which the
 * text may change stores the room as it stands — its whole state as one Yjs update, and its
 * snapshot (state vector + delete set) — with the step, the person who acted and the time. The
 * step's transaction runs while the room's messages are held (`RoomPolicies.changeAccess`), so the
 * version holds every edit made before the step and none made after.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { bodyMayChange, type WorkflowState } from '../../shared/domain/documents';
import type { BodyVersion } from '../../shared/http/revisions';
import { parseRoomName } from '../../shared/rooms';
import type { Queryable } from '../store/database';
import type { StoredDocument } from './repository';
import type { LoadRoomUpdates } from './roomBody';
import { applyAll } from '../sync/compaction';

/** A stored version with its bytes. */
export interface StoredVersion extends BodyVersion {
  readonly state: Uint8Array;
  readonly snapshot: Uint8Array;
}

type VersionRow = {
  id: string;
  seq: number;
  step: WorkflowState;
  action: string;
  actor_id: string;
  actor_name: string;
  created_at: number;
  state?: Uint8Array;
  snapshot?: Uint8Array;
};

const toVersion = (row: VersionRow): BodyVersion => ({
  id: row.id,
  seq: Number(row.seq),
  step: row.step,
  action: row.action,
  actorId: row.actor_id,
  actorName: row.actor_name,
  createdAt: new Date(Number(row.created_at)).toISOString(),
});

/** State and snapshot of a document nothing was ever written to, encoded once (see `roomState`). */
let emptyRoom: { state: Uint8Array; snapshot: Uint8Array } | undefined;

function encodeRoom(guid: string, updates: readonly Uint8Array[]): { state: Uint8Array; snapshot: Uint8Array } {
  // A guid of our own: Yjs makes a random one (31 calls to the system's random source) per doc, a
  // measurable part of a workflow action, which reads the body this way (issue 21).
  const doc = new Y.Doc({ gc: false, guid });
  try {
    applyAll(doc, updates, null);
    return { state: Y.encodeStateAsUpdate(doc), snapshot: Y.encodeSnapshot(Y.snapshot(doc)) };
  } finally {
    doc.destroy();
  }
}

/** The room's state and snapshot now (empty document when nothing was ever written). */
export async function roomState(loadRoomUpdates: LoadRoomUpdates, documentId: string): Promise<{ state: Uint8Array; snapshot: Uint8Array }> {
  const room = parseRoomName(`doc:${documentId}`);
  const updates = room ? await loadRoomUpdates(room.name) : [];
  if (updates.length === 0) {
    // Every step of a document whose body was never opened closes a version of an empty room: the
    // same bytes each time (no clients, no deletions), which cost a Y.Doc — and its random client
    // id — per action. Encoded once; each caller gets its own copy, so none can alter another's.
    emptyRoom ??= encodeRoom('doc:', []);
    return { state: emptyRoom.state.slice(), snapshot: emptyRoom.snapshot.slice() };
  }
  return encodeRoom(`doc:${documentId}`, updates);
}

/**
 * Inside a step's transaction: closes a version when the document leaves a step in which its body
 * could change (拟稿, 核稿, 会签, 签发, …). Steps that leave the body as fixed as it was (编号, 用印) close none.
 */
export async function recordBodyVersion(
  tx: Queryable,
  loadRoomUpdates: LoadRoomUpdates,
  before: StoredDocument,
  action: string,
  actor: { id: string; name: string },
  now: number,
): Promise<BodyVersion | undefined> {
  if (!bodyMayChange(before.workflow.state)) return undefined;
  const { state, snapshot } = await roomState(loadRoomUpdates, before.id);
  const last = await tx.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM document_body_versions WHERE document_id = ?', [before.id]);
  const seq = Number(last?.seq ?? 0) + 1;
  const id = randomUUID();
  await tx.run(
    'INSERT INTO document_body_versions (id, document_id, seq, step, action, actor_id, actor_name, created_at, state, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [id, before.id, seq, before.workflow.state, action, actor.id, actor.name, now, Buffer.from(state), Buffer.from(snapshot)],
  );
  return toVersion({ id, seq, step: before.workflow.state, action, actor_id: actor.id, actor_name: actor.name, created_at: now });
}

/** Every version of a document, oldest first, without their bytes. */
export async function listBodyVersions(db: Queryable, documentId: string): Promise<BodyVersion[]> {
  const rows = await db.all<VersionRow>('SELECT id, seq, step, action, actor_id, actor_name, created_at FROM document_body_versions WHERE document_id = ? ORDER BY seq', [documentId]);
  return rows.map(toVersion);
}

/** Versions `fromSeq`..`toSeq` (inclusive) of a document, with their bytes, oldest first. */
export async function loadBodyVersions(db: Queryable, documentId: string, fromSeq: number, toSeq: number): Promise<StoredVersion[]> {
  const rows = await db.all<VersionRow>(
    'SELECT id, seq, step, action, actor_id, actor_name, created_at, state, snapshot FROM document_body_versions WHERE document_id = ? AND seq >= ? AND seq <= ? ORDER BY seq',
    [documentId, fromSeq, toSeq],
  );
  return rows.map((row) => ({ ...toVersion(row), state: new Uint8Array(row.state!), snapshot: new Uint8Array(row.snapshot!) }));
}

/** Records that `userId` authored Yjs client `clientId` of `room` (the first to send its content wins). */
export async function recordBodyAuthor(db: Queryable, room: string, clientId: number, userId: string, now: number): Promise<void> {
  await db.run('INSERT INTO document_body_authors (room, client_id, user_id, first_seen) VALUES (?, ?, ?, ?) ON CONFLICT (room, client_id) DO NOTHING', [room, clientId, userId, now]);
}

/** Who authored each Yjs client of a document's body. */
export async function bodyAuthors(db: Queryable, documentId: string): Promise<Map<number, string>> {
  const rows = await db.all<{ client_id: number | string; user_id: string }>('SELECT client_id, user_id FROM document_body_authors WHERE room = ?', [`doc:${documentId}`]);
  return new Map(rows.map((row) => [Number(row.client_id), row.user_id]));
}
