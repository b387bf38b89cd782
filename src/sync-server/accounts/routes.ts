/** `/api/auth/*`, `/api/me` and the directory routes. */
import { ChangePasswordRequestSchema, LoginRequestSchema } from '../../shared/http/auth';
import { DirectoryUsersQuerySchema } from '../../shared/http/directory';
import { HttpError, forbidden } from '../http/errors';
import { noContent, ok, type Router } from '../http/router';
import type { ServerDeps } from '../deps';
import { errorText } from '../../shared/errors';

export function registerAccountRoutes(router: Router, deps: ServerDeps): void {
  const { accounts } = deps;

  router.post(
    '/api/auth/login',
    async (ctx) => {
      const input = await ctx.json(LoginRequestSchema);
      let result;
      try {
        result = await accounts.login(input.username, input.password, ctx.ip, input.deviceId);
      } catch (error) {
        // What an admin looks for after a break-in attempt: who was tried, from where, how it ended.
        if (error instanceof HttpError) {
          deps.metrics.counter('xietong_login_failures_total', 'Refused logins, by reason').inc({ reason: error.code });
          ctx.log.warn('login refused', { username: input.username.trim().toLowerCase().slice(0, 64), ip: ctx.ip, reason: error.code });
        }
        throw error;
      }
      deps.metrics.counter('xietong_logins_total', 'Successful logins').inc();
      ctx.log.info('login', { userId: result.user.id, ip: ctx.ip });
      return ok(result);
    },
    { public: true, maxBodyBytes: 8 * 1024 },
  );

  router.post(
    '/api/auth/password',
    async (ctx) => {
      const input = await ctx.json(ChangePasswordRequestSchema);
      const result = await accounts.changePassword(ctx.user.id, input.currentPassword, input.newPassword, ctx.ip);
      ctx.log.info('password changed', { userId: result.user.id });
      return ok(result);
    },
    { allowPendingPassword: true, maxBodyBytes: 8 * 1024 },
  );

  // Signing out ends this token's session on every route and socket of every instance.
  router.post(
    '/api/auth/logout',
    async (ctx) => {
      await accounts.logout(ctx.token ?? '');
      ctx.log.info('logout', { userId: ctx.user.id });
      return noContent();
    },
    { allowPendingPassword: true, maxBodyBytes: 1024 },
  );

  // A fresh token for the same session while the old one still works (clients call it while in use).
  router.post('/api/auth/refresh', async (ctx) => ok(await accounts.refresh(ctx.token ?? '')), { allowPendingPassword: true, maxBodyBytes: 1024 });

  router.get('/api/me', (ctx) => ok(ctx.user), { allowPendingPassword: true });

  // The sign-in audit of one account (failed, refused, let through by a known device): administrators only.
  router.get('/api/admin/accounts/:username/login-audit', async (ctx) => {
    if (!ctx.user.roles.includes('admin')) throw forbidden(errorText('auth.loginAuditAdminOnly'));
    return ok(await accounts.loginAudit(ctx.params.username ?? ''));
  });

  router.get('/api/directory/units', async () => ok({ items: await accounts.listUnits() }));

  router.get('/api/directory/users', async (ctx) => {
    const query = ctx.parseQuery(DirectoryUsersQuerySchema);
    return ok({ items: await accounts.listUsers(query.unitId) });
  });
}
