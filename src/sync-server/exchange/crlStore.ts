/**
 * The CRLs the server checks revocation against (`exchange_crls`, exchange-004): one per issuing CA,
 * loaded by `xietong admin crl --file` or refreshed from the URLs in the server config. A CRL is
 * kept only when a trusted root signed it, and never replaced by an older one (a replayed CRL
 * would un-revoke a certificate).
 */
import { X509Certificate } from 'node:crypto';
import { certificatesFromPem, parseCrl } from '../../signing';
import type { Accounts } from '../accounts/accounts';
import { HttpError } from '../http/errors';
import type { Queryable } from '../store/database';
import { errorText } from '../../shared/errors';

export interface StoredCrl {
  readonly issuer: string;
  readonly pem: string;
  readonly thisUpdate: number;
  readonly nextUpdate: number | null;
  readonly revokedCount: number;
  readonly source: string;
  readonly loadedAt: number;
}

/** What loading did: stored, or kept the newer one already there. */
export interface CrlLoadResult {
  readonly issuer: string;
  readonly revokedCount: number;
  readonly thisUpdate: string;
  readonly replaced: boolean;
  readonly unchanged: boolean;
}

const MAX_CRL_BYTES = 10 * 1024 * 1024;

function toPem(input: Buffer | string): string {
  const text = typeof input === 'string' ? input : input.subarray(0, 64).toString('latin1').includes('-----BEGIN') ? input.toString('latin1') : null;
  if (text !== null) return text;
  const base64 = input.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN X509 CRL-----\n${base64}-----END X509 CRL-----\n`;
}

/**
 * Parses, checks and stores a CRL (PEM or DER). Throws an HttpError (422) with a Chinese reason
 * when it is not a CRL or no trusted root issued it.
 */
export async function loadCrl(db: Queryable, accounts: Pick<Accounts, 'trustedRoots'>, input: Buffer | string, source: string, now: number): Promise<CrlLoadResult> {
  if ((typeof input === 'string' ? input.length : input.byteLength) > MAX_CRL_BYTES) throw new HttpError('rejected', errorText('exchange.crlTooLarge'));
  let crl;
  const pem = toPem(input);
  try {
    crl = parseCrl(pem);
  } catch (error) {
    throw new HttpError('rejected', errorText('exchange.crlUnreadable', { reason: error instanceof Error ? error.message : String(error) }));
  }
  const roots = (await accounts.trustedRoots()).flatMap((root) => certificatesFromPem(root.pem).map((der) => new X509Certificate(der)));
  const issuer = roots.find((root) => crl.isSignedBy(root.publicKey));
  if (!issuer) throw new HttpError('rejected', errorText('exchange.crlUntrusted'));
  const issuerName = issuer.subject.replace(/\n/g, ', ');
  const existing = await db.get<{ this_update: number }>('SELECT this_update FROM exchange_crls WHERE issuer = ?', [issuerName]);
  const thisUpdate = crl.thisUpdate.getTime();
  const result = { issuer: issuerName, revokedCount: crl.revoked.size, thisUpdate: crl.thisUpdate.toISOString() };
  if (existing && Number(existing.this_update) > thisUpdate) throw new HttpError('rejected', errorText('exchange.crlOlder', { issued: new Date(Number(existing.this_update)).toISOString() }));
  if (existing && Number(existing.this_update) === thisUpdate) return { ...result, replaced: false, unchanged: true };
  await db.run(
    `INSERT INTO exchange_crls (issuer, pem, this_update, next_update, revoked_count, source, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (issuer) DO UPDATE SET pem = excluded.pem, this_update = excluded.this_update, next_update = excluded.next_update,
       revoked_count = excluded.revoked_count, source = excluded.source, loaded_at = excluded.loaded_at`,
    [issuerName, pem, thisUpdate, crl.nextUpdate?.getTime() ?? null, crl.revoked.size, source, now],
  );
  return { ...result, replaced: !!existing, unchanged: false };
}

/** Every stored CRL. */
export async function storedCrls(db: Queryable): Promise<StoredCrl[]> {
  const rows = await db.all<{ issuer: string; pem: string; this_update: number; next_update: number | null; revoked_count: number; source: string; loaded_at: number }>(
    'SELECT issuer, pem, this_update, next_update, revoked_count, source, loaded_at FROM exchange_crls ORDER BY issuer',
  );
  return rows.map((r) => ({
    issuer: r.issuer,
    pem: r.pem,
    thisUpdate: Number(r.this_update),
    nextUpdate: r.next_update === null ? null : Number(r.next_update),
    revokedCount: Number(r.revoked_count),
    source: r.source,
    loadedAt: Number(r.loaded_at),
  }));
}
