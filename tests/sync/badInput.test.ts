import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';

import { closed, connectProvider, openRaw, sqliteSyncSuite, waitFor, waitSynced } from './helpers';

/**
 * Each hostile input closes only the offending connection, with a code and a reason; a stock client
 * in another room and a new client in the same room keep working afterwards.
 */
describe('sync service under bad input', () => {
  const suite = sqliteSyncSuite({ limits: { maxMessageBytes: 4096, messagesPerSecond: 20, burst: 50 } });

  async function expectServiceHealthy(room: string): Promise<void> {
    const other = connectProvider(suite.sync.url, 'doc:bystander', 'tok-alice');
    const again = connectProvider(suite.sync.url, room, 'tok-alice');
    try {
      await Promise.all([waitSynced(other), waitSynced(again)]);
      const marker = `ok-${Math.random()}`;
      other.doc.getMap('m').set('marker', marker);
      await suite.sync.service.flush();
      const reader = connectProvider(suite.sync.url, 'doc:bystander', 'tok-alice');
      try {
        await waitSynced(reader);
        await waitFor(() => reader.doc.getMap('m').get('marker') === marker, 'bystander room still syncs');
      } finally {
        reader.destroy();
      }
    } finally {
      other.destroy();
      again.destroy();
    }
  }

  async function sendAndExpectClose(room: string, send: (ws: WebSocket) => void): Promise<{ code: number; reason: string }> {
    const ws = await openRaw(`${suite.sync.url}/${room}?token=tok-alice`);
    const result = closed(ws);
    send(ws);
    return result;
  }

  it('closes a truncated message with 1007', async () => {
    const result = await sendAndExpectClose('doc:bad-truncated', (ws) => ws.send(Uint8Array.of(0, 2, 50, 1, 2, 3)));
    expect(result).toEqual({ code: 1007, reason: 'truncated message' });
    await expectServiceHealthy('doc:bad-truncated');
  });

  it('closes an update that is not a Yjs update with 1007', async () => {
    const garbage = Uint8Array.of(0, 2, 6, 200, 1, 255, 255, 255, 7);
    const result = await sendAndExpectClose('doc:bad-update', (ws) => ws.send(garbage));
    expect(result).toEqual({ code: 1007, reason: 'malformed update' });
    await expectServiceHealthy('doc:bad-update');
  });

  it('closes an unknown message type with 1003', async () => {
    const result = await sendAndExpectClose('doc:bad-type', (ws) => ws.send(Uint8Array.of(9, 0)));
    expect(result).toEqual({ code: 1003, reason: 'unknown message type 9' });
    const text = await sendAndExpectClose('doc:bad-type', (ws) => ws.send('hello'));
    expect(text).toEqual({ code: 1003, reason: 'text messages are not part of the protocol' });
    await expectServiceHealthy('doc:bad-type');
  });

  it('closes a message over the size limit with 1009', async () => {
    const big = new Uint8Array(10_000);
    const result = await sendAndExpectClose('doc:bad-size', (ws) => ws.send(big));
    expect(result).toEqual({ code: 1009, reason: 'message too large' });
    await expectServiceHealthy('doc:bad-size');
  });

  it('closes a flooding connection with 1008', async () => {
    const result = await sendAndExpectClose('doc:bad-flood', (ws) => {
      for (let i = 0; i < 500; i++) ws.send(Uint8Array.of(3));
    });
    expect(result).toEqual({ code: 1008, reason: 'rate limit exceeded' });
    await expectServiceHealthy('doc:bad-flood');
    const metrics = suite.sync.service.metricsText();
    for (const reason of ['malformed', 'unknown_type', 'too_large', 'rate_limited']) {
      expect(metrics).toMatch(new RegExp(`xietong_sync_connections_closed_total\\{reason="${reason}"\\} [1-9]`));
    }
  });
});
