/**
 * 委托 for the renderer: `createDelegationsServices` builds the `delegations:*` handlers for one app
 * instance on the session's token (src/main/services/app.ts wires it).
 */
import type { ServerClient } from '../serverClient';
import type { SessionService } from '../session';
import { createServerCalls } from '../documents/serverCalls';
import { createDelegationsHandlers, type DelegationsHandlers } from './delegationsService';

export { createDelegationsHandlers, type DelegationsHandlers, type DelegationsServiceOptions } from './delegationsService';

export interface DelegationsServicesOptions {
  readonly serverClient: ServerClient;
  readonly session: Pick<SessionService, 'token' | 'reportUnauthorized'>;
}

export function createDelegationsServices({ serverClient, session }: DelegationsServicesOptions): DelegationsHandlers {
  const server = createServerCalls({
    client: serverClient,
    token: () => session.token(),
    onUnauthorized: (reason) => session.reportUnauthorized(reason),
  });
  return createDelegationsHandlers({ server });
}
