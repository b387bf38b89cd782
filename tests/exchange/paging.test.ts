/**
 * The exchange boxes come a page at a time: every item of the caller's unit exactly once, newest
 * first, across pages (items sent in the same millisecond included), none of another unit's, and a
 * bad cursor or limit refused. Rows go straight into the store: seeding through 分发 would seal a
 * PDF per document and take seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeItem } from '../../src/shared/http/documents';
import { call, pgSchema, startOrg, type Org } from '../documents/helpers';

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

interface Page {
  items: ExchangeItem[];
  next?: string;
}

const BASE = Date.parse('2026-11-23T02:00:00Z');

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('exchange boxes in pages on $store', ({ postgresUrl }) => {
  let org: Org;
  // 市政府办公室 sent seven (two pairs in the same millisecond); 市发展和改革委员会 sent one elsewhere.
  const sent = Array.from({ length: 7 }, (_, i) => ({ id: `ex-page-${i}`, sentAt: BASE + Math.floor(i / 2) * 1000, to: i % 2 === 0 ? 'unit-sfgw' : 'unit-ccq' }));

  beforeAll(async () => {
    org = await startOrg(postgresUrl ? { postgresUrl } : {});
    const insert = (id: string, from: string, to: string, sentAt: number) =>
      org.server.deps.db.run(
        `INSERT INTO exchange_items (id, document_id, from_unit_id, to_unit_id, title, doc_number, pdf_sha256, urgency, secrecy_level, status, sent_by, sent_by_name, sent_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?, 'normal', 'none', 'pending', 'user-zhao', '赵敏', ?)`,
        [id, `doc-${id}`, from, to, `分页测试 ${id}`, '0'.repeat(64), sentAt],
      );
    for (const item of sent) await insert(item.id, 'unit-szfb', item.to, item.sentAt);
    await insert('ex-page-other', 'unit-sfgw', 'unit-nhq', BASE + 500);
  });
  afterAll(async () => {
    await org.server.stop();
  });

  const get = (username: string, query: string) => call<Page & { error?: { message: string } }>(org.server.url, 'GET', `/api/exchange?${query}`, { token: org.tokens[username]! });

  /** Follows `next` to the end (bounded), returning the pages' ids. */
  async function allPages(username: string, box: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 20; n += 1) {
      const response = await get(username, `box=${box}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items.map((i) => i.id));
      cursor = response.body.next;
      if (!cursor) return pages;
    }
    throw new Error('paging did not end');
  }

  it('gives every item of the unit once, newest first, over several pages', async () => {
    const newestFirst = [...sent].sort((a, b) => b.sentAt - a.sentAt || (a.id < b.id ? 1 : -1)).map((i) => i.id);
    const pages = await allPages('zhao', 'outgoing', 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(newestFirst);
    // Without a limit one page holds them all, and says there is no next.
    const whole = await get('zhao', 'box=outgoing');
    expect(whole.body.items.map((i) => i.id)).toEqual(newestFirst);
    expect(whole.body.next).toBeUndefined();
  });

  it('pages the receiving side too, without another unit\'s items', async () => {
    const pages = await allPages('chen', 'incoming', 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2]);
    expect(pages.flat()).toEqual(['ex-page-6', 'ex-page-4', 'ex-page-2', 'ex-page-0']);
    expect((await allPages('chen', 'outgoing', 2)).flat()).toEqual(['ex-page-other']);
  });

  it('refuses a forged cursor and a limit out of range', async () => {
    expect((await get('zhao', 'box=outgoing&cursor=not-a-cursor')).status).toBe(400);
    expect((await get('zhao', `box=outgoing&cursor=${Buffer.from('["x","y"]').toString('base64url')}`)).status).toBe(400);
    expect((await get('zhao', 'box=outgoing&limit=0')).status).toBe(400);
    expect((await get('zhao', 'box=outgoing&limit=1001')).status).toBe(400);
  });
});
