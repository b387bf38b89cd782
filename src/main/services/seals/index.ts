/**
 * 印章 for the renderer: `createSealsServices` builds the `seals:*` handlers for one app instance on
 * the session's token (src/main/services/app.ts wires it).
 */
import type { ServerClient } from '../serverClient';
import { ServerHttpError, ServerUnreachableError } from '../serverClient';
import type { SessionService } from '../session';
import { createServerCalls } from '../documents/serverCalls';
import { ApiFailure } from '../../../shared/api/result';
import { HttpErrorBodySchema } from '../../../shared/http';
import { createSealsHandlers, type SealsHandlers } from './sealsService';
import { errorText } from '../../../shared/errors';

export { createSealsHandlers, type SealsHandlers, type SealsServiceOptions } from './sealsService';

export interface SealsServicesOptions {
  readonly serverClient: ServerClient;
  readonly session: Pick<SessionService, 'token' | 'reportUnauthorized'>;
  readonly fetch?: typeof fetch;
}

export function createSealsServices(options: SealsServicesOptions): SealsHandlers {
  const { serverClient, session } = options;
  const doFetch = options.fetch ?? fetch;
  const server = createServerCalls({
    client: serverClient,
    token: () => session.token(),
    onUnauthorized: (reason) => session.reportUnauthorized(reason),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const getBytes = async (path: string): Promise<Uint8Array> => {
    const token = session.token();
    if (!token) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));
    let response: Response;
    try {
      response = await doFetch(`${serverClient.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'error', signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new ServerUnreachableError(errorText('client.unreachableAt', { url: serverClient.baseUrl }), { cause: error });
    }
    if (!response.ok) {
      const body = HttpErrorBodySchema.safeParse(await response.json().catch(() => undefined));
      if (response.status === 401) session.reportUnauthorized(body.success ? body.data.error : errorText('auth.sessionExpired'));
      throw new ServerHttpError(response.status, body.success ? body.data.error.code : `http_${response.status}`, body.success ? body.data.error : errorText('client.serverStatus', { status: response.status }));
    }
    return new Uint8Array(await response.arrayBuffer());
  };
  return createSealsHandlers({ server, getBytes });
}
