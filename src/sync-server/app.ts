/**
 * The server's modules, composed in one list. A module brings its migrations (applied in this order
 * at start) and registers its routes and room rules:
 *
 *     { name: 'documents', migrations: documentMigrations, register: registerDocumentRoutes },
 *
 * Adding an area is one line here; docs/server.md explains the pattern.
 */
import { registerAccountRoutes } from './accounts/routes';
import { accountMigrations } from './accounts/migrations';
import type { ServerDeps } from './deps';
import { ok, bytes, type Router } from './http/router';
import { registerBuiltInRoomRules } from './rooms/policy';
import { auditMigrations } from './audit/migrations';
import { documentMigrations } from './documents/migrations';
import { registerDocumentRoutes } from './documents/routes';
import { sheetMigrations } from './documents/sheetMigrations';
import { revisionMigrations } from './documents/revisionMigrations';
import { registerRevisionRoutes } from './documents/revisionsRoutes';
import { approvalMigrations } from './documents/approvalSignatures';
import { coDrafterMigrations } from './documents/coDrafters';
import { changeFeedFor } from './documents/changeFeed';
import { createOverdueReminders } from './documents/overdueReminders';
import { exchangeMigrations } from './exchange/migrations';
import { registerExchangeRoutes } from './exchange/routes';
import type { Migration } from './store/migrations';
import { messagingMigrations } from './messaging/migrations';
import { registerMessagingRoutes } from './messaging/routes';
import { sealMigrations } from './seals/migrations';
import { phraseMigrations } from './phrases/migrations';
import { registerPhraseRoutes } from './phrases/routes';
import { registerSealRoutes } from './seals/routes';

/** Stops a module's background work (timers); resolves when work in progress has ended. */
export type ModuleStop = () => Promise<void>;

export interface ServerModule {
  name: string;
  /** This module's schema migrations, in order. */
  migrations?: readonly Migration[];
  /**
   * Registers routes on `router` and room rules on `deps.rooms`. A module that starts background
   * work returns how to stop it; the server calls that on close, before the store closes.
   */
  register?(router: Router, deps: ServerDeps): void | ModuleStop | Promise<void | ModuleStop>;
}

/** Health and metrics: public, no token (load balancers and Prometheus call them). */
function registerServerRoutes(router: Router, deps: ServerDeps & { metricsText: () => string }): void {
  router.get('/healthz', async () => {
    // Healthy means the store answers, not just that the process runs.
    await deps.db.get('SELECT 1 AS ok');
    return ok({ ok: true });
  }, { public: true });
  router.get('/metrics', () => bytes(deps.metricsText(), 'text/plain; version=0.0.4; charset=utf-8'), { public: true });
}

export const serverModules: readonly ServerModule[] = [
  { name: 'accounts', migrations: accountMigrations, register: registerAccountRoutes },
  { name: 'rooms', register: (_router, deps) => registerBuiltInRoomRules(deps.rooms) },
  { name: 'audit', migrations: auditMigrations },
  {
    name: 'documents',
    migrations: documentMigrations,
    register: (router, deps) => {
      registerDocumentRoutes(router, deps);
      const reminders = createOverdueReminders(deps, changeFeedFor(deps.db), { start: true });
      return async () => {
        await reminders.stop();
        // Waiting long-polls answer now, while the store is still open, instead of after it closed.
        changeFeedFor(deps.db).close();
      };
    },
  },
  { name: 'exchange', migrations: exchangeMigrations, register: registerExchangeRoutes },
  { name: 'seals', migrations: sealMigrations, register: registerSealRoutes },
  { name: 'phrases', migrations: phraseMigrations, register: registerPhraseRoutes },
  // The 处理笺 archived with each document (its routes are the documents module's).
  { name: 'sheets', migrations: sheetMigrations },
  // 批量签批: the leader's signed approval sheets (their routes are the documents module's).
  { name: 'approvals', migrations: approvalMigrations },
  // 协同拟稿人 of drafts (their routes and the room rule are the documents module's).
  { name: 'co-drafters', migrations: coDrafterMigrations },
  { name: 'messaging', migrations: messagingMigrations, register: registerMessagingRoutes },
  // 修订痕迹: the body's versions, authors of its Yjs clients, 接受 / 拒绝 (routes under /api/documents/:id).
  { name: 'revisions', migrations: revisionMigrations, register: registerRevisionRoutes },
];

/** Every module's migrations, in module order. */
export const allMigrations = (): Migration[] => serverModules.flatMap((module) => module.migrations ?? []);

/** Registers every module on `router`; resolves to the modules' stop functions (call them on close). */
export async function composeApp(router: Router, deps: ServerDeps & { metricsText: () => string }): Promise<ModuleStop[]> {
  registerServerRoutes(router, deps);
  const stops: ModuleStop[] = [];
  for (const module of serverModules) {
    const stop = await module.register?.(router, deps);
    if (stop) stops.push(stop);
  }
  return stops;
}
