/**
 * 修订痕迹 in main: each call of `revisions.contract.ts` forwarded to the server's routes with the
 * signed-in person's token. The server decides who may read and who may decide; its refusals reach
 * the renderer with their Chinese reason (via `failureOf`). Revisions need the server: offline the
 * call fails with the unreachable message, and the body itself stays editable.
 */
import type { HandlersOf } from '../../../shared/api/contract';
import type { revisionsCalls } from '../../../shared/api/revisions.contract';
import { BodyVersionListSchema, RevisionDecisionResponseSchema, RevisionsResponseSchema } from '../../../shared/http/revisions';
import type { ServerClient } from '../serverClient';
import type { SessionService } from '../session';
import { createServerCalls, failureOf, type ServerCalls } from '../documents/serverCalls';

export type RevisionsHandlers = HandlersOf<{ revisions: typeof revisionsCalls }, unknown>['revisions'];

async function forward<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw failureOf(error);
  }
}

const seg = encodeURIComponent;

export function createRevisionsHandlers(server: Pick<ServerCalls, 'json' | 'getBytes'>): RevisionsHandlers {
  const range = (from: string, to: string) => `from=${seg(from)}&to=${seg(to)}`;
  return {
    versions: ({ documentId }) => forward(() => server.json(`/api/documents/${seg(documentId)}/versions`, { schema: BodyVersionListSchema })),
    compare: ({ documentId, from, to }) => forward(() => server.json(`/api/documents/${seg(documentId)}/revisions?${range(from, to)}`, { schema: RevisionsResponseSchema })),
    decide: ({ documentId, changeIds, decision }) =>
      forward(() => server.json(`/api/documents/${seg(documentId)}/revisions/decisions`, { method: 'POST', body: { changeIds, decision }, schema: RevisionDecisionResponseSchema })),
    exportPdf: ({ documentId, from, to }) =>
      forward(async () => {
        const bytes = await server.getBytes(`/api/documents/${seg(documentId)}/revisions/pdf?${range(from, to)}`, 'application/pdf');
        return { base64: Buffer.from(bytes).toString('base64') };
      }),
  };
}

export function createRevisionsServices({ serverClient, session }: { serverClient: ServerClient; session: Pick<SessionService, 'token' | 'reportUnauthorized'> }): RevisionsHandlers {
  return createRevisionsHandlers(
    createServerCalls({ client: serverClient, token: () => session.token(), onUnauthorized: (reason) => session.reportUnauthorized(reason) }),
  );
}
