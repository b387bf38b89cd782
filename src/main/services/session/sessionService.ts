/**
 * The signed-in person: login against the sync server, the token (kept sealed on disk and refreshed
 * while the app is in use), sign-out (which revokes the token on the server — at once, or when the
 * server is reachable again), and the connection state pushed to the renderer. Other services read the token from here and
 * report a 401 here, so "the server no longer accepts us" has one consequence everywhere: the
 * session ends and the renderer is told (`session:signed-out`) to show the login screen.
 */
import { z } from 'zod';
import { ApiFailure, type ConnectionState, type Session } from '../../../shared/api';
import { ChangePasswordResponseSchema, LoginResponseSchema, MeResponseSchema, type LoginResponse } from '../../../shared/http';
import type { EventSink, SecretBox } from '../appServices';
import { ServerHttpError, ServerProtocolError, ServerUnreachableError, type ServerClient } from '../serverClient';
import type { ConnectionSource } from './connectionMonitor';
import { createSessionStore, type SessionStore } from './sessionStore';
import { asErrorText, errorText, keyFields, type ErrorText } from '../../../shared/errors';

export interface SessionServiceOptions {
  userDataDir: string;
  secrets: SecretBox;
  emit: EventSink;
  client: ServerClient;
  connection: ConnectionSource;
  store?: SessionStore;
  /**
   * How often a signed-in session asks the server whether its token still works (GET /api/me, or
   * POST /api/auth/refresh once half the token's life is gone), so a disabled account or a password
   * reset elsewhere ends the session here too, and a session in use never runs out. Default 60 s.
   */
  verifyIntervalMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

export interface SessionService {
  login(input: { username: string; password: string }): Promise<Session>;
  /** Replaces the password; the session continues with the new token the server issues. */
  changePassword(input: { currentPassword: string; newPassword: string }): Promise<Session>;
  /**
   * Ends the session here at once and revokes its token on the server; when the server cannot be
   * reached the token is remembered (sealed) and revoked as soon as it can.
   */
  logout(): Promise<void>;
  /** Tokens signed out while offline and not yet revoked on the server. */
  pendingLogouts(): number;
  current(): Session | null;
  /** The bearer token of the current session, for other services' requests. */
  token(): string | null;
  connectionState(): ConnectionState;
  /** Another service got a 401 with our token: end the session and tell the renderer. */
  reportUnauthorized(reason?: string | ErrorText): void;
  /** Another service could not reach the server: re-check the connection now. */
  reportUnreachable(): void;
  /** Called whenever the session starts or ends; returns the unsubscribe function. */
  onSessionChange(listener: (session: Session | null) => void): () => void;
  close(): Promise<void>;
}

const EXPIRED_REASON = errorText('auth.sessionExpired');

export function createSessionService(options: SessionServiceOptions): SessionService {
  const { client, connection, emit } = options;
  const store = options.store ?? createSessionStore(options.userDataDir, options.secrets);
  const listeners = new Set<(session: Session | null) => void>();
  const now = options.now ?? Date.now;
  let state = store.load(client.baseUrl);
  let verifying = false;
  let revoking: Promise<void> | null = null;

  const notify = (): void => {
    const session = state?.session ?? null;
    for (const listener of [...listeners]) listener(session);
    emit('sessionChanged', { session });
  };

  const endSession = (reason: string | ErrorText): void => {
    if (!state) return;
    state = null;
    store.clear();
    notify();
    const text = asErrorText(reason);
    emit('signedOut', { reason: text.message, ...keyFields(text) });
  };

  /** Half the token's life gone (or unknown, from an older client): time to renew it. */
  const refreshDue = (current: NonNullable<typeof state>): boolean => {
    if (current.lifetimeMs === undefined || current.issuedAt === undefined) return true;
    return now() >= current.issuedAt + current.lifetimeMs / 2;
  };

  /**
   * Once online again and then every minute: make sure the server still accepts the token (disabled,
   * reset…), renewing it once half its life is gone — a session in use never runs out, one left
   * idle ends after the server's idle limit (8 h by default).
   */
  const verifyToken = async (): Promise<void> => {
    const current = state;
    if (!current || verifying) return;
    verifying = true;
    try {
      if (refreshDue(current)) {
        const body = await client.request('/api/auth/refresh', { method: 'POST', token: current.token, schema: LoginResponseSchema });
        // Signed out or signed in as someone else meanwhile: the answer belongs to nobody now.
        if (state?.token === current.token) adopt(body, { quiet: true });
      } else {
        await client.request('/api/me', { token: current.token, schema: MeResponseSchema });
      }
    } catch (error) {
      if (error instanceof ServerHttpError && error.status === 401 && state?.token === current.token) endSession(EXPIRED_REASON);
    } finally {
      verifying = false;
    }
  };

  /** Revokes on the server every token signed out while it was out of reach; keeps those it still cannot. */
  const revokePending = (): Promise<void> => {
    revoking ??= (async () => {
      const pending = store.pendingLogouts(client.baseUrl);
      const left: string[] = [];
      for (const token of pending) {
        try {
          await client.request('/api/auth/logout', { method: 'POST', token, schema: z.unknown(), timeoutMs: 5_000 });
        } catch (error) {
          // 401: the token already stopped working (expired, or revoked another way) — nothing left to do.
          if (!(error instanceof ServerHttpError && error.status < 500)) left.push(token);
        }
      }
      // Tokens added while this ran are kept too.
      const added = store.pendingLogouts(client.baseUrl).filter((token) => !pending.includes(token));
      store.savePendingLogouts(client.baseUrl, [...left, ...added]);
    })().finally(() => {
      revoking = null;
    });
    return revoking;
  };

  const unsubscribeConnection = connection.subscribe((next) => {
    emit('connectionChanged', { state: next });
    if (next === 'online') {
      void revokePending();
      void verifyToken();
    }
  });
  const verifyTimer = setInterval(() => {
    if (connection.state !== 'online') return;
    void verifyToken();
    if (store.pendingLogouts(client.baseUrl).length > 0) void revokePending();
  }, options.verifyIntervalMs ?? 60_000);
  // Never the reason a process stays alive.
  verifyTimer.unref?.();

  /** Starts (or continues) the session with what login, a password change or a refresh returned. */
  const adopt = (body: LoginResponse, options: { quiet?: boolean } = {}): Session => {
    const session: Session = {
      user: {
        id: body.user.id,
        username: body.user.username,
        name: body.user.name,
        unitId: body.user.unitId,
        unitName: body.user.unitName,
        ...(body.user.departmentName ? { departmentName: body.user.departmentName } : {}),
        roles: body.user.roles,
      },
      serverUrl: client.baseUrl,
      mustChangePassword: body.user.mustChangePassword,
    };
    state = { session, token: body.token, issuedAt: now(), lifetimeMs: tokenLifetimeMs(body.token) };
    store.save(state);
    // A refreshed token changes nothing the renderer shows.
    if (!options.quiet) notify();
    return session;
  };

  return {
    async login({ username, password }) {
      let body;
      try {
        body = await client.request('/api/auth/login', {
          method: 'POST',
          body: { username, password, deviceId: store.deviceId() },
          schema: LoginResponseSchema,
        });
      } catch (error) {
        throw toLoginFailure(error, connection);
      }
      connection.reportSuccess();
      return adopt(body);
    },
    async changePassword({ currentPassword, newPassword }) {
      const current = state;
      if (!current) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
      let body;
      try {
        body = await client.request('/api/auth/password', {
          method: 'POST',
          token: current.token,
          body: { currentPassword, newPassword },
          schema: ChangePasswordResponseSchema,
        });
      } catch (error) {
        if (error instanceof ServerHttpError && error.status === 401) {
          endSession(EXPIRED_REASON);
          throw new ApiFailure('unauthenticated', EXPIRED_REASON);
        }
        if (error instanceof ServerHttpError && error.status < 500) {
          // 当前密码不正确 (403), a weak or repeated new password (400): the server says which.
          throw new ApiFailure(error.status === 400 ? 'invalid_input' : 'rejected', error);
        }
        throw toLoginFailure(error, connection);
      }
      return adopt(body);
    },
    async logout() {
      const ended = state;
      if (!ended) return;
      state = null;
      store.clear();
      notify();
      // Queued first, so a crash or a lost connection in the middle still revokes it later.
      store.savePendingLogouts(client.baseUrl, [...store.pendingLogouts(client.baseUrl), ended.token]);
      // Offline, signing out does not wait for a timeout: the token is revoked once back online.
      if (connection.state !== 'offline') await revokePending();
    },
    pendingLogouts: () => store.pendingLogouts(client.baseUrl).length,
    current: () => state?.session ?? null,
    token: () => state?.token ?? null,
    connectionState: () => connection.state,
    reportUnauthorized(reason = EXPIRED_REASON) {
      endSession(reason);
    },
    reportUnreachable() {
      connection.reportFailure();
    },
    onSessionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(verifyTimer);
      unsubscribeConnection();
      listeners.clear();
      return Promise.resolve();
    },
  };
}

const TokenTimesSchema = z.object({ iat: z.number().int(), exp: z.number().int() });

/**
 * How long a token lasts, from its own `iat` and `exp` (the server's clock on both sides, so a client
 * whose clock is off still refreshes in time; `expiresAt` alone would be compared with ours). A token
 * of another shape is refreshed every half hour.
 */
export function tokenLifetimeMs(token: string): number {
  try {
    const parts = token.split('.');
    const times = parts.length === 3 ? TokenTimesSchema.safeParse(JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'))) : null;
    if (times?.success && times.data.exp > times.data.iat) return (times.data.exp - times.data.iat) * 1000;
  } catch {
    // Not ours to read: fall through.
  }
  return 60 * 60 * 1000;
}

/** Turns what went wrong at login into the error the person sees. */
function toLoginFailure(error: unknown, connection: ConnectionSource): ApiFailure {
  if (error instanceof ServerHttpError) {
    // The server's message says what is wrong: wrong credentials, a disabled account, or a lock
    // with the time to wait (429) — the person needs exactly that sentence.
    if (error.status === 401) return new ApiFailure('unauthenticated', error.code === 'unauthenticated' ? error : errorText('auth.wrongPassword'));
    if (error.status === 400) return new ApiFailure('invalid_input', error);
    if (error.status >= 500) return new ApiFailure('unavailable', errorText('auth.serverUnavailable', { message: error.message }));
    return new ApiFailure('rejected', error);
  }
  if (error instanceof ServerUnreachableError) {
    connection.reportFailure();
    return new ApiFailure('offline', errorText('auth.unreachable'));
  }
  if (error instanceof ServerProtocolError) return new ApiFailure('unavailable', errorText('auth.versionMismatch'));
  return new ApiFailure('internal', errorText('auth.failed'));
}

