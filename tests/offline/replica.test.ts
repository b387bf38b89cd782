import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { latestVersion, migrate, registerTextFunctions } from '../../src/main/services/replica/migrations';
import { ReplicaStore, mergeRoomUpdates } from '../../src/main/services/replica/replicaStore';
import { openReplica, ReplicaError } from '../../src/main/services/replica/replica';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'xt-replica-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const doc = (id: string, title: string, updatedAt: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'outgoing',
  title,
  state: 'draft',
  updatedAt,
  ...extra,
});

/** Data written with the raw SQL of each schema version, as an app of that version would have. */
const seedAt: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    db.prepare('INSERT INTO documents (id, kind, title, doc_number, state, updated_at, json) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      'd-old',
      'outgoing',
      '关于召开安全生产会议的通知',
      '市府办〔2024〕7号',
      'review',
      '2024-03-01T08:00:00.000Z',
      JSON.stringify(doc('d-old', '关于召开安全生产会议的通知', '2024-03-01T08:00:00.000Z', { docNumber: '市府办〔2024〕7号', state: 'review', custom: 42 })),
    );
    db.prepare("INSERT INTO document_boxes (box, document_id, updated_at) VALUES ('todo', 'd-old', '2024-03-01T08:00:00.000Z')").run();
    const ydoc = new Y.Doc();
    ydoc.getText('t').insert(0, '旧内容');
    db.prepare('INSERT INTO room_updates (room, data, created_at) VALUES (?, ?, 0)').run('doc:d-old', Y.encodeStateAsUpdate(ydoc));
    db.prepare("INSERT INTO messages (id, conversation, sender, text, sent_at, status) VALUES ('m1', 'c1', 'u1', '明天开会请准时参加', '2024-03-01T09:00:00.000Z', 'sent')").run();
    db.prepare(
      "INSERT INTO outbox (client_id, command, status, created_at, updated_at) VALUES ('6f1c1d3e-8a55-4a39-9b59-3c3f5d1b2a10', ?, 'pending', 1, 1)",
    ).run(JSON.stringify({ type: 'document.action', documentId: 'd-old', action: 'approve' }));
  },
  // A version-2 app indexed what it stored (title, number, body; message text) as it wrote it.
  2: (db) => {
    db.prepare("INSERT INTO document_bodies (document_id, body) VALUES ('d-old', '请各单位报送值班表')").run();
    db.exec(`
      INSERT INTO document_fts(rowid, title, doc_number, body)
        SELECT d.rowid, d.title, coalesce(d.doc_number, ''), coalesce(b.body, '') FROM documents d LEFT JOIN document_bodies b ON b.document_id = d.id;
      INSERT INTO document_fts2(rowid, grams)
        SELECT d.rowid, xt_bigrams(d.title || ' ' || coalesce(d.doc_number, '') || ' ' || coalesce(b.body, '')) FROM documents d LEFT JOIN document_bodies b ON b.document_id = d.id;
      INSERT INTO message_fts(rowid, text) SELECT rowid, text FROM messages;
      INSERT INTO message_fts2(rowid, grams) SELECT rowid, xt_bigrams(text) FROM messages;
    `);
  },
};

describe('replica migrations', () => {
  it('creates a new replica at the latest version', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(latestVersion);
    expect(latestVersion).toBeGreaterThanOrEqual(2);
    db.close();
  });

  for (let from = 1; from < latestVersion; from += 1) {
    it(`upgrades a replica written at version ${from} to ${latestVersion} keeping its data`, () => {
      const dir = tempDir();
      const file = join(dir, 'replica.sqlite');
      const old = new Database(file);
      registerTextFunctions(old);
      migrate(old, from);
      expect(old.pragma('user_version', { simple: true })).toBe(from);
      for (let v = 1; v <= from; v += 1) seedAt[v]?.(old);
      old.close();

      const store = new ReplicaStore({ file, blobDir: join(dir, 'blobs') });
      try {
        expect(store.db.pragma('user_version', { simple: true })).toBe(latestVersion);
        expect(store.getDocument('d-old')).toMatchObject({ custom: 42, docNumber: '市府办〔2024〕7号' });
        expect(store.listBox('todo', 10).items.map((item) => item.id)).toEqual(['d-old']);
        const restored = new Y.Doc();
        Y.applyUpdate(restored, store.loadRoom('doc:d-old')!);
        expect(restored.getText('t').toJSON()).toBe('旧内容');
        expect(store.nextPendingCommand()?.command).toEqual({ type: 'document.action', documentId: 'd-old', action: 'approve' });
        // Data from before search existed is searchable after the upgrade.
        expect(store.searchDocuments('会议', 10).map((hit) => hit.id)).toEqual(['d-old']);
        expect(store.searchDocuments('安全生产', 10).map((hit) => hit.id)).toEqual(['d-old']);
        expect(store.searchMessages('开会', 10).map((hit) => hit.id)).toEqual(['m1']);
        if (from >= 2) expect(store.searchDocuments('值班表', 10).map((hit) => hit.id)).toEqual(['d-old']);
      } finally {
        store.close();
      }
    });
  }

  it('refuses a replica written by a newer client instead of guessing', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${latestVersion + 1}`);
    expect(() => migrate(db)).toThrow(/升级客户端/);
    db.close();
  });
});

describe('replica store', () => {
  const open = (threshold?: number) => {
    const dir = tempDir();
    return { dir, store: new ReplicaStore({ file: join(dir, 'r.sqlite'), blobDir: join(dir, 'blobs'), compactThreshold: threshold }) };
  };

  it('pages a box newest first with a stable cursor and keeps the server JSON', () => {
    const { store } = open();
    const entries = Array.from({ length: 7 }, (_, i) => ({
      document: doc(`d${i}`, `文件${i}`, `2024-01-0${i + 1}T00:00:00.000Z`, { holders: ['u1'] }),
      boxes: i % 2 === 0 ? ['todo'] : ['done'],
    }));
    store.upsertDocuments(entries);
    const first = store.listBox('todo', 2);
    expect(first.items.map((item) => item.id)).toEqual(['d6', 'd4']);
    const second = store.listBox('todo', 2, first.next!);
    expect(second.items.map((item) => item.id)).toEqual(['d2', 'd0']);
    expect(second.next).toBeNull();
    expect(store.getDocument('d3')).toMatchObject({ holders: ['u1'] });
    // Moving a document between boxes (server says it is done now).
    store.upsertDocuments([{ document: doc('d6', '文件6', '2024-02-01T00:00:00.000Z', { state: 'archived' }), boxes: ['done'] }]);
    expect(store.listBox('todo', 10).items.map((item) => item.id)).toEqual(['d4', 'd2', 'd0']);
    expect(store.listBox('done', 1).items[0]).toMatchObject({ id: 'd6', state: 'archived' });
    store.close();
  });

  it('rejects a malformed document without storing any of its batch', () => {
    const { store } = open();
    expect(() => store.upsertDocuments([{ document: doc('ok', '好', '2024-01-01') }, { document: { id: 'bad' } }])).toThrow(/格式无效/);
    expect(store.getDocument('ok')).toBeNull();
    store.close();
  });

  it('compacts a room into one row without changing its content', () => {
    const { store } = open(10);
    const writer = new Y.Doc();
    writer.on('update', (update: Uint8Array) => store.appendRoomUpdate('doc:1', update));
    for (let i = 0; i < 25; i += 1) writer.getText('body').insert(writer.getText('body').length, `第${i}段。`);
    expect(store.roomRowCount('doc:1')).toBe(25);
    expect(store.roomsToCompact()).toEqual(['doc:1']);
    expect(store.compactRoom('doc:1')).toEqual({ before: 25, after: 1 });
    writer.getText('body').insert(0, '标题');
    expect(store.roomRowCount('doc:1')).toBe(2);
    const reader = new Y.Doc();
    Y.applyUpdate(reader, store.loadRoom('doc:1')!);
    expect(reader.getText('body').toJSON()).toBe(writer.getText('body').toJSON());
    expect(store.loadRoom('doc:none')).toBeNull();
    store.close();
  });

  it('stores blobs by SHA-256 atomically and refuses a damaged file', () => {
    const { dir, store } = open();
    const data = new TextEncoder().encode('签批单 PDF 内容');
    const sha = store.putBlob(data, 'application/pdf');
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(store.putBlob(data, 'application/pdf')).toBe(sha);
    expect(Buffer.from(store.getBlob(sha)!.data).toString()).toBe('签批单 PDF 内容');
    const folder = join(dir, 'blobs', sha.slice(0, 2));
    expect(readdirSync(folder)).toEqual([sha]); // no temp files left behind
    writeFileSync(join(folder, sha), 'tampered');
    expect(() => store.getBlob(sha)).toThrow(/损坏/);
    store.close();
  });

  it('keeps the outbox in order, idempotent per clientId, and records rejections with the reason', () => {
    const { store } = open();
    const a = store.enqueueCommand('00000000-0000-4000-8000-000000000001', { type: 'document.action', documentId: 'd1', action: 'submit' }, 'u1', 1);
    store.enqueueCommand('00000000-0000-4000-8000-000000000002', { type: 'message.send', conversation: 'c1', text: '收到' }, 'u1', 2);
    const again = store.enqueueCommand('00000000-0000-4000-8000-000000000001', { type: 'document.action', documentId: 'd1', action: 'submit' }, 'u1', 3);
    expect(again.seq).toBe(a.seq);
    expect(store.nextPendingCommand()?.clientId).toBe(a.clientId);
    expect(store.listMessages('c1', 10)).toMatchObject([{ id: '00000000-0000-4000-8000-000000000002', status: 'pending', text: '收到' }]);
    store.recordAttempt(a.clientId, '网络不可用', 4);
    expect(store.nextPendingCommand()).toMatchObject({ clientId: a.clientId, attempts: 1, reason: '网络不可用' });
    store.markCommandRejected(a.clientId, '该公文已被他人处理', 5);
    expect(store.nextPendingCommand()?.clientId).toBe('00000000-0000-4000-8000-000000000002');
    store.markCommandSent('00000000-0000-4000-8000-000000000002', { id: 'srv-1' }, 6);
    expect(store.nextPendingCommand()).toBeNull();
    expect(store.listOutbox('rejected')).toMatchObject([{ reason: '该公文已被他人处理', status: 'rejected' }]);
    expect(store.listMessages('c1', 10)[0]?.status).toBe('sent');
    store.close();
  });

  it('keeps a sent message in its place in the thread as soon as the server answers, once', () => {
    const { store } = open();
    const mine = '00000000-0000-4000-8000-0000000000a1';
    store.putChatMessages([{ id: 'srv-1', conversationId: 'c1', seq: 1, senderId: 'u2', txnId: 't-1', createdAt: 1, content: { type: 'text', text: '请报送值班表', mentions: [] } }]);
    store.enqueueCommand(mine, { type: 'message.send', conversation: 'c1', text: '收到' }, 'u1', 2);
    expect(store.chatHistory('c1', 10).items.map((m) => [m.seq, m.status])).toEqual([
      [1, 'sent'],
      [null, 'pending'],
    ]);
    // The server's answer is the stored message: 已发送 and its seq come together, before any catch-up.
    store.markCommandSent(mine, { id: 'srv-2', conversationId: 'c1', seq: 2, senderId: 'u1', txnId: mine, createdAt: 3, content: { type: 'text', text: '收到', mentions: [] } }, 4);
    expect(store.chatHistory('c1', 10).items.map((m) => [m.id, m.seq, m.status])).toEqual([
      ['srv-1', 1, 'sent'],
      ['srv-2', 2, 'sent'],
    ]);
    // The catch-up brings the same message again: still one row.
    store.putChatMessages([{ id: 'srv-2', conversationId: 'c1', seq: 2, senderId: 'u1', txnId: mine, createdAt: 3, content: { type: 'text', text: '收到', mentions: [] } }]);
    expect(store.chatHistory('c1', 10).items).toHaveLength(2);
    store.close();
  });

  it('keeps the directory and message history', () => {
    const { store } = open();
    store.replaceDirectory([{ id: 'u-gov', name: '市政府办公室' }], [{ id: 'wang', unitId: 'u-gov', name: '王建国', roles: ['leader'] }]);
    store.replaceDirectory([{ id: 'u-gov', name: '市政府办公室' }, { id: 'u-fgw', name: '市发展和改革委员会' }], [{ id: 'liu', unitId: 'u-fgw', name: '刘强' }]);
    expect(store.listUnits().map((unit) => unit.id).sort()).toEqual(['u-fgw', 'u-gov']);
    expect(store.listUsers('u-gov')).toEqual([]);
    expect(store.listUsers('u-fgw')).toEqual([{ id: 'liu', unitId: 'u-fgw', name: '刘强' }]);
    store.putMessages(
      Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, conversation: 'c', sender: 'wang', text: `消息${i}`, sentAt: `2024-01-01T00:00:0${i}.000Z`, status: 'sent' as const })),
    );
    expect(store.listMessages('c', 2).map((m) => m.id)).toEqual(['m3', 'm4']);
    expect(store.listMessages('c', 2, '2024-01-01T00:00:03.000Z').map((m) => m.id)).toEqual(['m1', 'm2']);
    store.close();
  });
});

describe('replica worker', () => {
  it('serves typed calls from its own thread and returns failures as errors with the reason', async () => {
    const dir = tempDir();
    const replica = await openReplica({ dir });
    try {
      await replica.upsertDocuments([{ document: doc('w1', '关于春节值班安排的通知', '2024-01-01T00:00:00.000Z'), boxes: ['todo'] }]);
      expect((await replica.listBox('todo', 10)).items[0]).toMatchObject({ id: 'w1', title: '关于春节值班安排的通知' });
      const update = (() => {
        const d = new Y.Doc();
        d.getText('t').insert(0, 'hi');
        return Y.encodeStateAsUpdate(d);
      })();
      await replica.appendRoomUpdate('doc:w1', update);
      const loaded = await replica.loadRoom('doc:w1');
      expect(loaded).toBeInstanceOf(Uint8Array);
      await expect(replica.upsertDocuments([{ document: { nope: true } }])).rejects.toBeInstanceOf(ReplicaError);
      expect((await replica.searchDocuments('值班', 5)).map((hit) => hit.id)).toEqual(['w1']);
    } finally {
      await replica.close();
    }
    // Reopening sees what the worker wrote.
    const again = await openReplica({ dir });
    expect(await again.getDocument('w1')).toMatchObject({ title: '关于春节值班安排的通知' });
    await again.close();
  });

  it('compacts a busy room in the background', async () => {
    const dir = tempDir();
    const failures: string[] = [];
    const replica = await openReplica({ dir, compactThreshold: 20, onBackgroundError: (m) => failures.push(m) });
    const d = new Y.Doc();
    const writes: Promise<unknown>[] = [];
    d.on('update', (u: Uint8Array) => writes.push(replica.appendRoomUpdate('doc:busy', u)));
    for (let i = 0; i < 60; i += 1) d.getText('t').insert(0, 'x');
    await Promise.all(writes);
    // Compaction runs when the worker is idle (or at once past twice the threshold): poll, bounded.
    let rows = await replica.roomRowCount('doc:busy');
    for (let i = 0; i < 100 && rows > 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      rows = await replica.roomRowCount('doc:busy');
    }
    expect(failures).toEqual([]);
    expect(rows).toBeLessThanOrEqual(20);
    const reader = new Y.Doc();
    Y.applyUpdate(reader, (await replica.loadRoom('doc:busy'))!);
    expect(reader.getText('t').length).toBe(60);
    await replica.close();
  });
});

describe('merging room updates', () => {
  it('merges thousands of updates in groups into the same state', () => {
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => updates.push(u));
    let seed = 7;
    for (let i = 0; i < 5000; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const text = writer.getText('body');
      text.insert(seed % (text.length + 1), i % 2 ? '文' : '件');
      if (i % 10 === 0 && text.length > 2) text.delete(0, 1);
    }
    const reader = new Y.Doc();
    Y.applyUpdate(reader, mergeRoomUpdates(updates));
    expect(reader.getText('body').toJSON()).toBe(writer.getText('body').toJSON());
    expect(mergeRoomUpdates(updates.slice(0, 1))).toBe(updates[0]);
    expect(() => mergeRoomUpdates([])).toThrow();
  });
});
