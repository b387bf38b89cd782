/**
 * HTTP routes and the real-time socket of 即时通讯 (schemas in src/shared/http/messaging.ts;
 * docs/messaging.md). Every route needs a token and membership of the conversation it names.
 */
import { z } from 'zod';
import {
  AddMembersRequestSchema,
  ConversationSettingsRequestSchema,
  CreateConversationRequestSchema,
  EditMessageRequestSchema,
  MESSAGE_FILE_MAX_BYTES,
  MessagesQuerySchema,
  ReadRequestSchema,
  SendMessageRequestSchema,
  UploadFileQuerySchema,
} from '../../shared/http/messaging';
import type { ServerDeps } from '../deps';
import { bytes, created, ok, type Router } from '../http/router';
import { ChatHub } from './hub';
import { DEFAULT_MESSAGING_LIMITS } from './limits';
import { MessagingService } from './service';
import { ChatSocketServer } from './socket';

const IdParam = z.string().min(1).max(120);
const ShaParam = z.string().regex(/^[0-9a-f]{64}$/, '文件摘要须为64位十六进制');
const PresenceQuerySchema = z.object({ ids: z.string().min(1).max(20_000) });

/** Registers the messaging routes and `/chat`; returns how to stop the socket server and the Redis connections. */
export function registerMessagingRoutes(router: Router, deps: ServerDeps): () => Promise<void> {
  const limits = { ...DEFAULT_MESSAGING_LIMITS, ...deps.messagingLimits };
  const log = deps.log.child({ module: 'messaging' });
  const hub = new ChatHub(log, deps.redis);
  const service = new MessagingService(deps, hub, limits);
  const sockets = new ChatSocketServer(deps, service, hub, limits, log);
  deps.upgrades.register('/chat', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  deps.metrics.gauge('xietong_chat_connections', 'Chat sockets open on this instance', () => hub.connectionCount());
  const sent = deps.metrics.counter('xietong_chat_messages_total', 'Messages stored by this instance');

  const id = (params: Readonly<Record<string, string>>): string => IdParam.parse(params.id);
  const messageId = (params: Readonly<Record<string, string>>): string => IdParam.parse(params.messageId);

  router.get('/api/conversations', async (ctx) => ok({ items: await service.list(ctx.user) }));
  router.post('/api/conversations', async (ctx) => {
    const result = await service.create(ctx.user, await ctx.json(CreateConversationRequestSchema));
    return result.created ? created(result.conversation) : ok(result.conversation);
  });
  router.get('/api/conversations/:id', async (ctx) => ok(await service.get(ctx.user, id(ctx.params))));
  router.post('/api/conversations/:id/members', async (ctx) => ok(await service.addMembers(ctx.user, id(ctx.params), (await ctx.json(AddMembersRequestSchema)).userIds)));
  router.put('/api/conversations/:id/settings', async (ctx) => ok(await service.setMuted(ctx.user, id(ctx.params), (await ctx.json(ConversationSettingsRequestSchema)).muted)));
  router.get('/api/conversations/:id/messages', async (ctx) => ok(await service.messages(ctx.user, id(ctx.params), ctx.parseQuery(MessagesQuerySchema))));
  router.post('/api/conversations/:id/messages', async (ctx) => {
    const input = await ctx.json(SendMessageRequestSchema);
    const result = await service.send(ctx.user, id(ctx.params), input.txnId, input.content);
    if (!result.repeat) sent.inc();
    return result.repeat ? ok(result.message) : created(result.message);
  });
  router.patch('/api/conversations/:id/messages/:messageId', async (ctx) => ok(await service.edit(ctx.user, id(ctx.params), messageId(ctx.params), await ctx.json(EditMessageRequestSchema))));
  router.post('/api/conversations/:id/messages/:messageId/recall', async (ctx) => ok(await service.recall(ctx.user, id(ctx.params), messageId(ctx.params))));
  router.get('/api/conversations/:id/messages/:messageId/edits', async (ctx) => ok({ items: await service.edits(ctx.user, id(ctx.params), messageId(ctx.params)) }));
  router.post('/api/conversations/:id/read', async (ctx) => ok({ readSeq: await service.markRead(ctx.user, id(ctx.params), (await ctx.json(ReadRequestSchema)).seq) }));
  router.get('/api/conversations/:id/reads', async (ctx) => ok(await service.reads(ctx.user, id(ctx.params))));
  router.post(
    '/api/conversations/:id/files',
    async (ctx) => {
      const conversationId = id(ctx.params);
      const query = ctx.parseQuery(UploadFileQuerySchema);
      // Membership before reading 50 MB from a stranger.
      await service.loadForMember(ctx.user, conversationId);
      const body = await ctx.body({ maxBytes: MESSAGE_FILE_MAX_BYTES });
      return created(await service.upload(ctx.user, conversationId, query.name, query.type, body));
    },
    { maxBodyBytes: MESSAGE_FILE_MAX_BYTES },
  );
  router.get('/api/conversations/:id/files/:sha256', async (ctx) => {
    const file = await service.file(ctx.user, id(ctx.params), ShaParam.parse(ctx.params.sha256));
    return { ...bytes(file.bytes, file.mimeType), headers: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`, 'x-content-type-options': 'nosniff' } };
  });
  router.get('/api/messaging/presence', (ctx) => {
    const ids = ctx.parseQuery(PresenceQuerySchema).ids.split(',').filter(Boolean).slice(0, 1000);
    return ok({ items: service.presence(ids) });
  });

  return async () => {
    await sockets.close();
    await hub.close();
  };
}
