/**
 * The remembered session on disk (`<userData>/session.json`), so a restart does not ask for the
 * password again. The token is sealed with the host's SecretBox (Electron's safeStorage on the
 * desktop); the file is parsed with a schema on load because it may be stale, from an older
 * version, or edited by hand — anything unexpected simply means "not signed in".
 */
import { randomBytes } from 'node:crypto';
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
  /** When the token was received (this machine's clock) and how long it lasts (ms): when to refresh it. */
  issuedAt: z.number().int().optional(),
  lifetimeMs: z.number().int().positive().optional(),
});

const PendingLogoutsSchema = z.object({
  version: z.literal(1),
  serverUrl: z.string(),
  /** base64 of `secrets.encrypt(token)` of each session signed out while the server was out of reach. */
  sealedTokens: z.array(z.string().min(1)).max(100),
});

const DeviceSchema = z.object({ version: z.literal(1), deviceId: z.string().regex(/^[A-Za-z0-9_-]{22,128}$/) });

export interface StoredSession {
  session: Session;
  token: string;
  issuedAt?: number;
  lifetimeMs?: number;
}

export interface SessionStore {
  load(serverUrl: string): StoredSession | null;
  save(stored: StoredSession): void;
  clear(): void;
  /** Tokens signed out offline, still to be revoked on the server (oldest first). */
  pendingLogouts(serverUrl: string): string[];
  savePendingLogouts(serverUrl: string, tokens: readonly string[]): void;
  /**
   * This installation's device id, created once: sent at login, it lets its owner past a lock on
   * the username that someone else caused. Alone it opens nothing (the password is still needed).
   */
  deviceId(): string;
}

/** Write then rename, so a crash never leaves half a file behind. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function createSessionStore(userDataDir: string, secrets: SecretBox): SessionStore {
  const file = join(userDataDir, 'session.json');
  const pendingFile = join(userDataDir, 'pending-logout.json');
  const deviceFile = join(userDataDir, 'device.json');
  let pendingInMemory: { serverUrl: string; tokens: string[] } = { serverUrl: '', tokens: [] };
  let deviceInMemory: string | null = null;
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
        if (!token) return null;
        const { issuedAt, lifetimeMs } = parsed.data;
        return { session: parsed.data.session, token, ...(issuedAt !== undefined ? { issuedAt } : {}), ...(lifetimeMs !== undefined ? { lifetimeMs } : {}) };
      } catch {
        return null;
      }
    },
    save({ session, token, issuedAt, lifetimeMs }) {
      if (!persist) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(userDataDir, { recursive: true });
      const body = { version: 1, session, sealedToken: secrets.encrypt(token).toString('base64'), issuedAt, lifetimeMs };
      writeAtomically(file, JSON.stringify(body));
    },
    clear() {
      rmSync(file, { force: true });
    },
    pendingLogouts(serverUrl) {
      if (!persist) return pendingInMemory.serverUrl === serverUrl ? [...pendingInMemory.tokens] : [];
      const parsed = PendingLogoutsSchema.safeParse(readJson(pendingFile));
      if (!parsed.success || parsed.data.serverUrl !== serverUrl) return [];
      return parsed.data.sealedTokens.flatMap((sealed) => {
        try {
          const token = secrets.decrypt(Buffer.from(sealed, 'base64'));
          return token ? [token] : [];
        } catch {
          return [];
        }
      });
    },
    savePendingLogouts(serverUrl, tokens) {
      // Bounded: a token older than its lifetime needs no revoking, so the newest hundred suffice.
      const kept = tokens.slice(-100);
      if (!persist) {
        pendingInMemory = { serverUrl, tokens: [...kept] };
        return;
      }
      if (kept.length === 0) {
        rmSync(pendingFile, { force: true });
        return;
      }
      mkdirSync(userDataDir, { recursive: true });
      writeAtomically(pendingFile, JSON.stringify({ version: 1, serverUrl, sealedTokens: kept.map((token) => secrets.encrypt(token).toString('base64')) }));
    },
    deviceId() {
      if (deviceInMemory) return deviceInMemory;
      const parsed = DeviceSchema.safeParse(readJson(deviceFile));
      if (parsed.success) {
        deviceInMemory = parsed.data.deviceId;
        return deviceInMemory;
      }
      deviceInMemory = randomBytes(24).toString('base64url');
      try {
        mkdirSync(userDataDir, { recursive: true });
        writeAtomically(deviceFile, JSON.stringify({ version: 1, deviceId: deviceInMemory }));
      } catch {
        // A read-only profile: this run still has an id, the next one makes another.
      }
      return deviceInMemory;
    },
  };
}
