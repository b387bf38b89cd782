/**
 * The audit trail: append-only and hash-chained per document.
 *
 * Each entry's hash covers the previous entry's hash and the entry's own fields (with a SHA-256
 * digest of its payload), so editing any entry, reordering, or removing one from the middle breaks
 * the chain; the head table (length and last hash) catches removal from the end. `verify` re-derives
 * everything from the stored rows and says exactly what is wrong.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../store/database';
import { errorText, type ErrorText } from '../../shared/errors';

export interface AuditEvent {
  readonly documentId: string;
  readonly at: number;
  readonly actorId: string;
  readonly actorName: string;
  /** e.g. `create`, `submit`, `approve`, `pdf.upload`, `exchange.receive`, `access`. */
  readonly action: string;
  readonly payload: unknown;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actorId: string;
  readonly actorName: string;
  readonly action: string;
  readonly payload: unknown;
  readonly payloadDigest: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditVerification {
  readonly valid: boolean;
  /** Chinese descriptions of every problem found (empty when valid). */
  readonly problems: string[];
  /** The same problems with catalogue keys, so a client words them in the person's language. */
  readonly problemTexts: ErrorText[];
}

const GENESIS = '0'.repeat(64);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON with sorted keys, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function entryHash(documentId: string, seq: number, at: number, actorId: string, actorName: string, action: string, payloadDigest: string, prevHash: string): string {
  return sha256(canonicalJson({ documentId, seq, at, actorId, actorName, action, payloadDigest, prevHash }));
}

interface EntryRow {
  [key: string]: unknown;
  seq: number;
  at: number;
  actor_id: string;
  actor_name: string;
  action: string;
  payload: string;
  payload_digest: string;
  prev_hash: string;
  hash: string;
}

/**
 * Appends one event. Call it inside the transaction that makes the change it records, so the
 * change and its audit entry commit together or not at all.
 */
export async function appendAudit(tx: Queryable, event: AuditEvent): Promise<AuditEntry> {
  const head = await tx.get<{ length: number; head_hash: string }>('SELECT length, head_hash FROM audit_heads WHERE document_id = ?', [event.documentId]);
  const seq = Number(head?.length ?? 0) + 1;
  const prevHash = head?.head_hash ?? GENESIS;
  const payload = canonicalJson(event.payload);
  const payloadDigest = sha256(payload);
  const at = Math.trunc(event.at);
  const hash = entryHash(event.documentId, seq, at, event.actorId, event.actorName, event.action, payloadDigest, prevHash);
  await tx.run(
    'INSERT INTO audit_entries (document_id, seq, at, actor_id, actor_name, action, payload, payload_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [event.documentId, seq, at, event.actorId, event.actorName, event.action, payload, payloadDigest, prevHash, hash],
  );
  if (head) {
    // Conditional on the old head: two writers racing on one chain cannot both extend it.
    const moved = await tx.run('UPDATE audit_heads SET length = ?, head_hash = ? WHERE document_id = ? AND length = ?', [seq, hash, event.documentId, seq - 1]);
    if (moved.changes !== 1) throw new Error('audit chain moved concurrently');
  } else {
    await tx.run('INSERT INTO audit_heads (document_id, length, head_hash) VALUES (?, ?, ?)', [event.documentId, seq, hash]);
  }
  return { seq, at: new Date(at).toISOString(), actorId: event.actorId, actorName: event.actorName, action: event.action, payload: event.payload, payloadDigest, prevHash, hash };
}

/** Every entry of a document's chain, oldest first, and whether the chain verifies. */
export async function readAudit(db: Queryable, documentId: string): Promise<{ entries: AuditEntry[] } & AuditVerification> {
  const rows = await db.all<EntryRow>(
    'SELECT seq, at, actor_id, actor_name, action, payload, payload_digest, prev_hash, hash FROM audit_entries WHERE document_id = ? ORDER BY seq',
    [documentId],
  );
  const head = await db.get<{ length: number; head_hash: string }>('SELECT length, head_hash FROM audit_heads WHERE document_id = ?', [documentId]);
  const problemTexts = verifyRows(documentId, rows, head ? { length: Number(head.length), hash: head.head_hash } : undefined);
  const entries = rows.map((row) => ({
    seq: Number(row.seq),
    at: new Date(Number(row.at)).toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    payload: safeParse(row.payload),
    payloadDigest: row.payload_digest,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
  return { entries, valid: problemTexts.length === 0, problems: problemTexts.map((text) => text.message), problemTexts };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function verifyRows(documentId: string, rows: readonly EntryRow[], head: { length: number; hash: string } | undefined): ErrorText[] {
  const problems: ErrorText[] = [];
  let prev = GENESIS;
  rows.forEach((row, i) => {
    const seq = Number(row.seq);
    if (seq !== i + 1) problems.push(errorText('audit.entryMissing', { missing: i + 1, next: seq }));
    if (sha256(row.payload) !== row.payload_digest) problems.push(errorText('audit.entryContentChanged', { seq }));
    if (row.prev_hash !== prev) problems.push(errorText('audit.entryUnlinked', { seq }));
    const expected = entryHash(documentId, seq, Number(row.at), row.actor_id, row.actor_name, row.action, row.payload_digest, row.prev_hash);
    if (expected !== row.hash) problems.push(errorText('audit.entryHashMismatch', { seq }));
    prev = row.hash;
  });
  if (!head) {
    if (rows.length > 0) problems.push(errorText('audit.headMissing'));
  } else {
    if (head.length !== rows.length) problems.push(errorText('audit.lengthMismatch', { expected: head.length, actual: rows.length }));
    if (rows.length > 0 && head.hash !== prev) problems.push(errorText('audit.headMismatch'));
  }
  return problems;
}
