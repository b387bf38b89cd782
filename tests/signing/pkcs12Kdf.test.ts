import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { pkcs12Kdf } from '../../src/signing/signers/pkcs12Kdf';
import { createOrganisationCa, issuePersonCertificate, openPkcs12Signer } from '../../src/signing';

// forge's own derivation, captured before anything replaces it.
const forgeKdf = (forge.pki as unknown as { pbe: { generatePkcs12Key: (...args: unknown[]) => forge.util.ByteStringBuffer } }).pbe.generatePkcs12Key;

describe('PKCS#12 key derivation with node:crypto', () => {
  const cases: Array<[string | null, string, number, number, number, string]> = [
    ['demo1234', '0102030405060708', 3, 2048, 20, 'sha1'],
    ['demo1234', 'a1b2c3d4e5f60718', 1, 2048, 24, 'sha1'],
    ['密码Pässwörd', '00ff00ff00ff00ff00ff', 2, 1000, 8, 'sha1'],
    ['', 'deadbeef', 1, 1, 32, 'sha256'],
    [null, 'cafebabecafebabe', 1, 5, 40, 'sha256'],
    ['long-password-'.repeat(10), '0011223344556677', 1, 17, 64, 'sha512'],
  ];
  it.each(cases)('gives the same bytes as node-forge (password %j, salt %s, id %i, %i rounds, %i bytes, %s)', (password, saltHex, id, rounds, length, algorithm) => {
    const salt = Buffer.from(saltHex, 'hex');
    const md = (forge.md as unknown as Record<string, { create(): unknown }>)[algorithm]!.create();
    const expected = Buffer.from(forgeKdf(password, forge.util.createBuffer(salt.toString('binary')), id, rounds, length, md).bytes(), 'binary');
    expect(pkcs12Kdf(password, salt, id, rounds, length, algorithm).toString('hex')).toBe(expected.toString('hex'));
  });

  it('refuses no iterations and unknown hashes', () => {
    expect(() => pkcs12Kdf('x', Buffer.alloc(8), 1, 0, 20)).toThrow(/iteration/);
    expect(() => pkcs12Kdf('x', Buffer.alloc(8), 1, 1, 20, 'whirlpool')).toThrow(/not supported/);
  });

  it('still opens a PKCS#12 with the right password and refuses a wrong one', () => {
    const ca = createOrganisationCa({ name: '测试单位' });
    const person = issuePersonCertificate({ ca, commonName: '赵敏', unit: '测试单位', password: 'right-password' });
    expect(openPkcs12Signer(person.p12, 'right-password').certificateChain.length).toBeGreaterThan(0);
    expect(() => openPkcs12Signer(person.p12, 'wrong-password')).toThrow(/wrong password/);
  });
});
