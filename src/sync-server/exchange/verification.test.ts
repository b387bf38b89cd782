import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorText, wordError } from '../../shared/errors';
import { signatureVerdict, type SignatureChecks, type SignatureVerification } from '../../signing';
import { checkKeys, failedChecks } from './verification';

const good = { ok: true, detail: '' };
const allGood: SignatureChecks = {
  byteRange: good,
  digest: good,
  signature: good,
  pades: good,
  chain: good,
  validity: good,
  revocation: { ...good, status: 'good' },
  modifications: good,
  timestamp: good,
};
const signatureWith = (checks: Partial<SignatureChecks>): SignatureVerification => ({ checks: { ...allGood, ...checks } }) as SignatureVerification;

describe('verification problems as catalogue keys', () => {
  it.each(Object.keys(checkKeys) as (keyof SignatureChecks)[])('a failed %s check: its key words it as the signing library does in zh, and in English', (name) => {
    const failing = signatureWith({ [name]: name === 'revocation' ? { ok: false, detail: '', status: 'revoked' } : { ok: false, detail: '' } });
    expect(failedChecks(failing)).toEqual([name]);
    const text = errorText(checkKeys[name]);
    // The zh problem list on the wire comes from the signing library: the key must say the same.
    expect(signatureVerdict(failing).problems).toEqual([text.message]);
    expect(wordError(text, 'en')).toBe(errorCatalogue[checkKeys[name]].en);
    expect(wordError(text, 'en')).not.toMatch(/\p{Script=Han}/u);
  });

  it('lists several failed checks in the order of the zh problems', () => {
    const failing = signatureWith({ chain: { ok: false, detail: '' }, digest: { ok: false, detail: '' } });
    expect(failedChecks(failing).map((name) => errorText(checkKeys[name]).message)).toEqual(signatureVerdict(failing).problems);
  });
});
