import { describe, it, expect } from 'vitest';
import { signBatch, verifyPdf, openPkcs12Signer, type BatchProgress } from '../../src/signing';
import { threePagePdf, testIdentity } from './fixtures';

describe('signBatch', () => {
  it('signs every document with one unlocked key, reports progress and per-document failures, then drops the key', async () => {
    const identity = testIdentity('王建国');
    const signer = openPkcs12Signer(identity.p12, identity.password);
    const good = await threePagePdf();
    const progress: BatchProgress[] = [];
    const results = await signBatch(
      [
        { id: 'one', pdf: good },
        { id: 'bad', pdf: Buffer.from('not a pdf') },
        { id: 'two', pdf: () => threePagePdf({ objectStreams: true }) },
        { id: 'sealed', pdf: good, options: { appearance: { page: 2, x: 100, y: 100, graphic: { type: 'officialSeal', unitName: '市政府办公室' } } } },
      ],
      signer,
      { signOptions: { reason: '签发' }, onProgress: (step) => progress.push(step) },
    );
    expect(results.map((result) => [result.id, result.ok])).toEqual([
      ['one', true],
      ['bad', false],
      ['two', true],
      ['sealed', true],
    ]);
    expect(results[1]).toMatchObject({ ok: false, error: expect.stringContaining('not a PDF') as unknown });
    expect(progress.map((step) => [step.done, step.total, step.failed])).toEqual([
      [1, 4, 0],
      [2, 4, 1],
      [3, 4, 1],
      [4, 4, 1],
    ]);
    for (const result of results) {
      if (!result.ok) continue;
      const verification = await verifyPdf(result.pdf, { trustedRoots: identity.ca.certificatePem });
      expect(verification.ok).toBe(true);
      expect(verification.signatures[0]!.reason).toBe('签发');
    }
    // The batch closed the signer: its key is gone.
    await expect(signer.sign(Buffer.from('x'))).rejects.toThrow(/closed/);
  });

  it('counts a document whose output cannot be saved as failed and carries on', async () => {
    const identity = testIdentity('李文');
    const signer = openPkcs12Signer(identity.p12, identity.password);
    const pdf = await threePagePdf();
    const results = await signBatch([{ id: 'a', pdf }, { id: 'b', pdf }], signer, {
      keepOutput: false,
      onResult: (result) => {
        if (result.id === 'a') throw new Error('disk full');
      },
    });
    expect(results[0]).toMatchObject({ ok: false, error: expect.stringContaining('disk full') as unknown });
    expect(results[1]!.ok).toBe(true);
  });
});
