import { describe, expect, it } from 'vitest';
import { generateOneTimePassword, hashOneTimePassword, hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('verifies the password that was hashed and nothing else', async () => {
    const stored = await hashPassword('春眠不觉晓-2026');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('春眠不觉晓-2026', stored)).toBe(true);
    expect(await verifyPassword('春眠不觉晓-2025', stored)).toBe(false);
    // Salted: the same password hashes differently each time.
    expect(await hashPassword('春眠不觉晓-2026')).not.toBe(stored);
  });

  it('hashes one-time passwords cheaply and still verifies them', async () => {
    const otp = generateOneTimePassword();
    expect(otp).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{12}$/);
    const stored = await hashOneTimePassword(otp);
    expect(stored).toMatch(/^scrypt\$1024\$/);
    expect(await verifyPassword(otp, stored)).toBe(true);
  });

  it('refuses stored values with other parameters or a broken format', async () => {
    const stored = await hashPassword('secret-pass');
    expect(await verifyPassword('secret-pass', stored.replace('$16384$', '$2$'))).toBe(false);
    expect(await verifyPassword('secret-pass', 'plain:secret-pass')).toBe(false);
    expect(await verifyPassword('secret-pass', stored.slice(0, -4))).toBe(false);
  });
});
