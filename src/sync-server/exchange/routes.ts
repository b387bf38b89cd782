/** HTTP routes of 公文交换 (INTERFACES.md): the exchange boxes, the sent PDF, 签收 / 退回 / 撤回. */
import { z } from 'zod';
import { ExchangeActionRequestSchema, ExchangeListQuerySchema } from '../../shared/http/documents';
import type { ServerDeps } from '../deps';
import { changeFeedFor } from '../documents/changeFeed';
import { DocumentService } from '../documents/service';
import { bytes, ok, type Router } from '../http/router';
import { ExchangeService } from './service';

export function registerExchangeRoutes(router: Router, deps: ServerDeps): void {
  const feed = changeFeedFor(deps.db);
  const exchange = new ExchangeService(deps, new DocumentService(deps, feed), feed);
  const idParam = (params: Readonly<Record<string, string>>): string => z.string().min(1).max(100).parse(params.id);

  router.get('/api/exchange', async (ctx) => ok({ items: await exchange.list(ctx.user, ctx.parseQuery(ExchangeListQuerySchema).box) }));
  router.get('/api/exchange/:id', async (ctx) => ok(await exchange.get(ctx.user, idParam(ctx.params))));
  router.get('/api/exchange/:id/pdf', async (ctx) => bytes(await exchange.pdf(ctx.user, idParam(ctx.params)), 'application/pdf'));
  router.post('/api/exchange/:id/actions', async (ctx) => ok(await exchange.act(ctx.user, idParam(ctx.params), await ctx.json(ExchangeActionRequestSchema))));
}
