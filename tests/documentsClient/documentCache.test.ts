/**
 * The client's document cache changes an entry by reading it and writing it whole, with replica
 * round trips between. Run at once, a box page read before a PDF pointer was written used to write
 * the entry back without it (the kept PDF then vanished offline).
 */
import { describe, expect, it } from 'vitest';
import { DocumentCache, type DocumentCacheReplica } from '../../src/main/services/documents/documentCache';
import type { DocumentListItem } from '../../src/shared/http/documents';

/** A replica whose calls take a few milliseconds, as the worker's round trips do. */
function slowReplica(): DocumentCacheReplica & { rows: Map<string, unknown> } {
  const rows = new Map<string, unknown>();
  const later = <T>(value: () => T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value()), ms));
  return {
    rows,
    getDocument: (id: string) => later(() => structuredClone(rows.get(id) ?? null), 5),
    upsertDocuments: (entries: ReadonlyArray<{ document: { id: string } }>) => later(() => entries.forEach((entry) => rows.set(entry.document.id, structuredClone(entry.document))), 5),
    listBox: () => Promise.resolve({ items: [] }),
  } as unknown as DocumentCacheReplica & { rows: Map<string, unknown> };
}

const item = (id: string, updatedAt: string): DocumentListItem => ({
  id,
  kind: 'outgoing',
  type: 'notice',
  title: '关于测试的通知',
  state: 'review',
  stateLabel: '审核',
  urgency: 'normal',
  secrecyLevel: 'none',
  holders: ['user-wang'],
  updatedAt,
});

describe('the document cache', () => {
  it('keeps a PDF pointer written while a box page of the same document is being recorded', async () => {
    const replica = slowReplica();
    const cache = new DocumentCache(replica);
    await cache.putBox('todo', [item('d1', '2026-12-05T10:00:00.000Z')], false);
    const pdf = { sha256: 'a'.repeat(64), fetchedAt: '2026-12-05T10:01:00.000Z', version: '2026-12-05T10:00:00.000Z' };
    await Promise.all([cache.putBox('todo', [item('d1', '2026-12-05T10:00:00.000Z')], false), cache.putPdf('d1', pdf), cache.putBox('todo', [item('d1', '2026-12-05T10:00:00.000Z')], false)]);
    expect((await cache.read('d1'))?.pdf).toEqual(pdf);
  });

  it('goes on after a change that failed', async () => {
    const replica = slowReplica();
    const cache = new DocumentCache(replica);
    const failing = new DocumentCache({ ...replica, upsertDocuments: () => Promise.reject(new Error('disk full')) });
    await expect(failing.putBox('todo', [item('d2', '2026-12-05T10:00:00.000Z')], false)).rejects.toThrow('disk full');
    await failing.putPdf('d2', { sha256: 'b'.repeat(64), fetchedAt: '2026-12-05T10:01:00.000Z' }).catch(() => undefined);
    await cache.putBox('todo', [item('d2', '2026-12-05T10:00:00.000Z')], false);
    expect((await cache.read('d2'))?.boxes).toEqual(['todo']);
  });
});
