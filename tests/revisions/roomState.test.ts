/**
 * `roomState`: the state and snapshot a workflow step stores as a version of the body. A room nothing
 * was ever written to answers bytes encoded once; they must be exactly what a fresh document encodes,
 * and no caller may spoil them for the next.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomState } from '../../src/sync-server/documents/revisionVersions';
import type { RoomName } from '../../src/shared/rooms';
import { addParagraph, paragraphsOf } from './lexicalDoc';

const noUpdates = (): Promise<Uint8Array[]> => Promise.resolve([]);

describe('roomState', () => {
  it('answers an empty room exactly as a fresh document encodes it', async () => {
    const fresh = new Y.Doc({ gc: false });
    const { state, snapshot } = await roomState(noUpdates, 'doc-1');
    expect([...state]).toEqual([...Y.encodeStateAsUpdate(fresh)]);
    expect([...snapshot]).toEqual([...Y.encodeSnapshot(Y.snapshot(fresh))]);
    // A version of it decodes as an empty body.
    const restored = new Y.Doc();
    Y.applyUpdate(restored, state);
    expect(paragraphsOf(restored)).toEqual([]);
    expect(Y.decodeSnapshot(snapshot).sv.size).toBe(0);
  });

  it('gives every caller its own bytes: changing one answer leaves the next intact', async () => {
    const first = await roomState(noUpdates, 'doc-1');
    const expected = { state: [...first.state], snapshot: [...first.snapshot] };
    first.state.fill(7);
    first.snapshot.fill(7);
    const second = await roomState(noUpdates, 'doc-2');
    expect([...second.state]).toEqual(expected.state);
    expect([...second.snapshot]).toEqual(expected.snapshot);
  });

  it('encodes a room with content from its stored updates, and asks for the document’s own room', async () => {
    const body = new Y.Doc();
    addParagraph(body, '一、各单位要认真组织自查。');
    const asked: RoomName[] = [];
    const load = (room: RoomName): Promise<Uint8Array[]> => {
      asked.push(room);
      return Promise.resolve([Y.encodeStateAsUpdate(body)]);
    };
    const { state, snapshot } = await roomState(load, 'doc-9');
    expect(asked).toEqual(['doc:doc-9']);
    const restored = new Y.Doc();
    Y.applyUpdate(restored, state);
    expect(paragraphsOf(restored)).toHaveLength(1);
    expect([...Y.encodeStateVector(restored)]).toEqual([...Y.encodeStateVector(body)]);
    expect(Y.decodeSnapshot(snapshot).sv.get(body.clientID)).toBeGreaterThan(0);
    // The empty room's shared bytes are untouched by a room with content.
    const empty = await roomState(noUpdates, 'doc-1');
    expect([...empty.state]).toEqual([...Y.encodeStateAsUpdate(new Y.Doc())]);
  });
});
