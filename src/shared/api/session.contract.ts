/** Signing in and out of the sync server, and the state of the connection to it. */
import { z } from 'zod';
import { defineCall, defineEvent } from './contract';
import { RoleSchema } from '../domain/roles';
import { NewPasswordSchema } from '../http/auth';
import { ErrorTextFieldsSchema } from '../errors';

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  departmentName: z.string().optional(),
  roles: z.array(RoleSchema),
});
export type User = z.infer<typeof UserSchema>;

export const SessionSchema = z.object({
  user: UserSchema,
  serverUrl: z.string(),
  /** Set when the server requires a new password before anything else (one-time passwords). */
  mustChangePassword: z.boolean().default(false),
});
export type Session = z.infer<typeof SessionSchema>;

export const LoginInputSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

/** The server's own password rules, so the form can say what is wrong before sending. */
export const ChangePasswordInputSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPasswordSchema,
});

export const ConnectionStateSchema = z.enum(['online', 'offline', 'connecting']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const sessionCalls = {
  login: defineCall('session:login', LoginInputSchema, SessionSchema),
  logout: defineCall('session:logout', z.object({}), z.object({})),
  /** Replaces the password (required after a one-time password); the server issues a new token. */
  changePassword: defineCall('session:change-password', ChangePasswordInputSchema, SessionSchema),
  current: defineCall('session:current', z.object({}), SessionSchema.nullable()),
  connection: defineCall('session:connection', z.object({}), z.object({ state: ConnectionStateSchema })),
};

export const sessionEvents = {
  connectionChanged: defineEvent('session:connection-changed', z.object({ state: ConnectionStateSchema })),
  /** Someone signed in, out, or changed the password — in this window or another window of the same app. */
  sessionChanged: defineEvent('session:changed', z.object({ session: SessionSchema.nullable() })),
  /** The server no longer accepts our token: the UI must ask the person to sign in again. */
  /** `reason` in zh-CN; `key`/`params` word it in the person's language (src/shared/errors). */
  signedOut: defineEvent('session:signed-out', z.object({ reason: z.string() }).extend(ErrorTextFieldsSchema.shape)),
};

