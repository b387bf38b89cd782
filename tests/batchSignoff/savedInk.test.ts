/**
 * The saved handwritten signature of 批量签批 lives in main, per person: two people signing in on one
 * desktop (one user-data folder) each get their own back and never the other's; it survives a new
 * app instance (the browser profile plays no part); and replica migration 8 adds its table to a
 * replica written at 7 without touching the batches there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { migrate, registerTextFunctions } from '../../src/main/services/replica/migrations';
import { ReplicaStore } from '../../src/main/services/replica/replicaStore';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { Result } from '../../src/shared/api';
import type { InkDrawing } from '../../src/shared/domain/documents/opinion';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

let root: string;
let server: RunningServer;

const drawing = (x: number): InkDrawing => ({ width: 300, height: 100, strokes: [{ color: 'black', size: 3, points: [[x, 10, 0.5, 0, 0, 0], [x + 40, 60, 0.6, 16, 0, 0]] }] });

async function desktop(userDataDir: string): Promise<{ services: AppServices; value<T>(channel: string, input: unknown): Promise<T> }> {
  const services = await createAppServices({ userDataDir, serverUrl: server.url, secrets: plainSecretBox, emit: () => undefined });
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = (await services.dispatcher.dispatch(channel, input)) as Result<T>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  return { services, value };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-saved-ink-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: join(root, 'server') });
}, 120_000);

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('saved handwritten signature in main', () => {
  it('is kept per person on a shared desktop and outlives the app instance', async () => {
    const folder = join(root, 'shared-desk');
    const first = await desktop(folder);
    try {
      await first.value('session:login', { username: 'wang', password: 'demo1234' });
      expect(await first.value('batchSignoff:savedInk', {})).toEqual({ ink: null });
      await first.value('batchSignoff:saveInk', { ink: drawing(10) });
      await first.value('session:logout', {});

      await first.value('session:login', { username: 'liu', password: 'demo1234' });
      expect(await first.value('batchSignoff:savedInk', {})).toEqual({ ink: null });
      await first.value('batchSignoff:saveInk', { ink: drawing(90) });
      await first.value('session:logout', {});
    } finally {
      await first.services.close();
    }

    const again = await desktop(folder);
    try {
      await again.value('session:login', { username: 'wang', password: 'demo1234' });
      expect(await again.value('batchSignoff:savedInk', {})).toEqual({ ink: drawing(10) });
      await again.value('batchSignoff:saveInk', { ink: null });
      expect(await again.value('batchSignoff:savedInk', {})).toEqual({ ink: null });
      await again.value('session:logout', {});
      await again.value('session:login', { username: 'liu', password: 'demo1234' });
      expect(await again.value('batchSignoff:savedInk', {})).toEqual({ ink: drawing(90) });
    } finally {
      await again.services.close();
    }
  }, 120_000);

  it('refuses a drawing that is not one, and answers only a signed-in person', async () => {
    const app = await desktop(join(root, 'refusals'));
    try {
      const anonymous = await app.services.dispatcher.dispatch('batchSignoff:savedInk', {});
      expect(anonymous).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      await app.value('session:login', { username: 'wang', password: 'demo1234' });
      const bad = await app.services.dispatcher.dispatch('batchSignoff:saveInk', { ink: { width: 10, height: 10, strokes: [] } });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(await app.value('batchSignoff:savedInk', {})).toEqual({ ink: null });
    } finally {
      await app.services.close();
    }
  }, 60_000);

  it('replica migration 8 adds the saved signatures to a replica at 7, keeping its batches', () => {
    const dir = mkdtempSync(join(root, 'migration-'));
    const file = join(dir, 'replica.sqlite');
    const old = new Database(file);
    registerTextFunctions(old);
    migrate(old, 7);
    old.prepare('INSERT INTO batch_signoffs (id, user_id, json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run('b1', 'user-wang', '{"kept":true}', 1, 1);
    old.close();
    const store = new ReplicaStore({ file, blobDir: join(dir, 'blobs') });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(8);
      expect(store.loadBatchSignoff('user-wang')).toBe('{"kept":true}');
      expect(store.loadSavedSignature('user-wang')).toBeNull();
      store.saveSavedSignature('user-wang', JSON.stringify(drawing(1)), 2);
      store.saveSavedSignature('user-li', JSON.stringify(drawing(2)), 2);
      expect(JSON.parse(store.loadSavedSignature('user-wang')!)).toEqual(drawing(1));
      store.saveSavedSignature('user-wang', null, 3);
      expect(store.loadSavedSignature('user-wang')).toBeNull();
      expect(JSON.parse(store.loadSavedSignature('user-li')!)).toEqual(drawing(2));
    } finally {
      store.close();
    }
  });
});
