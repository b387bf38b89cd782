/**
 * Keeps the search index's copy of each document body current. The body lives in the Yjs room
 * `doc:<documentId>`; after edits settle (a short quiet period, so typing does not re-index on
 * every keystroke) its plain text is extracted and stored in the replica.
 */
import type * as Y from 'yjs';
import { extractText } from './bodyText';
import type { ReplicaApi } from '../replica/protocol';

/** `doc:<id>` → `<id>`; other rooms (comments, annotations) are not document bodies. */
export const documentIdOfRoom = (room: string): string | null => (room.startsWith('doc:') && room.length > 4 ? room.slice(4) : null);

export interface BodyIndexer {
  /** Notes that `doc` (room `room`) changed; the text is indexed after `delayMs` without changes. */
  changed(room: string, doc: Y.Doc): void;
  /** Indexes everything still waiting, now. */
  flush(): Promise<void>;
}

export function createBodyIndexer(replica: Pick<ReplicaApi, 'setDocumentBody'>, options: { delayMs?: number; onError?: (error: unknown) => void } = {}): BodyIndexer {
  const delayMs = options.delayMs ?? 750;
  const waiting = new Map<string, { doc: Y.Doc; timer: NodeJS.Timeout }>();

  const index = async (room: string, doc: Y.Doc): Promise<void> => {
    const documentId = documentIdOfRoom(room);
    if (!documentId) return;
    try {
      await replica.setDocumentBody(documentId, extractText(doc));
    } catch (error) {
      options.onError?.(error);
    }
  };

  return {
    changed(room, doc) {
      if (!documentIdOfRoom(room)) return;
      const previous = waiting.get(room);
      if (previous) clearTimeout(previous.timer);
      const timer = setTimeout(() => {
        waiting.delete(room);
        void index(room, doc);
      }, delayMs);
      timer.unref();
      waiting.set(room, { doc, timer });
    },
    async flush() {
      const all = [...waiting];
      waiting.clear();
      await Promise.all(
        all.map(([room, { doc, timer }]) => {
          clearTimeout(timer);
          return index(room, doc);
        }),
      );
    },
  };
}
