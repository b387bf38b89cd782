/**
 * 委托 (delegation while a leader is away): the signed-in person's delegations as the renderer
 * uses them. Main forwards each call to the server's `/api/delegations` routes
 * (src/shared/http/documents.ts); the server decides who may be chosen (same unit, not oneself,
 * at most 90 days) and answers with its Chinese reason when it refuses. Every call answers the
 * whole list again, so the panel never shows a state the server has not confirmed.
 */
import { z } from 'zod';
import { defineCall } from './contract';
import { CreateDelegationRequestSchema, DelegationListResponseSchema } from '../http/documents';

export const delegationsCalls = {
  /** `{given, received}`: the active delegations I gave and those given to me. */
  list: defineCall('delegations:list', z.object({}), DelegationListResponseSchema),
  /** Lets `to` act for me until `until` (ISO time with offset); answers the list. */
  create: defineCall('delegations:create', CreateDelegationRequestSchema, DelegationListResponseSchema),
  /** Revokes one delegation I gave (撤销); answers the list. */
  remove: defineCall('delegations:remove', z.object({ id: z.string().min(1).max(100) }), DelegationListResponseSchema),
};
