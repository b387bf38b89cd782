/**
 * The change feed's behaviour when the server fails: it retries after an error (with backoff) and
 * resumes from its cursor, and against a server without the feed (404) it hands over to the slow
 * 待办 refresh. The server's answers are scripted here: these are failures a real server cannot be
 * made to produce on demand; the happy path runs against a real server in changeFeed.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createChangeFeed, type FeedChanges } from '../../src/main/services/documents/changeFeed';
import { createDocumentsService, type ServerCalls } from '../../src/main/services/documents';
import { ServerHttpError } from '../../src/main/services/serverClient';

type Answer = (path: string) => unknown;

function scriptedServer(answer: Answer): ServerCalls & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    json<S extends z.ZodType>(path: string, options: { schema: S }): Promise<z.output<S>> {
      paths.push(path);
      try {
        return Promise.resolve(options.schema.parse(answer(path)));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    patch: () => Promise.reject(new Error('not used')),
    getPdf: () => Promise.reject(new Error('not used')),
    putPdf: () => Promise.reject(new Error('not used')),
    getSheet: () => Promise.reject(new Error('not used')),
    getExchangePdf: () => Promise.reject(new Error('not used')),
    getBytes: () => Promise.reject(new Error('not used')),
  };
}

async function until(done: () => boolean, what: string): Promise<void> {
  // Bounded: 100 × 50 ms.
  for (let i = 0; i < 100; i += 1) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A signed-in, online documents service against `server`, recording what it emits. */
function onlineDocuments(server: ServerCalls, userId: () => string, options: { feedWaitSeconds?: number; pollIntervalMs?: number }) {
  const events: { event: string; payload: unknown }[] = [];
  const documents = createDocumentsService({
    server,
    // A replica whose every use fails: keeping copies is best-effort, neither the feed nor the fallback needs it.
    offline: () => ({ replica: {}, outbox: {}, search: {} }) as never,
    emit: (event, payload) => events.push({ event, payload }),
    isOnline: () => true,
    isSignedIn: () => true,
    userId,
    ...options,
  });
  return { documents, events };
}

describe('change feed recovery', () => {
  it('retries after server errors and reports what changed since its cursor', async () => {
    let failuresLeft = 2;
    const server = scriptedServer((path) => {
      if (!path.includes('since=')) return { cursor: 7, documents: [], exchange: [] };
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new ServerHttpError(503, 'unavailable', '服务器繁忙');
      }
      if (path.includes('since=7')) return { cursor: 9, documents: ['doc-1'], exchange: ['x-1'] };
      throw new ServerHttpError(503, 'unavailable', '服务器繁忙');
    });
    const seen: FeedChanges[] = [];
    const feed = createChangeFeed({
      server,
      isOnline: () => true,
      isSignedIn: () => true,
      userId: () => 'user-li',
      onChanges: (changes) => seen.push(changes),
      onUnavailable: () => undefined,
      backoffMs: 10,
      maxBackoffMs: 40,
    });
    try {
      feed.sync();
      await until(() => seen.length > 0, 'the changes after two failures');
      expect(seen[0]).toEqual({ documents: ['doc-1'], exchange: ['x-1'] });
      expect(server.paths.filter((p) => p.includes('since=7'))).toHaveLength(3);
    } finally {
      feed.close();
    }
  });

  it('stays silent while signed out and starts over from a fresh cursor for another person', async () => {
    let signedIn = false;
    let user = 'user-li';
    const server = scriptedServer(() => ({ cursor: 1, documents: [], exchange: [] }));
    const feed = createChangeFeed({
      server,
      isOnline: () => true,
      isSignedIn: () => signedIn,
      userId: () => (signedIn ? user : null),
      onChanges: () => undefined,
      onUnavailable: () => undefined,
      waitSeconds: 0,
    });
    try {
      feed.sync();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.paths).toHaveLength(0);
      signedIn = true;
      feed.sync();
      await until(() => server.paths.some((p) => p.includes('since=1')), 'li to follow from her cursor');
      user = 'user-wang';
      const before = server.paths.length;
      feed.sync();
      await until(() => server.paths.length > before, 'wang’s first request');
      expect(server.paths[before]).toBe('/api/documents/changes?wait=0');
    } finally {
      feed.close();
    }
  });

  it('has the lists and the badge re-read once when it starts from a fresh cursor, not when it resumes its own', async () => {
    // A 待办 that arrived between the sign-in's first reads and the feed's first cursor is in no
    // answer of the feed: without a re-read it stayed uncounted and un-notified.
    let user = 'user-wang';
    const server = scriptedServer(() => ({ cursor: 5, documents: [], exchange: [] }));
    const { documents, events } = onlineDocuments(server, () => user, { feedWaitSeconds: 0 });
    const rereads = () => events.filter((e) => e.event === 'documentsChanged');
    try {
      await until(() => rereads().length === 1, 'the re-read after the first cursor');
      const reread = rereads()[0]!.payload as { ids: string[]; boxes: string[] };
      expect(reread.ids).toEqual([]);
      expect([...reread.boxes].sort()).toEqual(['done', 'drafts', 'incoming', 'outgoing', 'todo']);
      expect(events.filter((e) => e.event === 'exchangeChanged').map((e) => e.payload)).toEqual([{ box: 'incoming' }, { box: 'outgoing' }]);

      // Reconnecting as the same person resumes from the cursor: what changed arrives as changes.
      const before = server.paths.length;
      documents.refresh();
      await until(() => server.paths.slice(before).some((p) => p.includes('since=5')), 'the resumed long-poll');
      expect(rereads()).toHaveLength(1);

      // Someone else signs in on this computer: a fresh cursor, one more re-read.
      user = 'user-li';
      documents.refresh();
      await until(() => rereads().length === 2, 'the re-read for the next person');
    } finally {
      documents.close();
    }
  });

  it('falls back to re-reading 待办 when the server has no change feed', async () => {
    let todo = [{ id: 'doc-1', updatedAt: '2026-01-01T00:00:00Z' }];
    const server = scriptedServer((path) => {
      if (path.startsWith('/api/documents/changes')) throw new ServerHttpError(404, 'not_found', '没有这个地址');
      return {
        items: todo.map((item) => ({
          ...item,
          kind: 'outgoing',
          type: 'notice',
          title: '通知',
          state: 'signoff',
          stateLabel: '审签',
          urgency: 'normal',
          secrecyLevel: 'none',
          holders: ['user-li'],
        })),
      };
    });
    const { documents, events } = onlineDocuments(server, () => 'user-li', { pollIntervalMs: 30 });
    try {
      await until(() => server.paths.some((p) => p.startsWith('/api/documents?box=todo')), 'the first 待办 read');
      todo = [{ id: 'doc-2', updatedAt: '2026-01-02T00:00:00Z' }, ...todo];
      await until(() => events.some((e) => e.event === 'documentsChanged'), 'the fallback to notice the new 待办');
      expect(events.find((e) => e.event === 'documentsChanged')?.payload).toEqual({ ids: ['doc-2', 'doc-1'], boxes: ['todo'] });
    } finally {
      documents.close();
    }
  });
});
