/**
 * The last copy of a document's PDF, kept in the replica (src/main/services/documents): through the
 * dispatcher against a real sync server, then with that server stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../src/main/services/app';
import type { AppServices } from '../../src/main/services/appServices';
import { plainSecretBox } from '../../src/main/webHost/plainSecrets';
import type { LocalDocument, Result } from '../../src/shared/api';
import { startServer, silentLogger, type RunningServer } from '../../src/sync-server/index';

interface PdfAnswer {
  base64: string;
  sha256: string;
  fromReplica: boolean;
  fetchedAt: string;
  version?: string;
}

let root: string;
let server: RunningServer | null;
let services: AppServices;

const call = <T>(channel: string, input: unknown) => services.dispatcher.dispatch(channel, input) as Promise<Result<T>>;
async function value<T>(channel: string, input: unknown): Promise<T> {
  const result = await call<T>(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'xt-pdfcopy-'));
  server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: join(root, 'server') });
  services = await createAppServices({ userDataDir: join(root, 'client'), serverUrl: server.url, secrets: plainSecretBox, emit: () => undefined });
  await value('session:login', { username: 'li', password: 'demo1234' });
}, 120_000);

afterAll(async () => {
  await services?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the PDF kept in the replica', () => {
  it('keeps the last PDF fetched, with its digest and version, and shows it when the server is away', async () => {
    const kept = await value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于预览副本的通知', body: '这是正文的第一段。' });
    const never = await value<LocalDocument>('documents:create', { kind: 'outgoing', title: '从未打开过的通知' });
    const id = kept.document.id;
    await value<LocalDocument>('documents:get', { id });

    // Nothing kept yet: the replica has no copy to offer.
    const none = await call<PdfAnswer>('documents:pdf', { id, from: 'replica' });
    expect(none.ok ? null : none.error.code).toBe('not_found');

    const online = await value<PdfAnswer>('documents:pdf', { id });
    const bytes = Buffer.from(online.base64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(online.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(online).toMatchObject({ fromReplica: false, version: kept.document.updatedAt });

    const fromReplica = await value<PdfAnswer>('documents:pdf', { id, from: 'replica' });
    expect(fromReplica).toMatchObject({ fromReplica: true, sha256: online.sha256, fetchedAt: online.fetchedAt, version: kept.document.updatedAt });
    expect(fromReplica.base64).toBe(online.base64);

    // Opening the document again (a newer read of its view) must not forget the PDF.
    await value<LocalDocument>('documents:get', { id });

    await server!.close();
    server = null;
    const offline = await value<PdfAnswer>('documents:pdf', { id });
    expect(offline).toMatchObject({ fromReplica: true, sha256: online.sha256, fetchedAt: online.fetchedAt });
    expect(offline.base64).toBe(online.base64);

    const missing = await call<PdfAnswer>('documents:pdf', { id: never.document.id });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe('offline');
      expect(missing.error.message).toContain('离线');
    }
  });
});
