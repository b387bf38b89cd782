/**
 * The client's side of issue 15 against the real server: the sync client hears when the server
 * takes the body's write right away (the document moved on) and when it refuses an edit made offline
 * and replayed on reconnect — which stays visible on the device (not silently lost) but never
 * reaches the server.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfflineServices, type OfflineServices } from '../../src/main/services/sync/offlineServices';
import { readRoomBody, lexicalParagraphs } from '../../src/sync-server/documents/roomBody';
import type { RoomRefusal } from '../../src/shared/api/offline.contract';
import { startProxy } from './helpers/proxy';
import * as Y from 'yjs';
import { useDemoServer, waitFor } from './helpers/demoServer';

const demo = useDemoServer('xt-rights-server-');
const dirs = demo.dirs;


async function api<T>(path: string, token: string | null, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${demo.server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

/** One paragraph appended to a Lexical-over-Yjs body, as the editor stores it. */
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

describe('the client is told when the server refuses its body edits', () => {
  it('reports read-only at 提交 and refuses, visibly, an edit made offline and replayed after it', async () => {
    const login = await api<{ token: string; user: { id: string } }>('/api/auth/login', null, { username: 'li', password: 'demo1234' });
    const { token, user } = login.json;
    const created = await api<{ id: string }>('/api/documents', token, { kind: 'outgoing', title: '关于离线修改的通知' });
    const id = created.json.id;
    const room = `doc:${id}`;
    const proxy = await startProxy(() => Number(new URL(demo.server.url).port));
    const refusals: Array<{ device: string; room: string; reason: RoomRefusal }> = [];
    const client = (device: string, serverUrl: string): Promise<OfflineServices> => {
      const dir = mkdtempSync(join(tmpdir(), 'xt-rights-client-'));
      dirs.push(dir);
      return createOfflineServices({
        userDataDir: dir,
        serverUrl,
        getToken: () => token,
        currentUserId: () => user.id,
        onSignedOut: () => undefined,
        onRoomRefused: (refusedRoom, reason) => refusals.push({ device, room: refusedRoom, reason }),
        backoff: { baseMs: 20, maxMs: 200 },
      });
    };
    const desk = await client('desk', demo.server.url);
    const laptop = await client('laptop', proxy.url);
    try {
      const deskRoom = await desk.sync.open(room);
      const laptopRoom = await laptop.sync.open(room);
      await waitFor(() => deskRoom.synced && laptopRoom.synced, 'both synced');
      appendParagraph(deskRoom.doc, '一、在线起草的正文。');
      await waitFor(async () => ((await readRoomBody(demo.server.deps.loadRoomUpdates, id)) ?? '').includes('在线起草'), 'the online edit stored');

      proxy.cut();
      await waitFor(() => laptop.sync.state !== 'online', 'laptop offline');
      appendParagraph(laptopRoom.doc, '二、离线时补写的一句。');

      // 提交 from the desk: the desk's open room is told at once that it is read-only now.
      const submitted = await api<{ state: string }>(`/api/documents/${id}/actions`, token, { action: 'submit', to: ['user-wang'] });
      expect(submitted.json.state).toBe('signoff');
      await waitFor(() => refusals.some((r) => r.device === 'desk' && r.reason === 'read-only' && r.room === room), 'desk told read-only');

      // The laptop comes back and replays its offline edit: refused, reported, and still on the laptop.
      proxy.restore();
      await waitFor(() => refusals.some((r) => r.device === 'laptop' && r.reason === 'update-refused'), 'laptop told its edit was refused');
      expect((await readRoomBody(demo.server.deps.loadRoomUpdates, id)) ?? '').not.toContain('离线时补写');
      expect(lexicalParagraphs(laptopRoom.doc)).toContain('二、离线时补写的一句。');
      expect(lexicalParagraphs(deskRoom.doc)).not.toContain('二、离线时补写的一句。');
    } finally {
      await desk.close();
      await laptop.close();
      await proxy.close();
    }
  });
});
