/** One test per migration of the documents, exchange and audit modules, on both adapters. */
import { expect, it } from 'vitest';
import { auditMigrations } from '../../src/sync-server/audit/migrations';
import { documentMigrations } from '../../src/sync-server/documents/migrations';
import { exchangeMigrations } from '../../src/sync-server/exchange/migrations';
import { nextChangeSeq, nextSerial } from '../../src/sync-server/documents/repository';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

describeOnBothAdapters('documents migrations on $name', 'xt-doc-migrations-', (target) => {
  it('audit-001 creates the chain with one entry per (document, seq) and a head per document', async () => {
    expect(await migrate(target.db, auditMigrations)).toEqual(['audit-001-entries-heads']);
    const insert = "INSERT INTO audit_entries (document_id, seq, at, actor_id, actor_name, action, payload, payload_digest, prev_hash, hash) VALUES ('d1', 1, 1, 'u', '李文', 'create', '{}', 'x', 'y', 'z')";
    await target.db.run(insert);
    await expect(target.db.run(insert)).rejects.toThrow();
    await target.db.run("INSERT INTO audit_heads (document_id, length, head_hash) VALUES ('d1', 1, 'z')");
    await expect(target.db.run("INSERT INTO audit_heads (document_id, length, head_hash) VALUES ('d1', 2, 'w')")).rejects.toThrow();
  });

  it('documents-001 creates documents, indexes, sequences, blobs, PDFs and delegations', async () => {
    expect(await migrate(target.db, [documentMigrations[0]!])).toEqual(['documents-001-documents']);
    expect(await target.db.tables()).toEqual(
      expect.arrayContaining(['documents', 'document_todo', 'document_acted', 'document_action_ids', 'doc_number_sequences', 'document_blobs', 'document_pdfs', 'delegations']),
    );
    // A client id is applied once per document.
    await target.db.run("INSERT INTO document_action_ids (document_id, client_id, user_id, created_at) VALUES ('d1', 'c1', 'u', 1)");
    await expect(target.db.run("INSERT INTO document_action_ids (document_id, client_id, user_id, created_at) VALUES ('d1', 'c1', 'u', 2)")).rejects.toThrow();
    // Blobs keep their bytes exactly.
    const bytes = Buffer.from([0, 1, 2, 255, 37, 80, 68, 70]);
    await target.db.run('INSERT INTO document_blobs (sha256, bytes, size, created_at) VALUES (?, ?, ?, ?)', ['a'.repeat(64), bytes, bytes.length, 1]);
    const row = await target.db.get<{ bytes: Buffer }>('SELECT bytes FROM document_blobs WHERE sha256 = ?', ['a'.repeat(64)]);
    expect(Buffer.from(row!.bytes).equals(bytes)).toBe(true);
    // The 发文字号 sequence starts at 1 per unit and year and counts up.
    const draws = await target.db.transaction(async (tx) => [await nextSerial(tx, 'u1', 2026), await nextSerial(tx, 'u1', 2026), await nextSerial(tx, 'u1', 2027), await nextSerial(tx, 'u2', 2026)]);
    expect(draws).toEqual([1, 2, 1, 1]);
  });

  it('documents-002 adds the change counter and a change number to existing documents', async () => {
    await target.db.run(
      "INSERT INTO documents (id, kind, unit_id, created_by, state, version, type, title, urgency, secrecy_level, fields, workflow, created_at, updated_at) VALUES ('old', 'outgoing', 'u1', 'p', 'draft', 0, 'notice', '旧', 'normal', 'none', '{}', '{}', 1, 1)",
    );
    expect(await migrate(target.db, documentMigrations.slice(0, 2))).toEqual(['documents-002-change-feed']);
    // No seed row: a restore replays migrations and then copies the counter's row itself.
    expect(await target.db.get('SELECT n FROM document_change_counter WHERE id = 1')).toBeUndefined();
    const draws = await target.db.transaction(async (tx) => [await nextChangeSeq(tx), await nextChangeSeq(tx)]);
    expect(draws).toEqual([1, 2]);
    expect(await target.db.get("SELECT change_seq FROM documents WHERE id = 'old'")).toEqual({ change_seq: 0 });
  });

  it('documents-003 records each document at most once per day it was reminded of its 办理期限', async () => {
    expect(await migrate(target.db, documentMigrations.slice(0, 3))).toEqual(['documents-003-overdue-reminders']);
    const insert = 'INSERT INTO document_overdue_reminders (document_id, day, reminded_at) VALUES (?, ?, ?) ON CONFLICT (document_id, day) DO NOTHING';
    expect((await target.db.run(insert, ['d1', '2026-11-23', 1])).changes).toBe(1);
    expect((await target.db.run(insert, ['d1', '2026-11-23', 2])).changes).toBe(0);
    expect((await target.db.run(insert, ['d1', '2026-11-24', 3])).changes).toBe(1);
    expect((await target.db.run(insert, ['d2', '2026-11-23', 4])).changes).toBe(1);
    expect(await target.db.all("SELECT day, reminded_at FROM document_overdue_reminders WHERE document_id = 'd1' ORDER BY day")).toEqual([
      { day: '2026-11-23', reminded_at: 1 },
      { day: '2026-11-24', reminded_at: 3 },
    ]);
  });

  it('documents-004 keeps one approved body per document', async () => {
    expect(await migrate(target.db, documentMigrations.slice(0, 4))).toEqual(['documents-004-body-snapshots']);
    const insert = 'INSERT INTO document_body_snapshots (document_id, state, body, sha256, taken_by, taken_at) VALUES (?, ?, ?, ?, ?, ?)';
    await target.db.run(insert, ['d1', 'signoff', '一、总体要求。', 'a'.repeat(64), 'user-wang', 1]);
    await expect(target.db.run(insert, ['d1', 'signoff', '改过的正文', 'b'.repeat(64), 'user-wang', 2])).rejects.toThrow();
    expect(await target.db.get("SELECT body, taken_at FROM document_body_snapshots WHERE document_id = 'd1'")).toEqual({ body: '一、总体要求。', taken_at: 1 });
  });

  it('documents-005 binds each voice note to a document once, by its digest', async () => {
    expect(await migrate(target.db, documentMigrations.slice(0, 5))).toEqual(['documents-005-voice-notes']);
    const insert = 'INSERT INTO document_voice_notes (document_id, sha256, mime_type, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)';
    await target.db.run(insert, ['d1', 'a'.repeat(64), 'audio/ogg', 100, 'u1', 1]);
    await expect(target.db.run(insert, ['d1', 'a'.repeat(64), 'audio/ogg', 100, 'u1', 2])).rejects.toThrow();
    // The same recording may belong to another document too (each binding is its own row).
    await target.db.run(insert, ['d2', 'a'.repeat(64), 'audio/ogg', 100, 'u2', 3]);
    expect(await target.db.all("SELECT document_id FROM document_voice_notes WHERE sha256 = ? ORDER BY document_id", ['a'.repeat(64)])).toEqual([{ document_id: 'd1' }, { document_id: 'd2' }]);
  });

  it('documents-006 adds the body’s structure to snapshots, empty for those taken before', async () => {
    await target.db.run('INSERT INTO document_body_snapshots (document_id, state, body, sha256, taken_by, taken_at) VALUES (?, ?, ?, ?, ?, ?)', ['old', 'signoff', '一、旧正文。', 'a'.repeat(64), 'u', 1]);
    expect(await migrate(target.db, documentMigrations.slice(0, 6))).toEqual(['documents-006-body-structure']);
    expect(await target.db.get("SELECT body, structure FROM document_body_snapshots WHERE document_id = 'old'")).toEqual({ body: '一、旧正文。', structure: null });
    await target.db.run('INSERT INTO document_body_snapshots (document_id, state, body, sha256, taken_by, taken_at, structure) VALUES (?, ?, ?, ?, ?, ?, ?)', ['new', 'signoff', '一、新', 'b'.repeat(64), 'u', 2, '{"version":1,"blocks":[]}']);
    expect(await target.db.get("SELECT structure FROM document_body_snapshots WHERE document_id = 'new'")).toEqual({ structure: '{"version":1,"blocks":[]}' });
  });

  it('exchange-001 creates exchange items indexed by both units', async () => {
    expect(await migrate(target.db, [exchangeMigrations[0]!])).toEqual(['exchange-001-items']);
    await target.db.run(
      "INSERT INTO exchange_items (id, document_id, from_unit_id, to_unit_id, title, pdf_sha256, urgency, secrecy_level, status, sent_by, sent_by_name, sent_at) VALUES ('e1', 'd1', 'u1', 'u2', '通知', 'x', 'normal', 'none', 'pending', 'p', '赵敏', 1)",
    );
    const row = await target.db.get<{ handled_at: number | null; incoming_document_id: string | null }>("SELECT handled_at, incoming_document_id FROM exchange_items WHERE id = 'e1'");
    expect(row).toEqual({ handled_at: null, incoming_document_id: null });
  });

  it('exchange-002 adds a change number to existing exchange items', async () => {
    expect(await migrate(target.db, exchangeMigrations.slice(0, 2))).toEqual(['exchange-002-change-feed']);
    expect(await target.db.get("SELECT change_seq FROM exchange_items WHERE id = 'e1'")).toEqual({ change_seq: 0 });
  });

  it('exchange-003 records each client id once per exchange item and person', async () => {
    expect(await migrate(target.db, exchangeMigrations.slice(0, 3))).toEqual(['exchange-003-action-ids']);
    const insert = 'INSERT INTO exchange_action_ids (exchange_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)';
    await target.db.run(insert, ['e1', 'c1', 'u1', 1]);
    await expect(target.db.run(insert, ['e1', 'c1', 'u1', 2])).rejects.toThrow();
    // The same id from another person, or on another item, is a different command.
    await target.db.run(insert, ['e1', 'c1', 'u2', 3]);
    await target.db.run(insert, ['e2', 'c1', 'u1', 4]);
    expect(await target.db.all("SELECT user_id FROM exchange_action_ids WHERE exchange_id = 'e1' AND client_id = 'c1' ORDER BY user_id")).toEqual([{ user_id: 'u1' }, { user_id: 'u2' }]);
  });
});
