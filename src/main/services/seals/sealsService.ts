/**
 * 印章 in main: each call of `seals.contract.ts` forwarded to the server's `/api/seals*` with the
 * signed-in person's token. Nothing is decided here — the server checks who may see, grant or
 * disable — and its refusals reach the renderer with their Chinese reason.
 */
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import type { sealsCalls } from '../../../shared/api/seals.contract';
import { SealListResponseSchema, SealUsesResponseSchema, SealViewSchema } from '../../../shared/http/seals';
import { failureOf, type ServerCalls } from '../documents/serverCalls';
import { errorText } from '../../../shared/errors';

export type SealsHandlers = HandlersOf<{ seals: typeof sealsCalls }, unknown>['seals'];

export interface SealsServiceOptions {
  /** JSON calls with the session's token (401 ends the session, unreachable marks 离线). */
  readonly server: Pick<ServerCalls, 'json' | 'patch'>;
  /** GET of a binary route with the session's token (seal images). */
  readonly getBytes: (path: string) => Promise<Uint8Array>;
}

const seg = encodeURIComponent;

/** Runs a server call, turning its failure into the ApiFailure the renderer shows as is. */
async function forward<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw failureOf(error);
  }
}

export function createSealsHandlers(options: SealsServiceOptions): SealsHandlers {
  const { server } = options;
  return {
    list: ({ unitId }) => forward(() => server.json(`/api/seals${unitId ? `?unitId=${seg(unitId)}` : ''}`, { schema: SealListResponseSchema })),
    mine: () => forward(() => server.json('/api/seals/mine', { schema: SealListResponseSchema })),
    uses: ({ id, before, limit }) => {
      const query = new URLSearchParams();
      if (before) query.set('before', String(before));
      if (limit) query.set('limit', String(limit));
      const suffix = query.size > 0 ? `?${query.toString()}` : '';
      return forward(() => server.json(`/api/seals/${seg(id)}/uses${suffix}`, { schema: SealUsesResponseSchema }));
    },
    image: async ({ id }) => {
      const bytes = await forward(() => options.getBytes(`/api/seals/${seg(id)}/appearance`));
      // Only a PNG is handed on: the route answers JSON for a drawn seal, which has no image.
      const png = Buffer.from(bytes);
      if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new ApiFailure('not_found', errorText('seals.noImage'));
      return { pngBase64: png.toString('base64') };
    },
    create: (input) => forward(() => server.json('/api/seals', { method: 'POST', body: input, schema: SealViewSchema })),
    update: ({ id, changes }) => forward(() => server.patch(`/api/seals/${seg(id)}`, changes, SealViewSchema)),
    grant: ({ id, userId }) => forward(() => server.json(`/api/seals/${seg(id)}/holders`, { method: 'POST', body: { userId }, schema: SealViewSchema })),
    revoke: ({ id, userId }) => forward(() => server.json(`/api/seals/${seg(id)}/holders/${seg(userId)}`, { method: 'DELETE', schema: SealViewSchema })),
  };
}
