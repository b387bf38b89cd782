/** safeStorage as the services' SecretBox: a Linux desk without a keyring does not count as protected. */
import type { SafeStorage } from 'electron';
import { describe, expect, it } from 'vitest';
import { createSafeStorageBox } from '../../src/main/shell/secrets';

const fakeSafeStorage = (backend: string, available = true) =>
  ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].reverse()),
    decryptString: (sealed: Buffer) => Buffer.from([...sealed].reverse()).toString(),
  }) as unknown as SafeStorage;

describe('secret box', () => {
  it('uses the OS key store where there is one', () => {
    const box = createSafeStorageBox(fakeSafeStorage('gnome_libsecret'), 'linux');
    expect(box.available).toBe(true);
    const sealed = box.encrypt('token-123');
    expect(sealed.toString()).not.toContain('token-123');
    expect(box.decrypt(sealed)).toBe('token-123');
    expect(createSafeStorageBox(fakeSafeStorage('unknown'), 'win32').available).toBe(true);
  });

  it('reports no protection for Linux’s hard-coded fallback key or when encryption is unavailable', () => {
    expect(createSafeStorageBox(fakeSafeStorage('basic_text'), 'linux').available).toBe(false);
    expect(createSafeStorageBox(fakeSafeStorage('kwallet5', false), 'linux').available).toBe(false);
  });
});
