import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import type { RoomName } from '../../src/shared/rooms';
import { connectProvider, sqliteSyncSuite, waitFor, waitSynced } from './helpers';

/** `count` small updates, each one character typed at the end of the text. */
function typedUpdates(count: number): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('body');
  for (let i = 0; i < count; i++) text.insert(text.length, String.fromCharCode(0x4e00 + (i % 500)));
  return { updates, text: text.toJSON() };
}

describe('background compaction and idle unloading', () => {
  const suite = sqliteSyncSuite({ limits: { idleUnloadMs: 100, compactAfterUpdates: 200 } });

  it('merges a room of 100,000 small updates into one row with the same content', async () => {
    const room = 'doc:big' as RoomName;
    const { updates, text } = typedUpdates(100_000);
    for (let i = 0; i < updates.length; i += 10_000) {
      await suite.store.appendBatch(updates.slice(i, i + 10_000).map((update) => ({ room, update })));
    }
    expect(await suite.store.count(room)).toBe(100_000);
    const client = connectProvider(suite.sync.url, room, 'tok-alice');
    try {
      await waitSynced(client);
      expect(client.doc.getText('body').toJSON()).toBe(text);
      await waitFor(() => suite.store.db.prepare('SELECT count(*) AS n FROM sync_room_updates WHERE room = ?').pluck().get(room) === 1, 'room compacted', 60_000);
    } finally {
      client.destroy();
    }
    const rows = await suite.store.load(room);
    expect(rows).toHaveLength(1);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, rows[0]!);
    expect(loaded.getText('body').toJSON()).toBe(text);
  }, 120_000);

  it('compacts a live room once it passes the threshold, keeping edits made meanwhile', async () => {
    const room = 'doc:live';
    const writer = connectProvider(suite.sync.url, room, 'tok-alice');
    const observer = connectProvider(suite.sync.url, room, 'tok-alice');
    try {
      await Promise.all([waitSynced(writer), waitSynced(observer)]);
      const map = writer.doc.getMap<number>('m');
      for (let i = 0; i < 450; i++) {
        map.set(`k${i}`, i);
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // The observer gets an edit only after it was committed.
      await waitFor(() => observer.doc.getMap('m').size === 450, 'observer has every edit');
      await waitFor(() => /xietong_sync_compactions_total [2-9]/.test(suite.sync.service.metricsText()), 'live room compacted');
    } finally {
      writer.destroy();
      observer.destroy();
    }
    expect(await suite.store.count(room as RoomName)).toBeLessThan(450);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, Y.mergeUpdates(await suite.store.load(room as RoomName)));
    expect(loaded.getMap('m').size).toBe(450);
  });

  it('unloads a room nobody is in and reloads it from the store', async () => {
    const room = 'doc:idle';
    const writer = connectProvider(suite.sync.url, room, 'tok-alice');
    await waitSynced(writer);
    writer.doc.getText('body').insert(0, '暂存');
    await suite.sync.service.flush();
    writer.destroy();
    await waitFor(() => /xietong_sync_rooms_unloaded_total [1-9]/.test(suite.sync.service.metricsText()), 'idle room unloaded');
    const reader = connectProvider(suite.sync.url, room, 'tok-alice');
    try {
      await waitSynced(reader);
      await waitFor(() => reader.doc.getText('body').toJSON() === '暂存', 'content reloaded');
    } finally {
      reader.destroy();
    }
  });
});
