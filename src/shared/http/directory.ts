/** The organisation directory: `/api/directory/units` and `/api/directory/users`. */
import { z } from 'zod';
import { RoleSchema } from '../domain/roles';

export const DirectoryUnitSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Short organ code used in 发文字号, e.g. 市政办 or 市发改. */
  organCode: z.string(),
  departments: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type DirectoryUnit = z.infer<typeof DirectoryUnitSchema>;

export const DirectoryUnitsResponseSchema = z.object({ items: z.array(DirectoryUnitSchema) });

export const DirectoryUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  unitId: z.string(),
  departmentId: z.string().optional(),
  roles: z.array(RoleSchema),
});
export type DirectoryUser = z.infer<typeof DirectoryUserSchema>;

export const DirectoryUsersQuerySchema = z.object({ unitId: z.string().min(1).max(100).optional() });
export const DirectoryUsersResponseSchema = z.object({ items: z.array(DirectoryUserSchema) });
