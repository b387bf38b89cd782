/**
 * 公文交换 at a city's scale (issue 20), SQLite store, loopback: one sealed 通知 dispatched to 220
 * units in one action (the server verifies the seal first), 220 verifications of the sealed PDF
 * (each from scratch, as the library does them), and 220 clerks signing for it over HTTP (each
 * 签收 re-verified by the server; four at a time). Reports the times and the server process's memory.
 * Target: dispatch to 220 under 2 s. Prints a table, then one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganisationCa, issuePersonCertificate, openPkcs12Signer, signPdf, verifyPdf } from '../src/signing';
import { startServer, silentLogger } from '../src/sync-server/index';

const UNITS = 220;
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number): number => round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xt-bench-exchange-'));
  const server = await startServer({ dataDir: join(dir, 'data'), port: 0, demo: true, demoCertificates: false, log: silentLogger });
  try {
    const call = async (path: string, init: { method?: string; token?: string; json?: unknown; body?: Uint8Array; type?: string } = {}): Promise<Response> => {
      const headers: Record<string, string> = {};
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.json !== undefined || init.type) headers['content-type'] = init.type ?? 'application/json';
      const response = await fetch(server.url + path, { method: init.method ?? 'GET', headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
      return response;
    };
    const login = async (username: string): Promise<string> => ((await (await call('/api/auth/login', { method: 'POST', json: { username, password: 'demo1234' } })).json()) as { token: string }).token;

    // The organisation: its CA trusted, zhao's certificate, 220 receiving units with a clerk each.
    const ca = createOrganisationCa({ name: '佛山市测试CA' });
    await server.deps.accounts.addTrustedRoot('佛山市测试CA', ca.certificatePem);
    const zhaoP12 = issuePersonCertificate({ ca, commonName: '赵敏', unit: '市政府办公室', password: 'demo1234' }).p12;
    const units: string[] = [];
    const clerks: string[] = [];
    for (let i = 1; i <= UNITS; i += 1) {
      const unit = await server.deps.accounts.ensureUnit(i <= 5 ? `第${i}区人民政府` : `市第${i}局`, `测${i}`);
      units.push(unit.id);
      const username = `clerk${i}`;
      await server.deps.accounts.createUser({ id: `user-${username}`, username, name: `文书${i}`, unitId: unit.id, departmentId: null, roles: ['clerk'], password: 'demo1234', mustChangePassword: false });
      clerks.push(username);
    }
    const [li, wang, zhao] = [await login('li'), await login('wang'), await login('zhao')];
    const tokens: string[] = [];
    for (const clerk of clerks) tokens.push(await login(clerk));

    // One sealed 通知.
    const { id } = (await (await call('/api/documents', { method: 'POST', token: li, json: { kind: 'outgoing', type: 'notice', title: '关于做好全市防汛工作的通知', body: '各单位要认真做好防汛工作。', mainRecipients: [{ name: '各区人民政府' }] } })).json()) as { id: string };
    const act = (token: string, json: unknown) => call(`/api/documents/${id}/actions`, { method: 'POST', token, json });
    await act(li, { action: 'submit', to: ['user-wang'] });
    await act(wang, { action: 'approve', opinion: { text: '同意' } });
    await act(zhao, { action: 'number' });
    const pdf = await call(`/api/documents/${id}/pdf`, { token: zhao });
    const placement = JSON.parse(pdf.headers.get('x-seal-placement') ?? '{}') as Record<string, number>;
    const signer = openPkcs12Signer(zhaoP12, 'demo1234');
    const sealed = await signPdf(Buffer.from(await pdf.arrayBuffer()), signer, {
      reason: '用印',
      appearance: { page: placement.pageNumber!, x: placement.xMm!, y: placement.yMm!, width: placement.diameterMm!, height: placement.diameterMm!, graphic: { type: 'officialSeal', unitName: '市政府办公室' } },
    });
    signer.close();
    await call(`/api/documents/${id}/pdf`, { method: 'PUT', token: zhao, body: sealed, type: 'application/pdf' });
    await act(zhao, { action: 'seal' });

    globalThis.gc?.();
    const before = process.memoryUsage();
    // Dispatch to 220 in one action (the seal verified first, 220 items in one transaction).
    let t = performance.now();
    const dispatched = (await (await act(zhao, { action: 'dispatch', units })).json()) as { receipts: unknown[] };
    const dispatchMs = round(performance.now() - t);
    if (dispatched.receipts.length !== UNITS) throw new Error(`dispatched ${dispatched.receipts.length} items`);

    // 220 verifications from scratch (what every receiving side's check costs without the cache).
    t = performance.now();
    for (let i = 0; i < UNITS; i += 1) {
      const result = await verifyPdf(sealed, { trustedRoots: ca.certificatePem });
      if (!result.ok) throw new Error('seal did not verify');
    }
    const verify220Ms = round(performance.now() - t);

    // 220 clerks sign for it, four at a time; each 签收 re-verified by the server.
    const items = new Map<string, string>();
    for (const [i, token] of tokens.entries()) {
      const box = (await (await call('/api/exchange?box=incoming', { token })).json()) as { items: { id: string; documentId: string }[] };
      items.set(clerks[i]!, box.items.find((item) => item.documentId === id)!.id);
    }
    let next = 0;
    t = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < UNITS) {
          const i = next++;
          await call(`/api/exchange/${items.get(clerks[i]!)!}/actions`, { method: 'POST', token: tokens[i]!, json: { action: 'receive' } });
        }
      }),
    );
    const signFor220Ms = round(performance.now() - t);
    const outgoing = (await (await call('/api/exchange?box=outgoing', { token: zhao })).json()) as { items: { documentId: string; status: string }[] };
    const received = outgoing.items.filter((item) => item.documentId === id && item.status === 'received').length;
    if (received !== UNITS) throw new Error(`only ${received} signed for`);
    const after = process.memoryUsage();

    const figures = {
      units: UNITS,
      dispatchMs,
      dispatchTargetMet: dispatchMs < 2000,
      verify220Ms,
      verifyOneMs: round(verify220Ms / UNITS, 2),
      signFor220Ms,
      signForPerSecond: round(UNITS / (signFor220Ms / 1000)),
      rssMb: mb(after.rss),
      heapUsedMb: mb(after.heapUsed),
      rssGrowthMb: mb(after.rss - before.rss),
    };
    console.log(`dispatch to ${UNITS} units (one action, seal verified first): ${dispatchMs} ms (target < 2000 ms: ${figures.dispatchTargetMet ? 'met' : 'NOT met'})`);
    console.log(`${UNITS} verifications from scratch: ${verify220Ms} ms (${figures.verifyOneMs} ms each)`);
    console.log(`${UNITS} 签收 over HTTP, re-verified by the server, 4 at a time: ${signFor220Ms} ms (${figures.signForPerSecond}/s)`);
    console.log(`server process memory: rss ${figures.rssMb} MB, heap ${figures.heapUsedMb} MB (rss +${figures.rssGrowthMb} MB during dispatch and 签收)`);
    console.log(JSON.stringify(figures));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
