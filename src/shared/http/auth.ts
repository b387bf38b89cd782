/** Requests and responses of `/api/auth/*` and `/api/me` (INTERFACES.md "Sync server"). */
import { z } from 'zod';
import { RoleSchema } from '../domain/roles';

/** A client's random device secret (base64url, ≥ 128 bits): lets its owner past a lock on the username. */
export const DeviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, '设备标识格式不正确');

export const LoginRequestSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** This device's id, kept by the client; a device that signed in before passes a username lock. */
  deviceId: DeviceIdSchema.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** A signed-in person as the server describes them. */
export const AccountUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  departmentId: z.string().optional(),
  departmentName: z.string().optional(),
  roles: z.array(RoleSchema),
  /** True after an admin reset or import: only `/api/me` and `/api/auth/password` work until it is changed. */
  mustChangePassword: z.boolean(),
});
export type AccountUser = z.infer<typeof AccountUserSchema>;

export const LoginResponseSchema = z.object({
  token: z.string(),
  /** When the token stops working (ms since the epoch). */
  expiresAt: z.number().int(),
  user: AccountUserSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** Passwords: at least 8 characters, not only digits (a reasonable floor for an office network). */
export const NewPasswordSchema = z
  .string()
  .min(8, '新密码至少 8 位')
  .max(256, '新密码过长')
  .refine((value) => !/^\d+$/.test(value), '新密码不能全是数字');

export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

/** Changing the password ends every other session (token version), so a fresh token comes back. */
export const ChangePasswordResponseSchema = LoginResponseSchema;

export const MeResponseSchema = AccountUserSchema;
