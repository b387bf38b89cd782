/** Test fixtures for the sync service: a real HTTP server on a random loopback port, real clients. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build as esbuild } from 'esbuild';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

import { afterAll, beforeAll } from 'vitest';

import { createSyncService, SqliteRoomUpdateStore, type SyncService, type SyncServiceOptions } from '../../src/sync-server/sync';
import type { RoomAccess, SyncLimits, SyncLogger } from '../../src/sync-server/sync/types';

/** Tokens the fixture accepts: alice writes everywhere, bob only reads `doc:shared*`, carol has nothing there. */
export const TOKENS: Record<string, { id: string }> = {
  'tok-alice': { id: 'alice' },
  'tok-bob': { id: 'bob' },
  'tok-carol': { id: 'carol' },
};

export function accessFor(userId: string, room: string): RoomAccess {
  if (userId === 'alice') return 'write';
  if (userId === 'bob') return room.startsWith('doc:shared') ? 'read' : 'write';
  return room.startsWith('doc:shared') ? 'none' : 'write';
}

export const silentLog: SyncLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface RunningSync {
  service: SyncService;
  server: Server;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts the service behind a plain HTTP server listening on 127.0.0.1:0. */
export async function startSync(options: Partial<SyncServiceOptions> & Pick<SyncServiceOptions, 'store'>): Promise<RunningSync> {
  const service = createSyncService({
    authenticate: (token) => Promise.resolve(TOKENS[token] ?? null),
    authorizeRoom: (user, room) => Promise.resolve(accessFor(user.id, room)),
    log: silentLog,
    ...options,
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => service.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    service,
    server,
    port,
    url: `ws://127.0.0.1:${port}/sync`,
    async stop() {
      await service.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * For a describe block: a SQLite store in a temporary folder and the service over it, started
 * before the block's tests and stopped (store closed, folder removed) after them. `makeStore`
 * picks a store subclass (one that fails on demand, say).
 */
export function sqliteSyncSuite<S extends SqliteRoomUpdateStore = SqliteRoomUpdateStore>(
  options: { limits?: SyncLimits; makeStore?: (path: string) => S } = {},
): { readonly store: S; readonly sync: RunningSync } {
  const tmp = tempDir();
  const suite = {} as { store: S; sync: RunningSync };
  beforeAll(async () => {
    const path = `${tmp.dir}/sync.db`;
    suite.store = options.makeStore ? options.makeStore(path) : (new SqliteRoomUpdateStore(path) as S);
    suite.sync = await startSync({ store: suite.store, ...(options.limits ? { limits: options.limits } : {}) });
  });
  afterAll(async () => {
    await suite.sync.stop();
    suite.store.close();
    tmp.remove();
  });
  return suite;
}

/** A stock y-websocket client (the `ws` package as its WebSocket). */
export function connectProvider(url: string, room: string, token: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
}

/** Polls until `check` holds (bounded: fails after `timeoutMs`). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function waitSynced(provider: WebsocketProvider): Promise<void> {
  return waitFor(() => provider.synced, 'provider synced');
}

/** `[awareness][update]` for one client id, as y-protocols encodes it (for raw sockets). */
export function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

/** The `user.name` a provider sees in a client's presence. */
export function nameOf(provider: WebsocketProvider, clientId: number): string | undefined {
  return (provider.awareness.getStates().get(clientId) as { user?: { name: string } } | undefined)?.user?.name;
}

/** A temporary folder removed by the returned function. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'xietong-sync-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a raw WebSocket; resolves on open or rejects with the HTTP status of a refused upgrade. */
export function openRaw(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** Resolves with the close code and reason of a raw socket. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/**
 * Bundles a fixture (by default under `tests/sync/fixtures/`) into a runnable `.mjs` for a child
 * process. The bundle sits inside the repository (`.tmp/`) so its bare imports resolve from node_modules.
 */
export function fixtureBundle(fixture: string, fixturesDir = join(__dirname, 'fixtures')): { script: string; build(): Promise<void>; remove(): void } {
  const root = join(__dirname, '../../.tmp');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, `${fixture}-`));
  const script = join(dir, `${fixture}.mjs`);
  return {
    script,
    async build() {
      await esbuild({
        entryPoints: [join(fixturesDir, `${fixture}.ts`)],
        outfile: script,
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'warning',
        banner: { js: "import { createRequire as __xtCreateRequire } from 'node:module'; const require = __xtCreateRequire(import.meta.url);" },
      });
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A raw client that keeps every permission-denied reason (`[2][0][reason]`) the server sends it. */
export async function rawClient(url: string): Promise<{ ws: WebSocket; denials: string[] }> {
  const ws = await openRaw(url);
  const denials: string[] = [];
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== 2 || decoding.readVarUint(decoder) !== 0) return;
    denials.push(decoding.readVarString(decoder));
  });
  return { ws, denials };
}

/** An update that inserts `text` into the `body` text of a fresh client. */
export function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('body').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}
