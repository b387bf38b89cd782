/**
 * Routes of tracked revisions (修订痕迹), registered by the `revisions` server module (app.ts):
 * `GET /api/documents/:id/versions`, `GET /api/documents/:id/revisions?from&to`,
 * `POST /api/documents/:id/revisions/decisions`, `GET /api/documents/:id/revisions/pdf?from&to`.
 * Every query and body is parsed with the schemas of src/shared/http/revisions.ts.
 */
import { RevisionDecisionRequestSchema, RevisionsQuerySchema } from '../../shared/http/revisions';
import type { ServerDeps } from '../deps';
import { idParam } from '../http/params';
import { ok, type Reply, type Router } from '../http/router';
import { changeFeedFor } from './changeFeed';
import { fontOverridesFromEnv } from './pdfService';
import { RevisionsService } from './revisionsService';
import { DocumentService } from './service';

export function registerRevisionRoutes(router: Router, deps: ServerDeps): void {
  const documents = new DocumentService(deps, changeFeedFor(deps.db));
  const revisions = new RevisionsService(deps, documents, { fonts: fontOverridesFromEnv(process.env) });

  router.get('/api/documents/:id/versions', async (ctx) => ok(await revisions.versions(ctx.user, idParam(ctx.params))));
  router.get('/api/documents/:id/revisions', async (ctx) => ok(await revisions.revisions(ctx.user, idParam(ctx.params), ctx.parseQuery(RevisionsQuerySchema))));
  router.post('/api/documents/:id/revisions/decisions', async (ctx) => ok(await revisions.decide(ctx.user, idParam(ctx.params), await ctx.json(RevisionDecisionRequestSchema))));
  router.get('/api/documents/:id/revisions/pdf', async (ctx): Promise<Reply> => {
    const bytes = await revisions.pdf(ctx.user, idParam(ctx.params), ctx.parseQuery(RevisionsQuerySchema));
    return { status: 200, body: Buffer.from(bytes), contentType: 'application/pdf', headers: { 'cache-control': 'no-store' } };
  });
}
