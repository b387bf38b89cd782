import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';

import type { RoomName } from '../../src/shared/rooms';
import { applyAll } from '../../src/sync-server/sync/compaction';
import { encodeSyncUpdate } from '../../src/sync-server/sync/protocol';
import { closed, connectProvider, openRaw, sqliteSyncSuite, waitFor, waitSynced } from './helpers';

/**
 * What the server stores and relays for each update a client sends: the update itself once it
 * changed the room, nothing for a duplicate, and what it took in of an update that turned out
 * malformed halfway.
 */
describe('sync service: what is stored and relayed', () => {
  const suite = sqliteSyncSuite();

  /** A raw socket in `room` that records the sync updates the server relays to it. */
  async function listener(room: string): Promise<{ ws: WebSocket; updates: Uint8Array[] }> {
    const ws = await openRaw(`${suite.sync.url}/${room}?token=tok-alice`);
    const updates: Uint8Array[] = [];
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 2) return;
      updates.push(decoding.readVarUint8Array(decoder));
    });
    return { ws, updates };
  }

  /** The updates a document emits for each of `edits`, in order. */
  function updatesOf(...edits: Array<(doc: Y.Doc) => void>): Uint8Array[] {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (const edit of edits) edit(doc);
    return updates;
  }

  /** The room as the store holds it. */
  async function storedDoc(room: RoomName): Promise<Y.Doc> {
    const doc = new Y.Doc();
    applyAll(doc, await suite.store.load(room), null);
    return doc;
  }

  it('stores and relays an update once: the same update sent again goes nowhere', async () => {
    const room = 'doc:relay-duplicate' as RoomName;
    const [update] = updatesOf((doc) => doc.getText('body').insert(0, '通知'));
    const reader = await listener(room);
    const writer = await openRaw(`${suite.sync.url}/${room}?token=tok-alice`);
    try {
      writer.send(encodeSyncUpdate(update!));
      await waitFor(() => reader.updates.length === 1, 'the update relayed');
      writer.send(encodeSyncUpdate(update!));
      writer.send(encodeSyncUpdate(update!));
      await suite.sync.service.flush();
      // A message sent after the duplicates arrives after anything they could have caused.
      const [next] = updatesOf((doc) => doc.getMap('meta').set('密级', '内部'));
      writer.send(encodeSyncUpdate(next!));
      await waitFor(() => reader.updates.length >= 2, 'the next update relayed');
      expect(reader.updates).toHaveLength(2);
      expect(await suite.store.count(room)).toBe(2);
    } finally {
      writer.terminate();
      reader.ws.terminate();
    }
  });

  it('stores and relays an update whose predecessor has not arrived yet; the room converges when it does', async () => {
    const room = 'doc:relay-out-of-order' as RoomName;
    const [first, second] = updatesOf(
      (doc) => doc.getText('body').insert(0, '关于'),
      (doc) => doc.getText('body').insert(2, '开展检查的通知'),
    );
    const reader = connectProvider(suite.sync.url, room, 'tok-alice');
    const writer = await openRaw(`${suite.sync.url}/${room}?token=tok-alice`);
    try {
      await waitSynced(reader);
      writer.send(encodeSyncUpdate(second!));
      await suite.sync.service.flush();
      // Held back by every replica until its predecessor comes, but durable on the server already.
      await waitFor(() => reader.doc.store.pendingStructs !== null, 'the reader holds the update back');
      expect(await suite.store.count(room)).toBe(1);
      writer.send(encodeSyncUpdate(first!));
      await waitFor(() => reader.doc.getText('body').toJSON() === '关于开展检查的通知', 'the reader converged');
      await suite.sync.service.flush();
      expect((await storedDoc(room)).getText('body').toJSON()).toBe('关于开展检查的通知');
    } finally {
      writer.terminate();
      reader.destroy();
    }
  });

  it('stores and relays what it took in of an update malformed after its content, then closes the sender with 1007', async () => {
    const room = 'doc:relay-malformed-tail' as RoomName;
    // Overwriting a key sends the new value and, at the end, the deletion of the old one.
    const [draft, approved] = updatesOf(
      (doc) => doc.getMap('flow').set('state', '拟稿'),
      (doc) => doc.getMap('flow').set('state', '已签发'),
    );
    const reader = connectProvider(suite.sync.url, room, 'tok-alice');
    const writer = await openRaw(`${suite.sync.url}/${room}?token=tok-alice`);
    try {
      await waitSynced(reader);
      writer.send(encodeSyncUpdate(draft!));
      await waitFor(() => reader.doc.getMap('flow').get('state') === '拟稿', 'the draft relayed');
      const closing = closed(writer);
      writer.send(encodeSyncUpdate(approved!.subarray(0, approved!.length - 1)));
      expect(await closing).toEqual({ code: 1007, reason: 'malformed update' });
      await waitFor(() => reader.doc.getMap('flow').get('state') === '已签发', 'what was taken in relayed');
      await suite.sync.service.flush();
      expect((await storedDoc(room)).getMap('flow').get('state')).toBe('已签发');
    } finally {
      writer.terminate();
      reader.destroy();
    }
  });
});
