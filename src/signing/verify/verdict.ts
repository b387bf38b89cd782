/**
 * One signature's verification read as a clerk reads it: 有效, 无效 (the document or the signature
 * is broken, or something other than signatures was appended), 已撤销 (the signer's certificate is on
 * a CRL) or 不受信任 (it does not chain to a trusted root), with every failed check in Chinese.
 */
import type { SignatureVerdict } from '../../shared/domain/exchange/verdict';
import type { SignatureChecks, SignatureVerification } from './verifyPdf';

/** Why each check fails, in the words shown beside the verdict. */
const problemLabels: Record<keyof SignatureChecks, string> = {
  byteRange: '签名覆盖范围不完整',
  digest: '签章后文件内容被改动',
  signature: '签名值与证书不符',
  pades: '签名格式不符合 PAdES 要求',
  chain: '签章证书不是受信任的根证书签发的',
  validity: '签章时证书不在有效期内',
  revocation: '签章证书已被吊销',
  modifications: '签章后追加了签章以外的改动',
  timestamp: '时间戳无效',
};

/** Checks whose failure means the bytes or the signature itself cannot be relied on. */
const integrity: ReadonlyArray<keyof SignatureChecks> = ['byteRange', 'digest', 'signature', 'pades', 'modifications', 'validity', 'timestamp'];

/** The verdict and the failed checks of one signature. */
export function signatureVerdict(signature: SignatureVerification): { verdict: SignatureVerdict; problems: string[] } {
  const failed = (Object.keys(signature.checks) as Array<keyof SignatureChecks>).filter((name) => signature.checks[name] && !signature.checks[name].ok);
  const problems = failed.map((name) => problemLabels[name]);
  // The checks after the first failure say "not checked"; only the first cause is worth a line then.
  if (failed.some((name) => integrity.includes(name))) return { verdict: 'invalid', problems };
  if (signature.checks.revocation.status === 'revoked') return { verdict: 'revoked', problems };
  if (failed.includes('chain')) return { verdict: 'untrusted', problems };
  return { verdict: failed.length === 0 ? 'valid' : 'invalid', problems };
}
