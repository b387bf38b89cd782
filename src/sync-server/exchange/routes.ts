/**
 * HTTP routes of 公文交换 (INTERFACES.md): the exchange boxes, the sent PDF, its verification,
 * 签收 / 退回 / 撤回 / 催收. Also starts the module's two bounded background jobs: 催收 of overdue
 * items and the CRL refresh from the config's URLs; the returned function stops both.
 */
import { ExchangeActionRequestSchema, ExchangeListQuerySchema } from '../../shared/http/documents';
import type { ServerDeps } from '../deps';
import { changeFeedFor } from '../documents/changeFeed';
import { DocumentService } from '../documents/service';
import { idParam } from '../http/params';
import { bytes, ok, type Router } from '../http/router';
import { exchangeSettings } from './config';
import { startCrlRefresh } from './crlRefresh';
import { ExchangeService } from './service';

export function registerExchangeRoutes(router: Router, deps: ServerDeps): () => Promise<void> {
  const feed = changeFeedFor(deps.db);
  const exchange = new ExchangeService(deps, new DocumentService(deps, feed), feed);

  router.get('/api/exchange', async (ctx) => ok(await exchange.list(ctx.user, ctx.parseQuery(ExchangeListQuerySchema))));
  router.get('/api/exchange/:id', async (ctx) => ok(await exchange.get(ctx.user, idParam(ctx.params))));
  router.get('/api/exchange/:id/pdf', async (ctx) => bytes(await exchange.pdf(ctx.user, idParam(ctx.params)), 'application/pdf'));
  router.get('/api/exchange/:id/verification', async (ctx) => ok(await exchange.verification(ctx.user, idParam(ctx.params))));
  router.post('/api/exchange/:id/actions', async (ctx) => ok(await exchange.act(ctx.user, idParam(ctx.params), await ctx.json(ExchangeActionRequestSchema))));

  const settings = exchangeSettings(deps.exchange);
  const log = deps.log.child({ module: 'exchange' });
  let running: Promise<unknown> = Promise.resolve();
  const reminders = setInterval(() => {
    running = exchange.remindOverdue(deps.now()).then(
      (ids) => ids.length > 0 && log.info('overdue exchange items reminded', { count: ids.length }),
      (error: unknown) => log.warn('exchange reminders failed', { error: error instanceof Error ? error.message : String(error) }),
    );
  }, settings.reminderIntervalMs);
  reminders.unref();
  const crls = startCrlRefresh(deps, settings, log);
  return async () => {
    clearInterval(reminders);
    await crls.stop();
    await running;
  };
}
