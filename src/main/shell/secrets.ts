/** The SecretBox the services get: Electron's safeStorage (DPAPI, Keychain, libsecret/kwallet). */
import type { SafeStorage } from 'electron';
import type { SecretBox } from '../services/appServices';

export function createSafeStorageBox(safeStorage: SafeStorage, platform: NodeJS.Platform): SecretBox {
  // On Linux without a keyring, safeStorage falls back to a hard-coded key ('basic_text'): that is
  // obfuscation, not protection, so report it as unavailable and let the services not persist tokens.
  const weak = platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    available: safeStorage.isEncryptionAvailable() && !weak,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}
