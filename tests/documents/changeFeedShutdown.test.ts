/**
 * Stopping the server while clients wait on the change feed (every open client holds such a
 * long-poll): the waiting requests are answered at once with "nothing new", and none of them
 * reaches the store after it closed (which used to log "The database connection is not open").
 */
import { describe, expect, it } from 'vitest';
import type { ChangesResponse } from '../../src/shared/http/documents';
import { call, startOrg } from './helpers';

describe('change feed on shutdown', () => {
  it('answers waiting long-polls before the store closes', async () => {
    const org = await startOrg();
    const start = (await call<ChangesResponse>(org.server.url, 'GET', '/api/documents/changes', { token: org.tokens.li! })).body;
    const waiting = [0, 1, 2].map(() =>
      call<ChangesResponse>(org.server.url, 'GET', `/api/documents/changes?since=${start.cursor}&wait=20`, { token: org.tokens.li! }),
    );
    // Let the requests reach the feed and start waiting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const began = Date.now();
    await org.server.stop();
    const answers = await Promise.all(waiting);
    // Answered, not cut off, and well before their 20 s wait ran out.
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { cursor: start.cursor, documents: [], exchange: [] } });
    expect(Date.now() - began).toBeLessThan(10_000);
  });
});
