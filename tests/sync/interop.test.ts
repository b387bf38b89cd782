import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { connectProvider, openRaw, sqliteSyncSuite, waitFor, waitSynced } from './helpers';

describe('sync service with stock y-websocket clients', () => {
  const suite = sqliteSyncSuite();

  it('syncs text and awareness between two WebsocketProviders and stores the edits', async () => {
    const a = connectProvider(suite.sync.url, 'doc:interop', 'tok-alice');
    const b = connectProvider(suite.sync.url, 'doc:interop', 'tok-bob');
    try {
      await Promise.all([waitSynced(a), waitSynced(b)]);
      a.doc.getText('body').insert(0, '关于加强协同办公的通知');
      await waitFor(() => b.doc.getText('body').toJSON() === '关于加强协同办公的通知', 'b sees a’s edit');
      b.doc.getText('body').insert(0, '【草稿】');
      await waitFor(() => a.doc.getText('body').toJSON() === '【草稿】关于加强协同办公的通知', 'a sees b’s edit');

      a.awareness.setLocalStateField('user', { name: '李文' });
      await waitFor(
        () => [...b.awareness.getStates().values()].some((state) => (state as { user?: { name: string } }).user?.name === '李文'),
        'b sees a’s awareness',
      );
      await suite.sync.service.flush();
      const stored = new Y.Doc();
      Y.applyUpdate(stored, Y.mergeUpdates(await suite.store.load('doc:interop' as never)));
      expect(stored.getText('body').toJSON()).toBe('【草稿】关于加强协同办公的通知');
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('a late joiner receives the whole document', async () => {
    const a = connectProvider(suite.sync.url, 'doc:late', 'tok-alice');
    await waitSynced(a);
    a.doc.getMap('meta').set('title', '会议纪要');
    await suite.sync.service.flush();
    a.destroy();
    const b = connectProvider(suite.sync.url, 'doc:late', 'tok-bob');
    try {
      await waitSynced(b);
      await waitFor(() => b.doc.getMap('meta').get('title') === '会议纪要', 'late joiner has the title');
    } finally {
      b.destroy();
    }
  });

  it('refuses a missing or wrong token with 401 and an unreadable room with 403', async () => {
    await expect(openRaw(`${suite.sync.url}/doc:x`)).rejects.toThrow('HTTP 401');
    await expect(openRaw(`${suite.sync.url}/doc:x?token=nope`)).rejects.toThrow('HTTP 401');
    await expect(openRaw(`${suite.sync.url}/doc:shared-1?token=tok-carol`)).rejects.toThrow('HTTP 403');
    await expect(openRaw(`${suite.sync.url}/not-a-room?token=tok-alice`)).rejects.toThrow('HTTP 400');
    const ok = await openRaw(`${suite.sync.url}/doc:shared-1?token=tok-bob`);
    ok.close();
    expect(suite.sync.service.metricsText()).toMatch(/xietong_sync_connections_refused_total\{status="401"\} 2/);
  });

  it('drops and counts the edits of a read-only member, never applying them', async () => {
    const writer = connectProvider(suite.sync.url, 'doc:shared-ro', 'tok-alice');
    const reader = connectProvider(suite.sync.url, 'doc:shared-ro', 'tok-bob');
    try {
      await Promise.all([waitSynced(writer), waitSynced(reader)]);
      writer.doc.getText('body').insert(0, '正文');
      await waitFor(() => reader.doc.getText('body').toJSON() === '正文', 'reader receives the writer’s edit');
      reader.doc.getText('body').insert(0, '篡改');
      reader.awareness.setLocalStateField('user', { name: '只读' });
      // The reader's awareness does arrive (presence is allowed), its edit never does.
      await waitFor(
        () => [...writer.awareness.getStates().values()].some((state) => (state as { user?: { name: string } }).user?.name === '只读'),
        'writer sees the reader’s presence',
      );
      await waitFor(() => /readonly_updates_dropped_total [1-9]/.test(suite.sync.service.metricsText()), 'dropped counted');
      await suite.sync.service.flush();
      expect(writer.doc.getText('body').toJSON()).toBe('正文');
      const stored = new Y.Doc();
      Y.applyUpdate(stored, Y.mergeUpdates(await suite.store.load('doc:shared-ro' as never)));
      expect(stored.getText('body').toJSON()).toBe('正文');
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });

  it('reports connections, rooms and traffic as Prometheus text', () => {
    const text = suite.sync.service.metricsText();
    expect(text).toContain('# TYPE xietong_sync_connections gauge');
    expect(text).toMatch(/xietong_sync_messages_in_total [1-9]/);
    expect(text).toMatch(/xietong_sync_bytes_out_total [1-9]/);
    expect(text).toMatch(/xietong_sync_persist_latency_seconds_count [1-9]/);
  });
});
