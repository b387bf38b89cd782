/**
 * 即时通讯 as the renderer reaches it through main (`api.messaging.*`). Main keeps every
 * conversation's messages in the person's local replica (SQLite, searchable in Chinese), sends
 * through the outbox (a client transaction id, exactly once, also after being offline) and keeps a
 * socket to the server for delivery, read marks and presence. History is read from the replica
 * first and paged in from the server when the replica has no more.
 */
import { z } from 'zod';
import { VoiceNoteSchema } from '../domain/documents/opinion';
import { defineCall, defineEvent } from './contract';
import { ErrorTextFieldsSchema, issueMessage } from '../errors';
import {
  ConversationSchema,
  MESSAGE_FILE_MAX_BYTES,
  MESSAGE_TEXT_MAX,
  MessageContentSchema,
  PresenceStateSchema,
  ReadsResponseSchema,
} from '../http/messaging';

const IdSchema = z.string().min(1).max(120);

/** A message as the thread shows it: stored by the server (`seq`) or still waiting to be sent. */
export const ChatMessageSchema = z.object({
  /** The server's id once stored; this device's transaction id while pending. */
  id: z.string(),
  conversationId: z.string(),
  /** The conversation's order; null while pending (shown after every stored message). */
  seq: z.number().int().positive().nullable(),
  senderId: z.string(),
  /** The sender's transaction id (this device's outbox id for its own messages). */
  txnId: z.string(),
  content: MessageContentSchema.nullable(),
  createdAt: z.number().int(),
  /** 待发送 / 已发送 / 被拒绝 (with the server's reason). */
  status: z.enum(['pending', 'sent', 'rejected']),
  reason: z.string().optional(),
  /** The reason's catalogue key and params, so the chat words it in the person's language. */
  reasonKey: ErrorTextFieldsSchema.shape.key,
  reasonParams: ErrorTextFieldsSchema.shape.params,
  editedAt: z.number().int().optional(),
  recalled: z.object({ by: z.string(), at: z.number().int() }).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ChatHistorySchema = z.object({
  /** Oldest first. */
  items: z.array(ChatMessageSchema),
  /** Older messages exist (ask again with `beforeSeq` = the first item's seq). */
  hasMore: z.boolean(),
});
export type ChatHistory = z.infer<typeof ChatHistorySchema>;

/** What the person composes: text (with @mentions) or a document card. Files go through `postFile`. */
export const ComposeContentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string().trim().min(1, issueMessage('input.messageEmpty')).max(MESSAGE_TEXT_MAX, issueMessage('input.messageTooLong', { max: MESSAGE_TEXT_MAX })),
    mentions: z.array(IdSchema).max(50).default([]),
  }),
  z.object({ type: z.literal('document'), documentId: IdSchema, title: z.string().trim().min(1).max(200) }),
]);

const FileBase64Schema = z
  .string()
  .max(Math.ceil(MESSAGE_FILE_MAX_BYTES / 3) * 4, issueMessage('input.fileTooLarge'))
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, issueMessage('input.encodingInvalid'));

/** One piece of a chunked upload: small enough for any bridge message, many of them show progress. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;

const ChunkBase64Schema = z
  .string()
  .min(1)
  .max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4 + 4, issueMessage('input.chunkTooLarge'))
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, issueMessage('input.encodingInvalid'));

const UploadIdSchema = z.string().uuid();

export const messagingCalls = {
  /** The conversation list (from the replica; refreshed from the server in the background when online). */
  conversations: defineCall('messaging:conversations', z.object({}), z.object({ items: z.array(ConversationSchema) })),
  /** A one-to-one chat with a person (the same one whoever starts it), or a new group chat. */
  create: defineCall(
    'messaging:create',
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('direct'), userId: IdSchema }),
      z.object({ kind: z.literal('group'), title: z.string().trim().min(1, issueMessage('input.groupTitleMissing')).max(60), memberIds: z.array(IdSchema).min(1, issueMessage('input.groupMembersMissing')).max(499) }),
    ]),
    ConversationSchema,
  ),
  /** A page of a thread, oldest first: the replica first, the server when the replica has no more. */
  history: defineCall('messaging:history', z.object({ conversationId: IdSchema, beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(200).default(50) }), ChatHistorySchema),
  /** Queues a message (durable at once, sent when online, exactly once). */
  post: defineCall('messaging:post', z.object({ conversationId: IdSchema, content: ComposeContentSchema }), ChatMessageSchema),
  /** Uploads a file or image to the conversation (needs the server), then queues the message carrying it. */
  postFile: defineCall(
    'messaging:post-file',
    z.object({ conversationId: IdSchema, name: z.string().trim().min(1).max(255), mimeType: z.string().min(1).max(100), base64: FileBase64Schema }),
    ChatMessageSchema,
  ),
  /**
   * A chunked upload of a file or image (what the message box uses; the renderer shows progress as
   * the chunks go): begin with its size (over 50 MB is refused here, before any byte is sent), send
   * every chunk in order, then finish — main uploads it to the conversation and queues the message.
   */
  uploadBegin: defineCall(
    'messaging:upload-begin',
    z.object({
      conversationId: IdSchema,
      name: z.string().trim().min(1).max(255),
      mimeType: z.string().min(1).max(100),
      size: z.number().int().positive(issueMessage('input.fileEmpty')),
      /** A recorded voice message (Opus), sent as `voice` content with this duration instead of as a file. */
      voiceDurationMs: VoiceNoteSchema.shape.durationMs.optional(),
    }),
    z.object({ uploadId: UploadIdSchema, chunkBytes: z.number().int().positive() }),
  ),
  uploadChunk: defineCall('messaging:upload-chunk', z.object({ uploadId: UploadIdSchema, offset: z.number().int().nonnegative(), base64: ChunkBase64Schema }), z.object({ received: z.number().int().nonnegative() })),
  uploadFinish: defineCall('messaging:upload-finish', z.object({ uploadId: UploadIdSchema }), ChatMessageSchema),
  /** Gives up an upload (the person cancelled it or the page is leaving); its bytes are dropped. */
  uploadCancel: defineCall('messaging:upload-cancel', z.object({ uploadId: UploadIdSchema }), z.object({})),
  /** A file of the conversation, for members only. */
  file: defineCall('messaging:file', z.object({ conversationId: IdSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/) }), z.object({ name: z.string(), mimeType: z.string(), base64: z.string() })),
  edit: defineCall('messaging:edit', z.object({ conversationId: IdSchema, messageId: IdSchema, text: z.string().trim().min(1, issueMessage('input.messageEmpty')).max(MESSAGE_TEXT_MAX) }), ChatMessageSchema),
  /** 撤回 (within 2 minutes of sending). */
  recall: defineCall('messaging:recall', z.object({ conversationId: IdSchema, messageId: IdSchema }), ChatMessageSchema),
  /** Moves the person's "read up to" mark. */
  markRead: defineCall('messaging:mark-read', z.object({ conversationId: IdSchema, seq: z.number().int().nonnegative() }), z.object({ readSeq: z.number().int().nonnegative() })),
  /** Every member's mark (for 已读 N/M and the names). */
  reads: defineCall('messaging:reads', z.object({ conversationId: IdSchema }), ReadsResponseSchema),
  /** 免打扰 on or off. */
  mute: defineCall('messaging:mute', z.object({ conversationId: IdSchema, muted: z.boolean() }), ConversationSchema),
  presence: defineCall('messaging:presence', z.object({ userIds: z.array(IdSchema).max(1000) }), z.object({ items: z.array(z.object({ userId: z.string(), state: PresenceStateSchema })) })),
} as const;

export const messagingEvents = {
  /** A conversation's messages or the list changed (new, edited, withdrawn, sent, read by me). */
  messagingChanged: defineEvent('messaging:changed', z.object({ conversationId: z.string().optional() })),
  /** Someone's "read up to" mark moved. */
  messagingRead: defineEvent('messaging:read', z.object({ conversationId: z.string(), userId: z.string(), readSeq: z.number().int().nonnegative() })),
  messagingPresence: defineEvent('messaging:presence', z.object({ userId: z.string(), state: PresenceStateSchema })),
  /**
   * A notification to show (a new message in a conversation without 免打扰). Emitted only where the
   * host has no notification interface of its own (the web host): the renderer shows it with the
   * browser's Notification API. The Electron shell shows it natively instead.
   */
  /** `body` is the zh-CN preview; `content`, when sent, lets the renderer word it in the person's language. */
  messagingNotify: defineEvent('messaging:notify', z.object({ conversationId: z.string(), title: z.string(), body: z.string(), content: MessageContentSchema.nullable().optional(), untitled: z.boolean().optional() })),
} as const;

/** The words a preview puts in brackets; zh-CN unless a caller that knows the language gives others. */
export interface PreviewLabels {
  readonly file: string;
  readonly image: string;
  readonly document: string;
  readonly voice: string;
}
export const previewLabelsZh: PreviewLabels = { file: '文件', image: '图片', document: '公文', voice: '语音' };

/**
 * A message as one line of text: what the replica indexes for search and what a notification says
 * (a file by its name, a document card by its title).
 */
export function messagePreviewText(content: z.input<typeof MessageContentSchema> | null, labels: PreviewLabels = previewLabelsZh): string {
  if (!content) return '';
  switch (content.type) {
    case 'text':
      return content.text;
    case 'file':
      return `[${labels.file}] ${content.file.name}`;
    case 'image':
      return `[${labels.image}] ${content.file.name}`;
    case 'document':
      return `[${labels.document}] ${content.title}`;
    case 'voice':
      return `[${labels.voice}] ${Math.max(1, Math.round(content.voice.durationMs / 1000))}″`;
  }
}
