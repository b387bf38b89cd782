import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { readCaIndex } from '../../src/signing';
import { threePagePdf } from './fixtures';

let dir: string;
const p = (name: string): string => join(dir, name);

/** Runs `xietong …` in-process and captures what it prints. */
async function xietong(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-cli-'));
  writeFileSync(p('a.pdf'), await threePagePdf());
  writeFileSync(p('b.pdf'), await threePagePdf({ objectStreams: true }));
  writeFileSync(p('broken.pdf'), 'this is not a pdf');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xietong ca | sign | batch-sign | verify', () => {
  it('runs the whole flow of INTERFACES.md, with exit codes that scripts can rely on', async () => {
    expect((await xietong('ca', 'init', '--dir', p('ca'), '--name', '市政府办公室')).code).toBe(0);
    expect(existsSync(p('ca/root.pem'))).toBe(true);
    const issued = await xietong('ca', 'issue', '--dir', p('ca'), '--cn', '赵敏', '--unit', '办公室', '--out', p('zhao.p12'), '--password', 'pw1');
    expect(issued.code).toBe(0);
    const serial = readCaIndex(p('ca')).issued[0]!.serialHex;
    expect(issued.out).toContain(serial);

    const signed = await xietong('sign', p('a.pdf'), '--p12', p('zhao.p12'), '--password', 'pw1', '--out', p('a-signed.pdf'), '--seal-text', '市政府办公室', '--page', '3', '--x', '130', '--y', '40', '--reason', '用印');
    expect(signed.code).toBe(0);
    const verified = await xietong('verify', p('a-signed.pdf'), '--trust', p('ca/root.pem'));
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('VALID');
    expect(verified.out).toContain('赵敏');

    const json = await xietong('verify', p('a-signed.pdf'), '--trust', p('ca/root.pem'), '--json');
    const report = JSON.parse(json.out) as { ok: boolean; signatures: Array<{ reason: string; checks: Record<string, { ok: boolean }> }> };
    expect(report.ok).toBe(true);
    expect(report.signatures[0]!.reason).toBe('用印');
    expect(Object.keys(report.signatures[0]!.checks)).toEqual(expect.arrayContaining(['byteRange', 'digest', 'signature', 'chain', 'validity', 'revocation', 'modifications']));

    expect((await xietong('ca', 'revoke', '--dir', p('ca'), '--serial', serial)).code).toBe(0);
    expect((await xietong('ca', 'crl', '--dir', p('ca'), '--out', p('crl.pem'))).code).toBe(0);
    const revoked = await xietong('verify', p('a-signed.pdf'), '--trust', p('ca/root.pem'), '--crl', p('crl.pem'));
    expect(revoked.code).toBe(1);
    expect(revoked.out).toContain('revoked');
  });

  it('batch-signs with the password from the environment, reporting a bad file without stopping', async () => {
    await xietong('ca', 'init', '--dir', p('ca2'), '--name', '市发展和改革委员会');
    await xietong('ca', 'issue', '--dir', p('ca2'), '--cn', '陈静', '--unit', '办公室', '--out', p('chen.p12'), '--password', 'pw2');
    vi.stubEnv('XIETONG_P12_PASSWORD', 'pw2');
    try {
      const result = await xietong('batch-sign', '--p12', p('chen.p12'), '--out-dir', p('out'), p('a.pdf'), p('broken.pdf'), p('b.pdf'));
      expect(result.code).toBe(1);
      expect(result.err).toContain('broken.pdf');
      expect(result.out).toContain('signed 2 of 3');
    } finally {
      vi.unstubAllEnvs();
    }
    for (const name of ['a.pdf', 'b.pdf']) expect((await xietong('verify', p(`out/${name}`), '--trust', p('ca2/root.pem'))).code).toBe(0);
    expect(existsSync(p('out/broken.pdf'))).toBe(false);
    // The first CA's root does not vouch for the second CA's signer.
    expect((await xietong('verify', p('out/a.pdf'), '--trust', p('ca/root.pem'))).code).toBe(1);
  });

  it('answers bad input with one line and a non-zero exit', async () => {
    const notPdf = await xietong('verify', p('broken.pdf'), '--trust', p('ca/root.pem'));
    expect(notPdf.code).not.toBe(0);
    expect(notPdf.err.split('\n')).toHaveLength(1);
    expect(notPdf.err).toContain('not a PDF');
    const wrongPassword = await xietong('sign', p('a.pdf'), '--p12', p('zhao.p12'), '--password', 'nope', '--out', p('x.pdf'));
    expect(wrongPassword.code).not.toBe(0);
    expect(wrongPassword.err).toContain('wrong password');
    expect(existsSync(p('x.pdf'))).toBe(false);
    const missing = await xietong('sign', p('a.pdf'), '--out', p('x.pdf'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--p12');
    const noTrust = await xietong('verify', p('a.pdf'));
    expect(noTrust.code).toBe(2);
    const unsigned = await xietong('verify', p('a.pdf'), '--trust', p('ca/root.pem'));
    expect(unsigned.code).toBe(1);
    expect(unsigned.out).toContain('no signatures');
    expect((await xietong('ca', 'frobnicate', '--dir', p('ca'))).code).toBe(2);
    expect(readFileSync(p('a.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
