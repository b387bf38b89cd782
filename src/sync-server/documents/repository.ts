/**
 * Rows ↔ documents. A document is stored as indexed columns (for the lists) plus its fields and
 * workflow as JSON, parsed back with the shared schemas so a bad row is caught, never trusted.
 */
import { createHash } from 'node:crypto';
import {
  DocumentFieldsSchema,
  formatDocNumber,
  WorkflowStatusSchema,
  type DocumentFields,
  type WorkflowStatus,
} from '../../shared/domain/documents';
import { conflict } from '../http/errors';
import type { Queryable } from '../store/database';
import { errorText } from '../../shared/errors';

export interface StoredDocument {
  readonly id: string;
  readonly fields: DocumentFields;
  readonly workflow: WorkflowStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly sourceExchangeId: string | undefined;
}

interface DocumentRow {
  [key: string]: unknown;
  id: string;
  fields: string;
  workflow: string;
  created_at: number;
  updated_at: number;
  source_exchange_id: string | null;
}

const SELECT = 'SELECT id, fields, workflow, created_at, updated_at, source_exchange_id FROM documents';

function fromRow(row: DocumentRow): StoredDocument {
  return {
    id: row.id,
    fields: DocumentFieldsSchema.parse(JSON.parse(row.fields)),
    workflow: WorkflowStatusSchema.parse(JSON.parse(row.workflow)),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    sourceExchangeId: row.source_exchange_id ?? undefined,
  };
}

export async function loadDocument(db: Queryable, id: string): Promise<StoredDocument | undefined> {
  const row = await db.get<DocumentRow>(`${SELECT} WHERE id = ?`, [id]);
  return row ? fromRow(row) : undefined;
}

/** The printed number: the workflow's (assigned by 编号) or, for 收文, the sender's. */
export function printedNumber(doc: { fields: DocumentFields; workflow: WorkflowStatus }): string | undefined {
  const n = doc.workflow.docNumber ?? doc.fields.docNumber;
  return n ? formatDocNumber(n) : undefined;
}

function columns(doc: StoredDocument): Array<string | number | null> {
  return [
    doc.workflow.state,
    doc.workflow.version,
    doc.fields.type,
    doc.fields.title,
    printedNumber(doc) ?? null,
    doc.fields.urgency,
    doc.fields.secrecy.level,
    doc.fields.dueDate ?? null,
    JSON.stringify(doc.fields),
    JSON.stringify(doc.workflow),
    doc.updatedAt,
  ];
}

/**
 * The next number of the change feed. Call inside the transaction that makes the change: the
 * counter row stays locked until commit, so numbers are handed out in commit order. One UPSERT
 * (creating the row at 1 the first time) rather than an insert-if-missing and then an update: a
 * statement fewer on every change, and on PostgreSQL a round trip fewer inside the transaction.
 */
export async function nextChangeSeq(tx: Queryable): Promise<number> {
  const row = await tx.get<{ n: number }>('INSERT INTO document_change_counter (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = document_change_counter.n + 1 RETURNING n');
  if (!row) throw new Error('change counter missing');
  return Number(row.n);
}

/**
 * Puts a document on the change feed without changing it: its view changed all the same (a receiving
 * unit signed for or returned its exchange item, so the sender's 分发 receipts read differently).
 */
export async function touchDocument(tx: Queryable, documentId: string): Promise<void> {
  await tx.run('UPDATE documents SET change_seq = ? WHERE id = ?', [await nextChangeSeq(tx), documentId]);
}

export async function insertDocument(tx: Queryable, doc: StoredDocument): Promise<void> {
  await tx.run(
    `INSERT INTO documents (state, version, type, title, doc_number, urgency, secrecy_level, due_date, fields, workflow, updated_at, id, kind, unit_id, created_by, source_exchange_id, created_at, change_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...columns(doc), doc.id, doc.workflow.kind, doc.workflow.unitId, doc.workflow.drafterId, doc.sourceExchangeId ?? null, doc.createdAt, await nextChangeSeq(tx)],
  );
  await refreshTodo(tx, doc);
}

/**
 * Saves a changed document if nobody changed it since `expectedVersion` (optimistic locking: the
 * loser of a race gets 409, never a silent overwrite).
 */
export async function saveDocument(tx: Queryable, doc: StoredDocument, expectedVersion: number): Promise<void> {
  const result = await tx.run(
    `UPDATE documents SET state = ?, version = ?, type = ?, title = ?, doc_number = ?, urgency = ?, secrecy_level = ?, due_date = ?, fields = ?, workflow = ?, updated_at = ?, change_seq = ?
     WHERE id = ? AND version = ?`,
    [...columns(doc), await nextChangeSeq(tx), doc.id, expectedVersion],
  );
  if (result.changes !== 1) throw conflict(errorText('documents.stale'));
  await refreshTodo(tx, doc);
}

/** Who has this document in 待办: holders who have not answered, and readers who have not read. */
export function todoUsers(workflow: WorkflowStatus): string[] {
  if (workflow.state === 'archived') return [];
  const pending = workflow.holders.filter((h) => !workflow.answered.includes(h));
  const readers = workflow.readers.filter((r) => !r.readAt).map((r) => r.userId);
  return [...new Set([...pending, ...readers])];
}

async function refreshTodo(tx: Queryable, doc: StoredDocument): Promise<void> {
  await tx.run('DELETE FROM document_todo WHERE document_id = ?', [doc.id]);
  for (const userId of todoUsers(doc.workflow)) await tx.run('INSERT INTO document_todo (document_id, user_id) VALUES (?, ?)', [doc.id, userId]);
}

/** Marks that `userId` acted on the document (the 已办 box). */
export async function markActed(tx: Queryable, documentId: string, userId: string, at: number): Promise<void> {
  await tx.run('INSERT INTO document_acted (document_id, user_id, acted_at) VALUES (?, ?, ?) ON CONFLICT (document_id, user_id) DO UPDATE SET acted_at = excluded.acted_at', [
    documentId,
    userId,
    at,
  ]);
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Stores bytes under their SHA-256 (content-addressed; storing the same bytes twice is a no-op). */
export async function putBlob(tx: Queryable, bytes: Uint8Array, at: number): Promise<string> {
  const sha = sha256Hex(bytes);
  await tx.run('INSERT INTO document_blobs (sha256, bytes, size, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING', [sha, Buffer.from(bytes), bytes.length, at]);
  return sha;
}

export async function getBlob(db: Queryable, sha: string): Promise<Buffer | undefined> {
  const row = await db.get<{ bytes: Buffer }>('SELECT bytes FROM document_blobs WHERE sha256 = ?', [sha]);
  return row ? Buffer.from(row.bytes) : undefined;
}

/**
 * Draws the next 发文字号 serial of a unit's year. Runs inside the action's transaction: if the
 * action fails the draw rolls back with it, so serials never skip; the row update serialises two
 * clerks numbering at once, so they never repeat.
 */
export async function nextSerial(tx: Queryable, unitId: string, year: number): Promise<number> {
  await tx.run('INSERT INTO doc_number_sequences (unit_id, year, next_serial) VALUES (?, ?, 1) ON CONFLICT (unit_id, year) DO NOTHING', [unitId, year]);
  const row = await tx.get<{ serial: number }>('UPDATE doc_number_sequences SET next_serial = next_serial + 1 WHERE unit_id = ? AND year = ? RETURNING next_serial - 1 AS serial', [
    unitId,
    year,
  ]);
  if (!row) throw new Error('doc number sequence missing');
  return Number(row.serial);
}
