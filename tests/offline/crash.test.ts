import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/testServer';
import { spawnClient, type ChildClient } from './helpers/spawnClient';

let server: TestServer;
const dirs: string[] = [];
const children: ChildClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const child of children) await child.kill();
  await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on: the client runs fully offline, from its replica alone. */
const nowhere = 'http://127.0.0.1:9';

describe('crash safety', () => {
  it('after SIGKILL mid-burst, every acknowledged edit is on disk and the outbox resumes without duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xt-crash-'));
    dirs.push(dir);
    const room = `doc:crash-${process.pid}`;
    const ids: string[] = Array.from({ length: 2000 }, () => randomUUID());

    const first = await spawnClient({ dir, server: server.url, room });
    children.push(first);
    first.send({ op: 'burst', prefix: 'k', ids });
    // Let it run until it has acknowledged a fair number of both, then kill it without warning.
    await first.next((m) => m.ack === 'command' && first.ackedCommands.length >= 40, 60_000);
    await first.kill();
    const ackedEdits = [...first.ackedEdits];
    const ackedCommands = [...first.ackedCommands];
    expect(ackedEdits.length).toBeGreaterThanOrEqual(40);

    // Restart offline: what the replica holds alone must include every acknowledged edit.
    const offline = await spawnClient({ dir, server: nowhere, room });
    children.push(offline);
    offline.send({ op: 'state' });
    const local = await offline.next((m) => m.state !== undefined && m.pending !== undefined);
    const localSet = new Set(local.state);
    expect(ackedEdits.filter((marker) => !localSet.has(marker))).toEqual([]);
    // The queue holds every acknowledged command not yet applied.
    const appliedIds = new Set(server.applied.map((a) => a.clientId));
    expect(local.pending).toBeGreaterThanOrEqual(ackedCommands.filter((id) => !appliedIds.has(id)).length);
    offline.send({ op: 'exit' });
    await offline.exited;

    // Restart online: the outbox drains; the server applied each acknowledged command exactly once.
    const online = await spawnClient({ dir, server: server.url, room });
    children.push(online);
    for (let i = 0; i < 500; i += 1) {
      online.send({ op: 'state' });
      const state = await online.next((m) => m.pending !== undefined);
      if (state.pending === 0 && state.synced) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const counts = new Map<string, number>();
    for (const applied of server.applied) counts.set(applied.clientId, (counts.get(applied.clientId) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(ackedCommands.filter((id) => !counts.has(id))).toEqual([]);
    // Commands went out in the order they were queued.
    const order = server.applied.map((a) => ids.indexOf(a.clientId)).filter((i) => i >= 0);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // And the server's room has every acknowledged edit.
    const serverLog = new Set(server.roomDoc(room)?.getArray<string>('log').toArray());
    expect(ackedEdits.filter((marker) => !serverLog.has(marker))).toEqual([]);
    online.send({ op: 'exit' });
    await online.exited;
  });
});
