/**
 * Seal registry figures on this machine (SQLite store, loopback): `GET /api/seals` and
 * `GET /api/seals/mine` under load, a page of a 用印记录 with 10,000 entries, and the entitlement
 * check the PDF upload runs. Prints a table, then one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, silentLogger } from '../src/sync-server/index';
import { sealEntitlement } from '../src/sync-server/seals/registry';
import { load, round } from './support/load';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xt-bench-seals-'));
  const server = await startServer({ dataDir: dir, port: 0, demo: true, log: silentLogger });
  try {
    const login = async (username: string): Promise<string> => {
      const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
      return ((await response.json()) as { token: string }).token;
    };
    const zhao = await login('zhao');
    const get = async (path: string, token: string): Promise<unknown> => {
      const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return response.json();
    };
    const { items } = (await get('/api/seals', zhao)) as { items: { id: string; certificate: { serialHex: string } }[] };
    const seal = items[0]!;

    const list = await load(400, 8, async () => void (await get('/api/seals', zhao)));
    const mine = await load(400, 8, async () => void (await get('/api/seals/mine', zhao)));

    const uses = 10_000;
    const now = Date.now();
    await server.deps.db.transaction(async (tx) => {
      for (let i = 0; i < uses; i += 1) {
        await tx.run(
          'INSERT INTO seal_uses (seal_id, document_id, document_title, doc_number, user_id, user_name, at, signer_serial_hex, signature_digest, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [seal.id, `doc-${i}`, `关于第${i}项工作的通知`, `市政办〔2026〕${i + 1}号`, 'user-zhao', '赵敏', now + i, seal.certificate.serialHex, 'ab'.repeat(32), '用印'],
        );
      }
    });
    const firstPage = await load(200, 4, async () => void (await get(`/api/seals/${seal.id}/uses`, zhao)));
    const deepPage = await load(200, 4, async () => void (await get(`/api/seals/${seal.id}/uses?before=200&limit=100`, zhao)));

    const checks = 2_000;
    const started = performance.now();
    for (let i = 0; i < checks; i += 1) {
      const verdict = await sealEntitlement(server.deps.db, { unitId: 'unit-szfb', userId: 'user-zhao', signerSerialHex: seal.certificate.serialHex, at: Date.now() });
      if (verdict.kind !== 'entitled') throw new Error('entitlement expected');
    }
    const entitlementMicros = ((performance.now() - started) / checks) * 1000;

    const result = {
      listPerSecond: list.perSecond,
      listP50Ms: list.p50,
      listP99Ms: list.p99,
      minePerSecond: mine.perSecond,
      mineP50Ms: mine.p50,
      usesFirstPageOf10kPerSecond: firstPage.perSecond,
      usesFirstPageP50Ms: firstPage.p50,
      usesDeepPageP50Ms: deepPage.p50,
      entitlementCheckMicros: round(entitlementMicros, 0),
    };
    console.log('figure                                   value');
    for (const [key, value] of Object.entries(result)) console.log(`${key.padEnd(40)} ${value}`);
    console.log(JSON.stringify(result));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
