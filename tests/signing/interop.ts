/** Helpers that run the independent validators: poppler's pdfsig (with an NSS db), qpdf, OpenSSL. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readElement } from '../../src/signing/der';
import { requireTools } from '../support/systemTools';

/** Creates an NSS database in `dir` trusting `rootPem` for signing (certutil, libnss3-tools). */
export function nssDatabase(dir: string, rootPem: string): string {
  requireTools('certutil', 'pdfsig');
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  const rootFile = join(dir, 'root.pem');
  writeFileSync(rootFile, rootPem);
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'xietong-root', '-t', 'CT,C,C', '-a', '-i', rootFile]);
  return dir;
}

/** pdfsig's report (stdout), whatever its exit code. */
export function pdfsig(file: string, nssDir: string): string {
  requireTools('pdfsig');
  const result = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

/** qpdf --check output and exit status. */
export function qpdfCheck(file: string): { status: number; output: string } {
  requireTools('qpdf');
  const result = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** The byte ranges and CMS of every signature, found by scanning for /ByteRange (independent of our parser). */
export function signatureParts(pdf: Buffer): Array<{ signedBytes: Buffer; cms: Buffer }> {
  const text = pdf.toString('latin1');
  const parts: Array<{ signedBytes: Buffer; cms: Buffer }> = [];
  for (const match of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const signedBytes = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    const hex = Buffer.from(text.slice(b + 1, c - 1), 'hex');
    parts.push({ signedBytes, cms: hex.subarray(0, readElement(hex).end) });
  }
  return parts;
}

/** `openssl cms -verify` of a detached CMS over `content`; returns [exit status, output]. */
export function opensslCmsVerify(dir: string, name: string, cms: Buffer, content: Buffer, rootFile: string): { status: number; output: string } {
  requireTools('openssl');
  const cmsFile = join(dir, `${name}.p7s`);
  const contentFile = join(dir, `${name}.bin`);
  writeFileSync(cmsFile, cms);
  writeFileSync(contentFile, content);
  const result = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsFile, '-content', contentFile, '-CAfile', rootFile, '-out', '/dev/null'], { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
