/** The messaging migration on both adapters: tables, the one order per conversation, one message per txn id. */
import { expect, it } from 'vitest';
import { allMigrations } from '../../src/sync-server/app';
import { messagingMigrations } from '../../src/sync-server/messaging/migrations';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

describeOnBothAdapters('messaging migrations on $name', 'xt-msg-migrations-', (target) => {
  it('messaging-001 creates the tables; a sequence and a sender’s txn id are unique', async () => {
    const before = allMigrations().filter((m) => !messagingMigrations.includes(m));
    await migrate(target.db, before);
    expect(await migrate(target.db, messagingMigrations)).toEqual(['messaging-001-conversations-messages']);
    expect(await target.db.tables()).toEqual(expect.arrayContaining(['chat_conversations', 'chat_members', 'chat_messages', 'chat_message_edits', 'chat_recall_audit', 'chat_reads', 'chat_files']));
    const db = target.db;
    await db.run("INSERT INTO chat_conversations (id, kind, title, created_at) VALUES ('c1', 'group', '群', 1)");
    expect(await db.get("SELECT last_seq, last_message_at FROM chat_conversations WHERE id = 'c1'")).toEqual({ last_seq: 0, last_message_at: 0 });
    await db.run("INSERT INTO chat_messages (id, conversation_id, seq, sender_id, txn_id, content, created_at) VALUES ('m1', 'c1', 1, 'u1', 't1', '{}', 1)");
    await expect(db.run("INSERT INTO chat_messages (id, conversation_id, seq, sender_id, txn_id, content, created_at) VALUES ('m2', 'c1', 1, 'u2', 't2', '{}', 1)")).rejects.toThrow();
    await expect(db.run("INSERT INTO chat_messages (id, conversation_id, seq, sender_id, txn_id, content, created_at) VALUES ('m3', 'c1', 2, 'u1', 't1', '{}', 1)")).rejects.toThrow();
    await expect(db.run("INSERT INTO chat_messages (id, conversation_id, seq, sender_id, txn_id, content, created_at) VALUES ('m4', 'nope', 1, 'u1', 't4', '{}', 1)")).rejects.toThrow();
    const updated = await db.get<{ last_seq: number }>("UPDATE chat_conversations SET last_seq = last_seq + 1 WHERE id = 'c1' RETURNING last_seq");
    expect(updated).toEqual({ last_seq: 1 });
  });
});
