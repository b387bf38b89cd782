/** Roles a person holds in their unit (INTERFACES.md demo organisation, DOMAIN.md "Who uses it"). */
import { z } from 'zod';

export const RoleSchema = z.enum(['admin', 'leader', 'staff', 'clerk', 'reviewer']);
export type Role = z.infer<typeof RoleSchema>;
