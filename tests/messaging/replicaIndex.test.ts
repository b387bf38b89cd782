/**
 * Chat messages in the replica are searchable without paying for the full-text indexes while a
 * catch-up writes them: they are queued in the write's transaction and indexed when the replica
 * is idle, or by the search that needs them. Edits and 撤回 reach the index; a crash loses nothing.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openReplica } from '../../src/main/services/replica/replica';
import { ReplicaStore } from '../../src/main/services/replica/replicaStore';
import type { Message } from '../../src/shared/http/messaging';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'xt-chat-index-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const message = (seq: number, text: string, extra: Partial<Message> = {}): Message => ({
  id: `m-${seq}`,
  conversationId: 'unit.u1',
  seq,
  senderId: 'user-zhao',
  txnId: `txn-${seq}`,
  content: { type: 'text', text, mentions: [] },
  createdAt: 1_700_000_000_000 + seq,
  ...extra,
});

const queued = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM message_index_queue').get()?.n ?? 0;
  } finally {
    db.close();
  }
};

describe('the search index of chat messages', () => {
  it('is filled by the search that needs it, with the text as it is now (edited, withdrawn)', () => {
    const dir = tempDir();
    const store = new ReplicaStore({ file: join(dir, 'r.sqlite'), blobDir: join(dir, 'blobs') });
    try {
      store.putChatMessages(Array.from({ length: 3000 }, (_, i) => message(i + 1, `请报送值班表第${i + 1}号`)));
      expect(store.hasMessagesToIndex()).toBe(true);
      expect(store.searchMessages('第2999号', 10).map((hit) => hit.id)).toEqual(['m-2999']);
      expect(store.hasMessagesToIndex()).toBe(false);
      // An edit is found by its new words only; a withdrawn message by none.
      store.putChatMessages([message(7, '会议改到周五', { editedAt: 1 }), message(8, '', { content: null, recalled: { by: 'user-zhao', at: 2 } })]);
      expect(store.searchMessages('周五', 10).map((hit) => hit.id)).toEqual(['m-7']);
      expect(store.searchMessages('第7号', 10)).toEqual([]);
      expect(store.searchMessages('第8号', 10)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('survives a close before indexing: the next opening still indexes what was queued', () => {
    const dir = tempDir();
    const file = join(dir, 'r.sqlite');
    const first = new ReplicaStore({ file, blobDir: join(dir, 'blobs') });
    first.putChatMessages([message(1, '明天上午九点开会')]);
    first.close();
    expect(queued(file)).toBe(1);
    const second = new ReplicaStore({ file, blobDir: join(dir, 'blobs') });
    try {
      expect(second.hasMessagesToIndex()).toBe(true);
      expect(second.searchMessages('开会', 10).map((hit) => hit.id)).toEqual(['m-1']);
    } finally {
      second.close();
    }
  });

  it('is filled by the worker once it is idle, without a search', async () => {
    const dir = tempDir();
    const replica = await openReplica({ dir });
    try {
      await replica.putChatMessages(Array.from({ length: 1200 }, (_, i) => message(i + 1, `通知 ${i + 1}`)));
      const file = join(dir, 'replica.sqlite');
      expect(queued(file)).toBeGreaterThan(0);
      await expect.poll(() => queued(file), { timeout: 10_000, interval: 50 }).toBe(0);
    } finally {
      await replica.close();
    }
  });
});
