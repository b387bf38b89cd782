/**
 * `/api/seals*`: the unit's seals, the caller's own, holders (admins grant and revoke), the 用印记录
 * and the seal's appearance. Schemas in src/shared/http/seals.ts; docs/seals.md lists the routes.
 */
import {
  CreateSealRequestSchema,
  GrantSealHolderRequestSchema,
  SealListQuerySchema,
  SealUsesQuerySchema,
  UpdateSealRequestSchema,
} from '../../shared/http/seals';
import type { ServerDeps } from '../deps';
import { bytes, created, ok, type Router } from '../http/router';
import { ensureDemoSeals } from './demoSeals';
import { SealRegistry } from './registry';

/** A base64 PNG of 512 KB plus the rest of the request. */
const CREATE_MAX_BYTES = 1024 * 1024;

export async function registerSealRoutes(router: Router, deps: ServerDeps): Promise<void> {
  const registry = new SealRegistry(deps);
  const log = deps.log.child({ module: 'seals' });

  router.get('/api/seals', async (ctx) => {
    const query = ctx.parseQuery(SealListQuerySchema);
    return ok({ items: await registry.list(ctx.user, query.unitId) });
  });
  router.get('/api/seals/mine', async (ctx) => ok({ items: await registry.mine(ctx.user) }));
  router.post(
    '/api/seals',
    async (ctx) => {
      const seal = await registry.create(ctx.user, await ctx.json(CreateSealRequestSchema));
      ctx.log.info('seal created', { sealId: seal.id, unitId: seal.unitId, serial: seal.certificate.serialHex });
      return created(seal);
    },
    { maxBodyBytes: CREATE_MAX_BYTES },
  );
  router.get('/api/seals/:id', async (ctx) => ok(await registry.view(ctx.user, ctx.params.id!)));
  router.patch('/api/seals/:id', async (ctx) => {
    const seal = await registry.update(ctx.user, ctx.params.id!, await ctx.json(UpdateSealRequestSchema));
    ctx.log.info('seal updated', { sealId: seal.id, status: seal.status });
    return ok(seal);
  });
  router.post('/api/seals/:id/holders', async (ctx) => {
    const { userId } = await ctx.json(GrantSealHolderRequestSchema);
    const seal = await registry.grant(ctx.user, ctx.params.id!, userId);
    ctx.log.info('seal granted', { sealId: seal.id, userId });
    return ok(seal);
  });
  router.delete('/api/seals/:id/holders/:userId', async (ctx) => {
    const seal = await registry.revoke(ctx.user, ctx.params.id!, ctx.params.userId!);
    ctx.log.info('seal revoked', { sealId: seal.id, userId: ctx.params.userId });
    return ok(seal);
  });
  router.get('/api/seals/:id/uses', async (ctx) => ok(await registry.uses(ctx.user, ctx.params.id!, ctx.parseQuery(SealUsesQuerySchema))));
  router.get('/api/seals/:id/appearance', async (ctx) => {
    const image = await registry.appearanceImage(ctx.user, ctx.params.id!);
    if (image) return bytes(image, 'image/png');
    // A drawn seal: its design, which the client draws (the signing library draws the same into the PDF).
    return ok((await registry.view(ctx.user, ctx.params.id!)).appearance);
  });

  const demo = await ensureDemoSeals(deps);
  if (demo > 0) log.info('demo seals created', { seals: demo });
}
