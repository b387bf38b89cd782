/**
 * 委托 in main: each call of `delegations.contract.ts` forwarded to the server's
 * `/api/delegations` with the signed-in person's token. Nothing is decided here — the server checks
 * the unit, the person and the 90-day limit — and its refusals reach the renderer with their
 * Chinese reason (via `failureOf`).
 */
import { z } from 'zod';
import type { HandlersOf } from '../../../shared/api/contract';
import type { delegationsCalls } from '../../../shared/api/delegations.contract';
import { DelegationListResponseSchema, DelegationSchema } from '../../../shared/http/documents';
import { failureOf, type ServerCalls } from '../documents/serverCalls';

export type DelegationsHandlers = HandlersOf<{ delegations: typeof delegationsCalls }, unknown>['delegations'];

export interface DelegationsServiceOptions {
  /** JSON calls with the session's token (401 ends the session, unreachable marks 离线). */
  readonly server: Pick<ServerCalls, 'json'>;
}

/** Runs a server call, turning its failure into the ApiFailure the renderer shows as is. */
async function forward<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw failureOf(error);
  }
}

export function createDelegationsHandlers({ server }: DelegationsServiceOptions): DelegationsHandlers {
  const list = () => server.json('/api/delegations', { schema: DelegationListResponseSchema });
  return {
    list: () => forward(list),
    create: (input) =>
      forward(async () => {
        await server.json('/api/delegations', { method: 'POST', body: input, schema: DelegationSchema });
        return list();
      }),
    remove: ({ id }) =>
      forward(async () => {
        // 204 No Content: the body is empty.
        await server.json(`/api/delegations/${encodeURIComponent(id)}`, { method: 'DELETE', schema: z.undefined() });
        return list();
      }),
  };
}
