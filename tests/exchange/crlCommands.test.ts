/**
 * CRLs into the server: `xietong admin crl --data DIR --file CRL.pem` (what `xietong ca crl`
 * publishes), and the server config's CRL URLs fetched at start; `xietong server --config` refuses a
 * config it cannot use with one clear line.
 */
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index';
import { createCrl } from '../../src/signing';
import { storedCrls } from '../../src/sync-server/exchange/crlStore';
import { refreshCrlFrom } from '../../src/sync-server/exchange/crlRefresh';
import { tempDir } from '../server/helpers';
import type { ExchangeVerification } from '../../src/shared/http/exchange';
import { act, call } from '../documents/helpers';
import { box, exchangeAct, sealedDocument, startCaOrg, type CaOrg } from './helpers';

async function xietong(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('CRLs loaded into the server', () => {
  let org: CaOrg;
  const tmp = tempDir('xt-crl-');
  beforeAll(async () => {
    org = await startCaOrg();
  });
  afterAll(async () => {
    await org.server.stop();
    tmp.cleanup();
  });

  it('loads a CRL file with xietong admin crl, and refuses what is not one with a clear line', async () => {
    const file = join(tmp.dir, 'crl.pem');
    writeFileSync(file, createCrl({ caCertificatePem: org.ca.certificatePem, caPrivateKeyPem: org.ca.privateKeyPem, revoked: [{ serialHex: org.serials.zhao!, revokedAt: new Date() }], crlNumber: 1 }));
    const loaded = await xietong('admin', 'crl', '--data', org.server.dataDir, '--file', file);
    expect(loaded.code).toBe(0);
    expect(loaded.out).toContain('已载入吊销列表');
    expect(loaded.out).toContain('吊销证书 1 张');
    expect((await storedCrls(org.server.deps.db)).map((c) => c.revokedCount)).toEqual([1]);
    expect((await xietong('admin', 'crl', '--data', org.server.dataDir, '--file', file)).out).toContain('吊销列表未变化');

    const junk = join(tmp.dir, 'junk.pem');
    writeFileSync(junk, 'hello');
    const refused = await xietong('admin', 'crl', '--data', org.server.dataDir, '--file', junk);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('不是可读的证书吊销列表');
    expect((await xietong('admin', 'crl', '--data', org.server.dataDir)).err).toContain('--file is required');
    await org.server.deps.db.run('DELETE FROM exchange_crls');
  });

  it('fetches the CRL URLs of the server config at start, stores what a trusted root issued, and a revocation published there shows as 已撤销', async () => {
    let served = createCrl({ caCertificatePem: org.ca.certificatePem, caPrivateKeyPem: org.ca.privateKeyPem, revoked: [], crlNumber: 5 });
    let requests = 0;
    const published: Server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      res.end(served);
    });
    await new Promise<void>((resolve) => published.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(published.address() as { port: number }).port}/root.crl`;
    const other = await startCaOrg({ exchange: { crlUrls: [url] } });
    try {
      for (let i = 0; i < 100 && requests === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests).toBeGreaterThan(0);
      // That server's roots did not include the publisher yet: nothing stored. Trusted, the next fetch stores it.
      expect(await storedCrls(other.server.deps.db)).toEqual([]);
      await other.server.deps.accounts.addTrustedRoot('发布者', org.ca.certificatePem);
      expect(await refreshCrlFrom(other.server.deps, url)).toBe('0 revoked');
      expect((await storedCrls(other.server.deps.db)).map((c) => c.source)).toEqual([url]);
      expect(await refreshCrlFrom(other.server.deps, url)).toBe('unchanged');

      // The CA revokes the clerk's certificate and publishes at the same URL: the next refresh (what
      // the config's timer runs) makes the seal 已撤销 at both ends, and 签收 is refused.
      const id = await sealedDocument(other, '关于吊销列表刷新的通知');
      expect((await act(other, 'zhao', id, { action: 'dispatch', units: ['unit-sfgw'] })).status).toBe(200);
      const item = (await box(other, 'chen', 'incoming')).find((i) => i.documentId === id)!;
      served = createCrl({ caCertificatePem: other.ca.certificatePem, caPrivateKeyPem: other.ca.privateKeyPem, revoked: [{ serialHex: other.serials.zhao!, revokedAt: new Date() }], crlNumber: 1 });
      expect(await refreshCrlFrom(other.server.deps, url)).toBe('1 revoked');
      for (const who of ['chen', 'zhao']) {
        const seen = await call<ExchangeVerification>(other.server.url, 'GET', `/api/exchange/${item.id}/verification`, { token: other.tokens[who]! });
        expect(seen.body.verdict).toBe('revoked');
        expect(seen.body.signatures[0]).toMatchObject({ verdict: 'revoked', signerName: '赵敏', problems: ['签章证书已被吊销'] });
      }
      const refused = await exchangeAct(other, 'chen', item.id, { action: 'receive' });
      expect(refused.status).toBe(422);
      expect(refused.body.error?.message).toContain('签章证书已被吊销');
    } finally {
      await other.server.stop();
      await new Promise((resolve) => published.close(resolve));
    }
  });

  it('refuses a server config it cannot use', async () => {
    const bad = join(tmp.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ exchange: { deadlines: { normal: { days: 3 } } } }));
    const result = await xietong('server', '--config', bad, '--port', '0');
    expect(result.code).not.toBe(0);
    expect(result.err).toContain(`--config ${bad}: exchange.deadlines.normal`);
    writeFileSync(bad, '{');
    expect((await xietong('server', '--config', bad)).err).toContain(`--config ${bad}:`);
  });
});
