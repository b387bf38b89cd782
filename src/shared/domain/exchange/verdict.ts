/** The four outcomes of checking one signature or seal, as the clerk reads them. */
import { z } from 'zod';

export const SignatureVerdictSchema = z.enum(['valid', 'invalid', 'revoked', 'untrusted']);
export type SignatureVerdict = z.infer<typeof SignatureVerdictSchema>;

export const signatureVerdictLabels: Record<SignatureVerdict, string> = {
  valid: '有效',
  invalid: '无效',
  revoked: '已撤销',
  untrusted: '不受信任',
};

/** The verdict of a whole document: the worst of its signatures (none at all is 无效). */
export function documentVerdict(verdicts: readonly SignatureVerdict[]): SignatureVerdict {
  if (verdicts.length === 0) return 'invalid';
  for (const worst of ['invalid', 'revoked', 'untrusted'] as const) if (verdicts.includes(worst)) return worst;
  return 'valid';
}
