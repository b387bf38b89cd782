/**
 * Offline drafting (issue 19): the body room of a draft whose creation has not reached the server
 * does not connect — the server would refuse a room of a document it does not know (4403) and the
 * client would give its edits up. It connects once the outbox has delivered the creation, and the
 * edits made meanwhile reach the server. The creation is held back here by a gate in the transport,
 * so the order is fixed: the room is open, online, with edits, long before the document exists.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { createHttpTransport } from '../../src/main/services/outbox/httpTransport';
import type { CommandTransport } from '../../src/main/services/outbox/transport';
import { createOfflineServices } from '../../src/main/services/sync/offlineServices';
import { readRoomBody } from '../../src/sync-server/documents/roomBody';
import { useDemoServer, waitFor } from './helpers/demoServer';

const demo = useDemoServer('xt-draft-hold-');

function appendParagraph(doc: Y.Doc, text: string): void {
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    const paragraph = new Y.XmlText();
    root.insertEmbed(root.length, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    const node = new Y.Map();
    paragraph.insertEmbed(0, node);
    node.set('__type', 'text');
    paragraph.insert(1, text);
  });
}

it('holds the body room of a draft until its creation is on the server, then syncs the edits', async () => {
  const response = await fetch(`${demo.server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li', password: 'demo1234' }) });
  const { token, user } = (await response.json()) as { token: string; user: { id: string } };
  const http = createHttpTransport({ serverUrl: demo.server.url, getToken: () => token, readBlob: () => Promise.resolve(null) });
  let open = false;
  const gated: CommandTransport = {
    // Until the gate opens the server "cannot be reached" (the outbox keeps the command 待发送).
    send: (clientId, command, signal) => (open ? http.send(clientId, command, signal) : Promise.resolve({ kind: 'unavailable', reason: 'gate closed' })),
  };
  const dir = mkdtempSync(join(tmpdir(), 'xt-draft-hold-client-'));
  demo.dirs.push(dir);
  const client = await createOfflineServices({
    userDataDir: dir,
    serverUrl: demo.server.url,
    getToken: () => token,
    currentUserId: () => user.id,
    onSignedOut: () => undefined,
    transport: gated,
    backoff: { baseMs: 20, maxMs: 100 },
  });
  try {
    const id = randomUUID();
    const room = `doc:${id}`;
    await client.outbox.enqueue({ type: 'document.create', documentId: id, kind: 'outgoing', fields: { title: '关于先拟后发的通知' } });
    const body = await client.sync.open(room);
    appendParagraph(body.doc, '一、文件尚未到达服务器时写下的一段。');
    await body.flushed();
    // The server is up and the token good, yet the room stays unconnected while the creation waits.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(body.status).toBe('disconnected');
    expect(await client.sync.roomSynced(room, 100)).toBe(false);

    open = true;
    await client.outbox.resume();
    await waitFor(async () => ((await readRoomBody(demo.server.deps.loadRoomUpdates, id)) ?? '').includes('尚未到达服务器时写下'), 'the held edits on the server');
    expect(await client.sync.roomSynced(room, 5_000)).toBe(true);
  } finally {
    await client.close();
  }
}, 60_000);
