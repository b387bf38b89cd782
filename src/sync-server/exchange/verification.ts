/**
 * Verification of exchanged documents at the server: every signature and seal of the stored PDF
 * against the trusted roots and the stored CRLs, with the verdict a clerk reads (有效 / 无效 /
 * 已撤销 / 不受信任), the signer, the time, and which unit's seal. 分发 is refused unless the sending
 * unit's seal verifies; 签收 is refused unless the document still verifies.
 *
 * Results are cached by the digest of the bytes actually read together with the trust material
 * (roots and CRLs), so a new CRL or root is seen at once and bytes changed in the store (which
 * no longer match the digest they were filed under) are never served a stale 有效.
 */
import { createHash } from 'node:crypto';
import { documentVerdict, type SignatureVerdict } from '../../shared/domain/exchange';
import type { ExchangeSignatureResult } from '../../shared/http/exchange';
import { signatureVerdict, verifyPdf, type PdfVerification, type SignatureChecks, type SignatureVerification } from '../../signing';
import type { ServerDeps } from '../deps';
import { getBlob, sha256Hex } from '../documents/repository';
import { normaliseSerialHex } from '../seals/registry';
import { rejected } from '../http/errors';
import { storedCrls } from './crlStore';
import { errorText, type ErrorText } from '../../shared/errors';

/** A document's verification, before it is tied to an exchange item. */
export interface DocumentVerification {
  readonly verdict: SignatureVerdict;
  readonly signatures: ExchangeSignatureResult[];
  /** In Chinese, as the CLI and older clients show them. */
  readonly problems: string[];
  /** The same problems with catalogue keys, so a client words them in the person's language. */
  readonly problemTexts: ErrorText[];
  readonly crlCount: number;
  readonly checkedAt: number;
}

const CACHE_LIMIT = 256;

export class SealVerifier {
  private readonly cache = new Map<string, DocumentVerification>();

  constructor(
    private readonly deps: Pick<ServerDeps, 'db' | 'accounts' | 'now'>,
    private readonly options: { cache?: boolean } = {},
  ) {}

  /** Verifies the blob filed under `sha256` (a missing blob or bytes not matching it are 无效). */
  async verifyBlob(sha256: string): Promise<DocumentVerification> {
    const bytes = await getBlob(this.deps.db, sha256);
    if (!bytes) return this.broken(errorText('exchange.fileNotFound'));
    const actual = sha256Hex(bytes);
    const result = await this.verifyBytes(bytes, actual);
    if (actual === sha256) return result;
    // The store holds other bytes than were dispatched: whatever their signatures say, not the document sent.
    const altered = errorText('verification.fileAltered');
    return { ...result, verdict: 'invalid', problems: [altered.message, ...result.problems], problemTexts: [altered, ...result.problemTexts] };
  }

  /** Verifies `bytes` (whose SHA-256 is `sha256`). */
  async verifyBytes(bytes: Buffer, sha256: string): Promise<DocumentVerification> {
    const roots = (await this.deps.accounts.trustedRoots()).map((r) => r.pem);
    const crls = await storedCrls(this.deps.db);
    if (roots.length === 0) return this.broken(errorText('sealing.noTrustedRoots'), crls.length);
    const trust = createHash('sha256').update(roots.join('\n')).update('\0').update(crls.map((c) => c.pem).join('\n')).digest('hex');
    const key = `${sha256}:${trust}`;
    const cached = this.options.cache === false ? undefined : this.cache.get(key);
    if (cached) return cached;
    let verification: PdfVerification;
    try {
      verification = await verifyPdf(bytes, { trustedRoots: roots, crls: crls.map((c) => c.pem) });
    } catch (error) {
      return this.broken(errorText('verification.unreadable', { reason: error instanceof Error ? error.message : String(error) }), crls.length);
    }
    const sealNames = await this.sealsBySerial(verification.signatures.map((s) => s.signerSerialHex).filter((s): s is string => !!s));
    const unitNames = (await this.deps.accounts.listUnits()).map((u) => u.name).sort((a, b) => b.length - a.length);
    const signatures = verification.signatures.map((s): ExchangeSignatureResult => {
      const { verdict, problems } = signatureVerdict(s);
      const seal = s.signerSerialHex ? sealNames.get(normaliseSerialHex(s.signerSerialHex)) : undefined;
      const subjectUnit = unitNames.find((name) => (s.signerSubject ?? '').includes(name));
      const signedAt = s.timestampTime ?? s.claimedSigningTime;
      return {
        index: s.index,
        verdict,
        ...(s.signerName ? { signerName: s.signerName } : {}),
        ...(signedAt ? { signedAt } : {}),
        ...(seal ? { sealName: seal.name } : {}),
        ...((seal?.unitName ?? subjectUnit) ? { unitName: seal?.unitName ?? subjectUnit } : {}),
        onlySignaturesAppended: s.checks.modifications.ok,
        problems,
        problemTexts: failedChecks(s).map((name) => errorText(checkKeys[name])),
      };
    });
    const whole = signatures.length === 0 ? [errorText('verification.noSignatures')] : [];
    const result: DocumentVerification = {
      verdict: documentVerdict(signatures.map((s) => s.verdict)),
      signatures,
      problems: whole.map((text) => text.message),
      problemTexts: whole,
      crlCount: crls.length,
      checkedAt: this.deps.now(),
    };
    if (this.options.cache !== false) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, result);
    }
    return result;
  }

  private broken(problem: ErrorText, crlCount = 0): DocumentVerification {
    return { verdict: 'invalid', signatures: [], problems: [problem.message], problemTexts: [problem], crlCount, checkedAt: this.deps.now() };
  }

  /** Registered seals by their certificate's serial: the seal's name and its unit's name. */
  private async sealsBySerial(serials: string[]): Promise<Map<string, { name: string; unitName?: string }>> {
    const found = new Map<string, { name: string; unitName?: string }>();
    if (serials.length === 0) return found;
    const wanted = serials.map(normaliseSerialHex);
    const rows = await this.deps.db.all<{ serial_hex: string; name: string; unit_id: string }>(
      `SELECT serial_hex, name, unit_id FROM seals WHERE serial_hex IN (${wanted.map(() => '?').join(', ')})`,
      wanted,
    );
    const units = new Map((await this.deps.accounts.listUnits()).map((u) => [u.id, u.name]));
    for (const row of rows) found.set(normaliseSerialHex(row.serial_hex), { name: row.name, ...(units.get(row.unit_id) ? { unitName: units.get(row.unit_id) } : {}) });
    return found;
  }
}

/** The catalogue key of each check's failure; its zh wording is the signing library's (a test holds them equal). */
export const checkKeys = {
  byteRange: 'verification.byteRange',
  digest: 'verification.digest',
  signature: 'verification.signature',
  pades: 'verification.pades',
  chain: 'verification.chain',
  validity: 'verification.validity',
  revocation: 'verification.revocation',
  modifications: 'verification.modifications',
  timestamp: 'verification.timestamp',
} as const satisfies Record<keyof SignatureChecks, string>;

/** The checks that failed, in the order signatureVerdict lists its problems. */
export function failedChecks(signature: Pick<SignatureVerification, 'checks'>): (keyof SignatureChecks)[] {
  return (Object.keys(signature.checks) as (keyof SignatureChecks)[]).filter((name) => signature.checks[name] && !signature.checks[name].ok);
}

/**
 * The reasons a verification is not 有效, one line (the `{problems}` of a 409/422). It stays Chinese
 * in every language: a parameter has one value, and the verification panel words each problem.
 */
export function verificationProblems(verification: DocumentVerification): string {
  const lines = [...verification.problems];
  for (const s of verification.signatures) {
    if (s.verdict === 'valid') continue;
    lines.push(`${s.signerName ?? `第${s.index}个签章`}：${s.problems.join('、') || '未通过'}`);
  }
  return lines.join('；') || '签章未通过验证';
}

/** Verifiers per store: one cache per server, shared by the documents and exchange routes. */
const verifiers = new WeakMap<object, SealVerifier>();
export function sealVerifierFor(deps: Pick<ServerDeps, 'db' | 'accounts' | 'now'>): SealVerifier {
  let verifier = verifiers.get(deps.db);
  if (!verifier) {
    verifier = new SealVerifier(deps);
    verifiers.set(deps.db, verifier);
  }
  return verifier;
}

/**
 * 分发 only what verifies, under the sending unit's own seal: the sealed PDF of `documentId` must be
 * 有效 in every signature and carry a seal (or a signer's certificate) of `unitName`. Throws 422 with
 * the reason otherwise; does nothing for a document not yet sealed (分发 refuses that itself).
 */
export async function checkDispatchSeal(deps: Pick<ServerDeps, 'db' | 'accounts' | 'now'>, documentId: string, unitName: string): Promise<void> {
  const pdf = await deps.db.get<{ current_sha256: string; signed: number }>('SELECT current_sha256, signed FROM document_pdfs WHERE document_id = ?', [documentId]);
  if (!pdf || Number(pdf.signed) !== 1) return;
  const verification = await sealVerifierFor(deps).verifyBlob(pdf.current_sha256);
  if (verification.verdict !== 'valid') throw rejected(errorText('exchange.dispatchVerifyFailed', { problems: verificationProblems(verification) }));
  if (!verification.signatures.some((s) => s.unitName === unitName)) throw rejected(errorText('exchange.noUnitSeal', { unitName }));
}
