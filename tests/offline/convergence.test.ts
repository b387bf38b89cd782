import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createOfflineServices, type OfflineServices } from '../../src/main/services/sync/offlineServices';
import { startTestServer, type TestServer } from './helpers/testServer';
import { startProxy, type CuttableProxy } from './helpers/proxy';
import { spawnClient, type ChildClient } from './helpers/spawnClient';

let server: TestServer;
const dirs: string[] = [];
const proxies: CuttableProxy[] = [];
const children: ChildClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const child of children) await child.kill();
  for (const proxy of proxies) await proxy.close();
  await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'xt-conv-'));
  dirs.push(dir);
  return dir;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async (check: () => boolean | Promise<boolean>, what: string, tries = 1500) => {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const appliedCounts = () => {
  const counts = new Map<string, number>();
  for (const applied of server.applied) counts.set(applied.clientId, (counts.get(applied.clientId) ?? 0) + 1);
  return counts;
};

describe('two clients, one offline', () => {
  it('both edit the same document and queue commands; after reconnecting they hold the same state and each command was applied once', async () => {
    const room = `doc:pair-${process.pid}`;
    const clients: { services: OfflineServices; proxy: CuttableProxy }[] = [];
    for (const user of ['li', 'zhao']) {
      const proxy = await startProxy(() => server.port);
      proxies.push(proxy);
      const services = await createOfflineServices({
        userDataDir: tempDir(),
        serverUrl: proxy.url,
        getToken: () => 'token-ok',
        currentUserId: () => user,
        onSignedOut: () => undefined,
        backoff: { baseMs: 20, maxMs: 200 },
      });
      clients.push({ services, proxy });
    }
    const [a, b] = clients as [(typeof clients)[0], (typeof clients)[0]];
    try {
      const docA = await a.services.sync.open(room);
      const docB = await b.services.sync.open(room);
      await waitFor(() => a.services.sync.state === 'online' && b.services.sync.state === 'online', 'both online');
      docA.doc.getText('body').insert(0, '关于做好防汛工作的通知');
      await waitFor(() => docB.doc.getText('body').toJSON() === '关于做好防汛工作的通知', 'b sees a');

      b.proxy.cut();
      await waitFor(() => b.services.sync.state !== 'online', 'b offline');
      // Both edit the same text at the same time; both queue workflow commands and a message.
      docA.doc.getText('body').insert(docA.doc.getText('body').length, '（在线修改）');
      docB.doc.getText('body').insert(0, '【离线】');
      docB.doc.getText('body').insert(docB.doc.getText('body').length, '（离线修改）');
      const commandsA = [
        await a.services.outbox.enqueue({ type: 'document.action', documentId: 'pair', action: 'approve', opinion: { text: '同意' } }),
      ];
      const commandsB = [
        await b.services.outbox.enqueue({ type: 'document.action', documentId: 'pair', action: 'approve', opinion: { text: '拟同意' } }),
        await b.services.outbox.enqueue({ type: 'message.send', conversation: 'pair', text: '我在路上，稍后处理' }),
      ];
      await waitFor(async () => (await a.services.outbox.list('pending')).length === 0, 'a sent');
      expect((await b.services.outbox.list('pending')).length).toBe(2);
      expect((await b.services.replica.listMessages('pair', 10))[0]?.status).toBe('pending');

      b.proxy.restore();
      await waitFor(
        () => docA.doc.getText('body').toJSON() === docB.doc.getText('body').toJSON() && docA.doc.getText('body').toJSON().includes('离线修改'),
        'convergence',
      );
      await waitFor(async () => (await b.services.outbox.list('pending')).length === 0, 'b sent its queue');
      const body = docA.doc.getText('body').toJSON();
      for (const part of ['关于做好防汛工作的通知', '（在线修改）', '【离线】', '（离线修改）']) expect(body).toContain(part);
      expect(server.roomText(room)).toBe(body);
      const counts = appliedCounts();
      for (const entry of [...commandsA, ...commandsB]) expect(counts.get(entry.clientId)).toBe(1);
      expect((await b.services.replica.listMessages('pair', 10))[0]?.status).toBe('sent');
      // Both replicas hold the converged state on disk.
      for (const client of clients) {
        await client.services.sync.release(room);
        const stored = new Y.Doc();
        Y.applyUpdate(stored, (await client.services.replica.loadRoom(room))!);
        expect(stored.getText('body').toJSON()).toBe(body);
      }
    } finally {
      for (const client of clients) await client.services.close();
    }
  });
});

describe('randomized drill', () => {
  it('cutting, restoring and killing clients many times loses nothing and converges (seeded, bounded)', { timeout: 240_000 }, async () => {
    const seed = Number(process.env.XT_DRILL_SEED ?? 20261122);
    const random = seeded(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const room = `doc:drill-${process.pid}`;
    const count = 3;
    const slots: { dir: string; proxy: CuttableProxy; child: ChildClient | null }[] = [];
    for (let i = 0; i < count; i += 1) {
      const proxy = await startProxy(() => server.port);
      proxies.push(proxy);
      slots.push({ dir: tempDir(), proxy, child: null });
    }
    const start = async (slot: (typeof slots)[0]) => {
      slot.child = await spawnClient({ dir: slot.dir, server: slot.proxy.url, room });
      children.push(slot.child);
    };
    for (const slot of slots) await start(slot);

    const ackedEdits: string[] = [];
    const ackedCommands: string[] = [];
    const steps = 40;
    let kills = 0;
    let cuts = 0;
    for (let step = 0; step < steps; step += 1) {
      const index = Math.floor(random() * count);
      const slot = slots[index]!;
      const roll = random();
      if (!slot.child) {
        await start(slot);
        continue;
      }
      const child = slot.child;
      if (roll < 0.4) {
        const marker = `c${index}-s${step}`;
        child.send({ op: 'edit', marker });
        await child.next((m) => m.ack === 'edit' && m.marker === marker);
        ackedEdits.push(marker);
      } else if (roll < 0.6) {
        const clientId = randomUUID();
        child.send({ op: 'command', clientId, marker: `c${index}-s${step}` });
        await child.next((m) => m.ack === 'command' && m.clientId === clientId);
        ackedCommands.push(clientId);
      } else if (roll < 0.8) {
        if (slot.proxy.online) {
          slot.proxy.cut();
          cuts += 1;
        } else slot.proxy.restore();
        await sleep(pick([0, 30, 120]));
      } else {
        // Kill in the middle of an edit: it may or may not survive, but it was never acknowledged.
        child.send({ op: 'edit', marker: `c${index}-s${step}-unacked` });
        if (random() < 0.5) await sleep(pick([1, 5, 20]));
        await child.kill();
        for (const m of child.ackedEdits) if (!ackedEdits.includes(m)) ackedEdits.push(m);
        slot.child = null;
        kills += 1;
      }
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(cuts).toBeGreaterThanOrEqual(3);

    // Heal: every network restored, every client running; then wait for all to converge.
    for (const slot of slots) {
      slot.proxy.restore();
      if (!slot.child) await start(slot);
    }
    let states: string[][] = [];
    await waitFor(
      async () => {
        states = [];
        for (const slot of slots) {
          slot.child!.send({ op: 'state' });
          const state = await slot.child!.next((m) => m.pending !== undefined);
          if (state.pending !== 0 || !state.synced) return false;
          states.push(state.state ?? []);
        }
        return states.every((s) => JSON.stringify(s) === JSON.stringify(states[0]));
      },
      'all clients converged with empty outboxes',
      1500,
    );
    const converged = new Set(states[0]);
    expect(ackedEdits.filter((marker) => !converged.has(marker))).toEqual([]);
    expect(new Set(server.roomDoc(room)?.getArray<string>('log').toArray())).toEqual(converged);
    const counts = appliedCounts();
    expect(ackedCommands.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    for (const slot of slots) {
      slot.child!.send({ op: 'exit' });
      await slot.child!.exited;
    }
  });
});
