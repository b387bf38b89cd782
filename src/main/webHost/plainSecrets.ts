/**
 * The web host's SecretBox. A browser tab has no OS keychain behind it, so the token is stored as
 * is inside the data folder (created readable by its owner only); `available: false` tells the
 * services that nothing stronger protects it. The desktop app uses Electron's safeStorage instead.
 */
import type { SecretBox } from '../services/appServices';

export const plainSecretBox: SecretBox = {
  available: false,
  allowUnprotected: true,
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (sealed) => sealed.toString('utf8'),
};
