/**
 * Merging a room's stored updates into one. Applying them to a fresh document and encoding its
 * state (rather than only concatenating with `Y.mergeUpdates`) also garbage-collects deleted
 * content, so a long-edited room loads as one small update.
 */
import * as Y from 'yjs';

/** The state of every update together, as one update. */
export function compactUpdates(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, Y.mergeUpdates(updates));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
