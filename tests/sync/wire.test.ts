import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';

import { decodePeerMessage, encodeAwareness, encodePeerMessage, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../../src/sync-server/sync/protocol';
import { encodeBinaryFrame, MAX_FRAMED_PAYLOAD } from '../../src/sync-server/sync/wsFrame';

/** ws's own framing (untyped in @types/ws): the reference our frames must equal. */
const { Sender } = wsModule as unknown as {
  Sender: { frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] };
};

/** Lengths around every boundary of a LEB128 length and of a WebSocket frame header. */
const LENGTHS = [0, 1, 125, 126, 127, 128, 16_383, 16_384, 65_535, 65_536, 2_097_152];

function payload(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
}

describe('the bytes the sync service writes', () => {
  it('encodes sync and awareness messages exactly as lib0 (what every y-websocket client decodes)', () => {
    for (const length of LENGTHS) {
      const data = payload(length);
      for (const [step, encode] of [
        [1, encodeSyncStep2],
        [2, encodeSyncUpdate],
      ] as const) {
        const expected = encoding.createEncoder();
        encoding.writeVarUint(expected, 0);
        encoding.writeVarUint(expected, step);
        encoding.writeVarUint8Array(expected, data);
        expect(Buffer.from(encode(data)).equals(Buffer.from(encoding.toUint8Array(expected))), `length ${length}`).toBe(true);
      }
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, 0);
      encoding.writeVarUint(step1, 0);
      encoding.writeVarUint8Array(step1, data);
      expect(Buffer.from(encodeSyncStep1(data)).equals(Buffer.from(encoding.toUint8Array(step1))), `step 1, length ${length}`).toBe(true);
      const awareness = encoding.createEncoder();
      encoding.writeVarUint(awareness, 1);
      encoding.writeVarUint8Array(awareness, data);
      expect(Buffer.from(encodeAwareness(data)).equals(Buffer.from(encoding.toUint8Array(awareness))), `awareness, length ${length}`).toBe(true);
    }
  });

  it('frames a binary message exactly as ws does, up to 64 KiB − 1', () => {
    for (const length of LENGTHS.filter((n) => n <= MAX_FRAMED_PAYLOAD)) {
      const data = payload(length);
      const expected = Buffer.concat(Sender.frame(Buffer.from(data), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }));
      expect(encodeBinaryFrame(data).equals(expected), `length ${length}`).toBe(true);
    }
    expect(() => encodeBinaryFrame(payload(MAX_FRAMED_PAYLOAD + 1))).toThrow(RangeError);
  });
});

describe('the frame between instances', () => {
  it('names the person behind each presence, and still reads a frame from an instance that does not', () => {
    const payload = Uint8Array.of(1, 2, 3);
    const owners = [[909_001, 'bob'], [7, '李文']] as const;
    expect(decodePeerMessage(encodePeerMessage({ kind: 'awareness', from: 'i1', payload, owners }))).toEqual({ kind: 'awareness', from: 'i1', payload, owners });
    // What an instance from before owners were added publishes: `[from][kind][payload]` only.
    const older = encoding.createEncoder();
    encoding.writeVarString(older, 'i0');
    encoding.writeVarUint(older, 1);
    encoding.writeVarUint8Array(older, payload);
    expect(decodePeerMessage(encoding.toUint8Array(older))).toEqual({ kind: 'awareness', from: 'i0', payload, owners: [] });
    // A corrupt owner list is not a frame at all.
    const corrupt = encodePeerMessage({ kind: 'awareness', from: 'i1', payload, owners });
    expect(decodePeerMessage(corrupt.subarray(0, corrupt.length - 2))).toBeNull();
    expect(decodePeerMessage(Uint8Array.of(...encodePeerMessage({ kind: 'awareness', from: 'i1', payload }), 0xff, 0xff, 0xff, 0x7f))).toBeNull();
  });
});
