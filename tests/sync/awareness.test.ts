import { afterAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';

import { awarenessMessage, connectProvider, nameOf, openRaw, sqliteSyncSuite, waitFor, waitSynced } from './helpers';

/**
 * Presence is bound to the person who announced it: another signed-in member of the room cannot
 * overwrite or remove someone else's awareness state, while their own presence and the document
 * keep working.
 */
describe('awareness bound to its owner', () => {
  const suite = sqliteSyncSuite();
  const providers: WebsocketProvider[] = [];

  // Registered after the suite's own hook, so it runs first: the clients leave before the server stops.
  afterAll(() => {
    for (const provider of providers) provider.destroy();
  });

  function provider(room: string, token: string): WebsocketProvider {
    const p = connectProvider(suite.sync.url, room, token);
    providers.push(p);
    return p;
  }

  it('drops another person’s attempt to rename or remove a presence, and counts it', async () => {
    const alice = provider('doc:presence', 'tok-alice');
    const observer = provider('doc:presence', 'tok-alice');
    await Promise.all([waitSynced(alice), waitSynced(observer)]);
    alice.awareness.setLocalStateField('user', { name: '李文' });
    const aliceId = alice.doc.clientID;
    await waitFor(() => nameOf(observer, aliceId) === '李文', 'observer sees alice');

    // carol (another person, allowed to write here) claims alice's client id, then removes it.
    const carol = await openRaw(`${suite.sync.url}/doc:presence?token=tok-carol`);
    try {
      carol.send(awarenessMessage(aliceId, 1000, { user: { name: '冒充' } }));
      carol.send(awarenessMessage(aliceId, 1001, null));
      // carol's own presence still arrives: only the entries naming alice's id were dropped.
      carol.send(awarenessMessage(777_001, 1, { user: { name: '王芳' } }));
      await waitFor(() => nameOf(observer, 777_001) === '王芳', 'observer sees carol');
      expect(nameOf(observer, aliceId)).toBe('李文');
      expect(nameOf(alice, aliceId)).toBe('李文');
      expect(suite.sync.service.metricsText()).toMatch(/xietong_sync_awareness_rejected_total 2\b/);

      // Alice's presence keeps updating, and the document still syncs for everyone.
      alice.awareness.setLocalStateField('user', { name: '李文（审核中）' });
      await waitFor(() => nameOf(observer, aliceId) === '李文（审核中）', 'alice renames herself');
      alice.doc.getText('body').insert(0, '正文');
      await waitFor(() => observer.doc.getText('body').toJSON() === '正文', 'document syncs');
    } finally {
      carol.terminate();
    }
    // carol's presence goes with her connection; alice's stays.
    await waitFor(() => !observer.awareness.getStates().has(777_001), 'carol’s presence removed');
    expect(nameOf(observer, aliceId)).toBe('李文（审核中）');
  });

  it('lets the same person take their client id over on a new connection', async () => {
    const first = await openRaw(`${suite.sync.url}/doc:reconnect?token=tok-bob`);
    const observer = provider('doc:reconnect', 'tok-alice');
    await waitSynced(observer);
    first.send(awarenessMessage(888_001, 1, { user: { name: '赵强' } }));
    await waitFor(() => nameOf(observer, 888_001) === '赵强', 'observer sees bob');
    // bob reconnects (same client id, higher clock) before his old socket is gone.
    const second = await openRaw(`${suite.sync.url}/doc:reconnect?token=tok-bob`);
    try {
      second.send(awarenessMessage(888_001, 2, { user: { name: '赵强（新窗口）' } }));
      await waitFor(() => nameOf(observer, 888_001) === '赵强（新窗口）', 'the new connection owns the id');
      // The old socket closing does not take the presence away from the new one.
      first.terminate();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(nameOf(observer, 888_001)).toBe('赵强（新窗口）');
    } finally {
      first.terminate();
      second.terminate();
    }
    await waitFor(() => !observer.awareness.getStates().has(888_001), 'presence removed with the last connection');
  });

  it('does not let a person’s second window take over the first one’s presence by echoing it', async () => {
    const observer = provider('doc:two-windows', 'tok-alice');
    await waitSynced(observer);
    const firstWindow = await openRaw(`${suite.sync.url}/doc:two-windows?token=tok-bob`);
    const secondWindow = await openRaw(`${suite.sync.url}/doc:two-windows?token=tok-bob`);
    try {
      firstWindow.send(awarenessMessage(888_101, 5, { user: { name: '赵强' } }));
      secondWindow.send(awarenessMessage(888_102, 1, { user: { name: '赵强' } }));
      await waitFor(() => nameOf(observer, 888_101) === '赵强' && nameOf(observer, 888_102) === '赵强', 'both windows present');
      // A stock client echoes every state it receives, its own person's other window included.
      secondWindow.send(awarenessMessage(888_101, 5, { user: { name: '赵强' } }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      secondWindow.terminate();
      await waitFor(() => !observer.awareness.getStates().has(888_102), 'the second window left');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(nameOf(observer, 888_101)).toBe('赵强');
    } finally {
      firstWindow.terminate();
      secondWindow.terminate();
    }
  });

  it('closes a truncated awareness update with 1007', async () => {
    const ws = await openRaw(`${suite.sync.url}/doc:presence-bad?token=tok-alice`);
    const result = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.send(Uint8Array.of(1, 4, 3, 1, 2, 9));
    expect(await result).toEqual({ code: 1007, reason: 'malformed awareness update' });
  });
});
