/**
 * 印章: the unit's seal registry as the renderer uses it — the unit's seals with their holders, the
 * seals the signed-in person may apply, the 用印记录, and (admins) create, change, disable, grant and
 * revoke. Main forwards each call to the server's `/api/seals*` routes (src/shared/http/seals.ts);
 * the server decides who may do what and answers with the reason when it refuses.
 */
import { z } from 'zod';
import { defineCall } from './contract';
import {
  CreateSealRequestSchema,
  SealListResponseSchema,
  SealUsesResponseSchema,
  SealViewSchema,
  UpdateSealRequestSchema,
} from '../http/seals';

const IdSchema = z.string().min(1).max(100);

export const sealsCalls = {
  /** The seals of the caller's unit (an admin may name another unit). */
  list: defineCall('seals:list', z.object({ unitId: IdSchema.optional() }), SealListResponseSchema),
  /** The active seals the caller holds: what 用印 may apply. */
  mine: defineCall('seals:mine', z.object({}), SealListResponseSchema),
  /** One page of a seal's 用印记录, newest first (admins and the seal's holders). */
  uses: defineCall(
    'seals:uses',
    z.object({ id: IdSchema, before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(100).optional() }),
    SealUsesResponseSchema,
  ),
  /** An uploaded seal image (PNG, base64); drawn seals need none. */
  image: defineCall('seals:image', z.object({ id: IdSchema }), z.object({ pngBase64: z.string() })),
  create: defineCall('seals:create', CreateSealRequestSchema, SealViewSchema),
  update: defineCall('seals:update', z.object({ id: IdSchema, changes: UpdateSealRequestSchema }), SealViewSchema),
  grant: defineCall('seals:grant', z.object({ id: IdSchema, userId: IdSchema }), SealViewSchema),
  revoke: defineCall('seals:revoke', z.object({ id: IdSchema, userId: IdSchema }), SealViewSchema),
};
