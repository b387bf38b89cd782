/**
 * The entries of a y-protocols awareness update, read without parsing their JSON states:
 * `[count]{[clientId][clock][state as a length-prefixed UTF-8 JSON string]}`. The room reads them
 * to check who may change which client's presence before y-protocols applies the update.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

import { ProtocolError } from './protocol';

/** One client's entry; `state` is the raw UTF-8 bytes of its JSON (`null` when it left). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Uint8Array;
}

const NULL_STATE = Uint8Array.of(0x6e, 0x75, 0x6c, 0x6c); // "null"

/** True when the entry removes the client's presence (its state is JSON `null`). */
export function isRemoval(entry: AwarenessEntry): boolean {
  const state = entry.state;
  return state.length === 4 && state[0] === NULL_STATE[0] && state[1] === NULL_STATE[1] && state[2] === NULL_STATE[2] && state[3] === NULL_STATE[3];
}

/** Reads every entry; throws {@link ProtocolError} when the update is truncated or malformed. */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  try {
    const count = decoding.readVarUint(decoder);
    // Each entry takes at least three bytes: a count beyond that is a lie, not a big update.
    if (count > update.length) throw new ProtocolError('malformed', 'malformed awareness update');
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarUint8Array(decoder);
      entries.push({ clientId, clock, state });
    }
    return entries;
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('malformed', 'malformed awareness update');
  }
}

/** Encodes entries back into an awareness update (after some were left out). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarUint8Array(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}
