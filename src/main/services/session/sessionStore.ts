/**
 * The remembered session on disk (`<userData>/session.json`), so a restart does not ask for the
 * password again. The token is sealed with the host's SecretBox (Electron's safeStorage on the
 * desktop); the file is parsed with a schema on load because it may be stale, from an older
 * version, or edited by hand — anything unexpected simply means "not signed in".
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SessionSchema, type Session } from '../../../shared/api';
import type { SecretBox } from '../appServices';

const StoredSessionSchema = z.object({
  version: z.literal(1),
  session: SessionSchema,
  /** base64 of `secrets.encrypt(token)`. */
  sealedToken: z.string().min(1),
});

export interface StoredSession {
  session: Session;
  token: string;
}

export interface SessionStore {
  load(serverUrl: string): StoredSession | null;
  save(stored: StoredSession): void;
  clear(): void;
}

export function createSessionStore(userDataDir: string, secrets: SecretBox): SessionStore {
  const file = join(userDataDir, 'session.json');
  // Without real protection (e.g. Linux without a keyring) a token on disk is a token for anyone
  // who copies the file: keep it in memory only, unless the host says unprotected is acceptable.
  const persist = secrets.available || secrets.allowUnprotected === true;
  return {
    load(serverUrl) {
      if (!persist) return null;
      let raw: string;
      try {
        raw = readFileSync(file, 'utf8');
      } catch {
        return null;
      }
      try {
        const parsed = StoredSessionSchema.safeParse(JSON.parse(raw));
        // A session for another server is useless here (its token means nothing to this one).
        if (!parsed.success || parsed.data.session.serverUrl !== serverUrl) return null;
        const token = secrets.decrypt(Buffer.from(parsed.data.sealedToken, 'base64'));
        return token ? { session: parsed.data.session, token } : null;
      } catch {
        return null;
      }
    },
    save({ session, token }) {
      if (!persist) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(userDataDir, { recursive: true });
      const body = { version: 1, session, sealedToken: secrets.encrypt(token).toString('base64') };
      // Write then rename, so a crash never leaves half a file behind.
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(body), { mode: 0o600 });
      renameSync(temp, file);
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}
