/**
 * How documents are kept in OFFLINE's replica so they can be shown without the server: one JSON
 * per document holding the list row the server sent, the full view once it was opened, and the
 * boxes it is in, and which PDF was last fetched for it (the bytes are a replica blob, by digest).
 * The replica indexes the top-level id/kind/title/state/docNumber/updatedAt.
 */
import { z } from 'zod';
import { DocumentBoxSchema, DocumentListItemSchema, DocumentViewSchema, SealPlacementSchema, type DocumentBox, type DocumentListItem, type DocumentView } from '../../../shared/http/documents';
import type { Replica } from '../replica/replica';

export const CachedDocumentSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: z.string(),
  docNumber: z.string().nullish(),
  updatedAt: z.string(),
  listItem: DocumentListItemSchema,
  /** The full view, kept only while it is as new as the list row. */
  view: DocumentViewSchema.optional(),
  boxes: z.array(DocumentBoxSchema),
  /** The last PDF fetched from the server: a blob of the replica, shown when the server is away. */
  pdf: z
    .object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      fetchedAt: z.string(),
      /** The document's `updatedAt` known when it was fetched. */
      version: z.string().optional(),
      sealPlacement: SealPlacementSchema.optional(),
    })
    .optional(),
  /**
   * A draft made here whose creation the server has not confirmed (offline drafting): kept in its
   * boxes whatever the server's lists say, until the server's own view replaces it.
   */
  local: z.boolean().optional(),
});
export type CachedDocument = z.infer<typeof CachedDocumentSchema>;

/** The list row of a full view (the server sends the same fields in its lists). */
export function listItemOf(view: DocumentView): DocumentListItem {
  return {
    id: view.id,
    kind: view.kind,
    type: view.type,
    title: view.title,
    state: view.state,
    stateLabel: view.stateLabel,
    docNumber: view.docNumber,
    urgency: view.fields.urgency,
    secrecyLevel: view.fields.secrecy.level,
    dueDate: view.fields.dueDate,
    holders: view.holders,
    updatedAt: view.updatedAt,
  };
}

export type CachedPdf = NonNullable<CachedDocument['pdf']>;

export type DocumentCacheReplica = Pick<Replica, 'getDocument' | 'upsertDocuments' | 'listBox'>;

export class DocumentCache {
  /**
   * Every change is a read, then a write of the whole entry, with worker round trips between: two at
   * once would lose one (a box page read before a PDF pointer was written would write the entry back
   * without it). Changes therefore run one after another, in the order they were asked for.
   */
  private changes: Promise<unknown> = Promise.resolve();

  constructor(private readonly replica: DocumentCacheReplica) {}

  private serially<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changes.then(change, change);
    this.changes = run.catch(() => undefined);
    return run;
  }

  async read(id: string): Promise<CachedDocument | null> {
    const parsed = CachedDocumentSchema.safeParse(await this.replica.getDocument(id));
    return parsed.success ? parsed.data : null;
  }

  /** Records a box page from the server; with `complete`, documents no longer in the box leave it. */
  putBox(box: DocumentBox, items: readonly DocumentListItem[], complete: boolean): Promise<void> {
    return this.serially(() => this.putBoxNow(box, items, complete));
  }

  private async putBoxNow(box: DocumentBox, items: readonly DocumentListItem[], complete: boolean): Promise<void> {
    const entries: CachedDocument[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(item.id);
      const old = await this.read(item.id);
      const boxes = [...new Set([...(old?.boxes ?? []), box])];
      const view = old?.view && old.view.updatedAt === item.updatedAt ? old.view : undefined;
      entries.push(this.entryOf(item, view, boxes, old?.pdf));
    }
    if (complete) {
      // Bounded: the replica's box pages are read 200 at a time, at most 25 pages (5,000 documents).
      let after: { updatedAt: string; id: string } | undefined;
      for (let page = 0; page < 25; page += 1) {
        const result = await this.replica.listBox(box, 200, after);
        for (const summary of result.items) {
          if (seen.has(summary.id)) continue;
          const old = await this.read(summary.id);
          if (old?.local) continue;
          if (old) entries.push({ ...old, boxes: old.boxes.filter((b) => b !== box) });
        }
        if (!result.next) break;
        after = result.next;
      }
    }
    await this.write(entries);
  }

  /** Records a full view (opened, created or acted on); `addBoxes` when we know it is in them now. */
  putView(view: DocumentView, addBoxes: readonly DocumentBox[] = []): Promise<void> {
    return this.serially(async () => {
      const old = await this.read(view.id);
      const boxes = [...new Set([...(old?.boxes ?? []), ...addBoxes])];
      await this.write([this.entryOf(listItemOf(view), view, boxes, old?.pdf)]);
    });
  }

  /** Records a draft made on this client, not yet on the server, in `boxes` (see `local`). */
  putLocalDraft(view: DocumentView, boxes: readonly DocumentBox[]): Promise<void> {
    return this.serially(() => this.write([{ ...this.entryOf(listItemOf(view), view, [...boxes], undefined), local: true }]));
  }

  /**
   * Points the document at the PDF blob just fetched (the previous pointer is replaced). False when
   * the document itself was never kept here: a PDF without its document could not be found offline.
   */
  putPdf(id: string, pdf: CachedPdf): Promise<boolean> {
    return this.serially(async () => {
      const old = await this.read(id);
      if (!old) return false;
      await this.write([{ ...old, pdf }]);
      return true;
    });
  }

  private entryOf(item: DocumentListItem, view: DocumentView | undefined, boxes: DocumentBox[], pdf: CachedPdf | undefined): CachedDocument {
    return { id: item.id, kind: item.kind, title: item.title, state: item.state, docNumber: item.docNumber ?? null, updatedAt: item.updatedAt, listItem: item, view, boxes, pdf };
  }

  private async write(entries: readonly CachedDocument[]): Promise<void> {
    if (entries.length === 0) return;
    await this.replica.upsertDocuments(entries.map((document) => ({ document, boxes: document.boxes })));
  }
}
