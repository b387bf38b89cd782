/**
 * 即时通讯 (instant messaging) between the sync server and its clients: the HTTP routes under
 * `/api/conversations` and `/api/messaging`, and the JSON messages of the real-time socket
 * `ws://HOST:PORT/chat?token=`. Both sides parse everything they receive with these schemas.
 *
 * Delivery semantics (docs/messaging.md): a client sends with its own transaction id and the server
 * applies a repeat once; the server gives every conversation one sequence (1, 2, 3, …) assigned in
 * the store's transaction, so every member's every device shows the same order; a message is stored
 * before it is delivered; read state is one "read up to" mark per person per conversation.
 */
import { z } from 'zod';
import { VoiceNoteSchema } from '../domain/documents/opinion';
import { ErrorTextFieldsSchema } from '../errors/text';

/** Limits every server enforces and every client checks before sending. */
export const MESSAGE_TEXT_MAX = 4000;
/** A file or image sent in a conversation (stored once per digest). */
export const MESSAGE_FILE_MAX_BYTES = 50 * 1024 * 1024;
/** A message may be edited or withdrawn (撤回) by its sender this long after it was sent. */
export const MESSAGE_CHANGE_WINDOW_MS = 2 * 60 * 1000;
/** A group chat's members, the creator included. */
export const GROUP_MEMBERS_MAX = 500;
/** Messages of one page of history. */
export const MESSAGE_PAGE_MAX = 1000;
/** Groups up to this size show the names of who has read a message. */
export const READ_NAMES_MAX_MEMBERS = 50;

const Id = z.string().min(1).max(120);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, '文件摘要须为64位十六进制');
/** A client's transaction id: unique per sender; a repeat is applied once. */
export const TxnIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{8,80}$/, '事务编号无效');

/** A file as a message carries it: the blob by digest, its name, type and size. */
export const MessageFileSchema = z.object({
  sha256: Sha256,
  name: z.string().trim().min(1).max(255),
  mimeType: z.string().min(1).max(100),
  size: z.number().int().min(0).max(MESSAGE_FILE_MAX_BYTES),
});
export type MessageFile = z.infer<typeof MessageFileSchema>;

/** What a person may send. */
export const MessageContentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string().trim().min(1, '消息不能为空').max(MESSAGE_TEXT_MAX, `消息不能超过 ${MESSAGE_TEXT_MAX} 字`),
    /** People @mentioned (their ids); each must be a member of the conversation. */
    mentions: z.array(Id).max(50).default([]),
  }),
  z.object({ type: z.literal('file'), file: MessageFileSchema }),
  z.object({ type: z.literal('image'), file: MessageFileSchema, width: z.number().int().positive().max(100_000).optional(), height: z.number().int().positive().max(100_000).optional() }),
  /** A document card: opens the document for a reader who may see it. */
  z.object({ type: z.literal('document'), documentId: Id, title: z.string().trim().min(1).max(200) }),
  /** A recorded voice message (the recorder of the leader's desk); the recording is a conversation file. */
  z.object({ type: z.literal('voice'), voice: VoiceNoteSchema }),
]);
export type MessageContent = z.infer<typeof MessageContentSchema>;
export type MessageContentInput = z.input<typeof MessageContentSchema>;

/** A stored message. A withdrawn one has no content, only who withdrew it and when. */
export const MessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** The conversation's sequence number: the one order every device shows. */
  seq: z.number().int().positive(),
  senderId: z.string(),
  txnId: z.string(),
  createdAt: z.number().int(),
  content: MessageContentSchema.nullable(),
  editedAt: z.number().int().optional(),
  recalled: z.object({ by: z.string(), at: z.number().int() }).optional(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationKindSchema = z.enum(['direct', 'group', 'unit', 'department']);
export type ConversationKind = z.infer<typeof ConversationKindSchema>;

/** A conversation as its member sees it in the list. */
export const ConversationSchema = z.object({
  id: z.string(),
  kind: ConversationKindSchema,
  /** Group title, or the unit's / department's name; a direct chat's title is the other person's name. */
  title: z.string(),
  /** Every member's id (for unit and department groups: the directory's people of that unit/department now). */
  memberIds: z.array(z.string()),
  lastSeq: z.number().int().nonnegative(),
  lastMessage: MessageSchema.optional(),
  /** The caller's "read up to" mark. */
  readSeq: z.number().int().nonnegative(),
  /** Messages of others after the caller's mark. */
  unread: z.number().int().nonnegative(),
  /** 免打扰: no notifications for this conversation. */
  muted: z.boolean(),
  createdAt: z.number().int(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationListResponseSchema = z.object({ items: z.array(ConversationSchema) });

export const CreateConversationRequestSchema = z.discriminatedUnion('kind', [
  /** A one-to-one chat; asking again for the same person answers the same conversation. */
  z.object({ kind: z.literal('direct'), userId: Id }),
  /** A group chat. `clientId` makes a repeated request (offline retry) create one group. */
  z.object({
    kind: z.literal('group'),
    title: z.string().trim().min(1, '群聊名称不能为空').max(60, '群聊名称不能超过 60 字'),
    memberIds: z.array(Id).min(1, '请至少选择一位成员').max(GROUP_MEMBERS_MAX - 1, `群聊最多 ${GROUP_MEMBERS_MAX} 人`),
    clientId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, '客户端编号无效'),
  }),
]);
export type CreateConversationRequest = z.infer<typeof CreateConversationRequestSchema>;

export const AddMembersRequestSchema = z.object({ userIds: z.array(Id).min(1).max(GROUP_MEMBERS_MAX) });

export const SendMessageRequestSchema = z.object({ txnId: TxnIdSchema, content: MessageContentSchema });
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;

export const EditMessageRequestSchema = z.object({
  text: z.string().trim().min(1, '消息不能为空').max(MESSAGE_TEXT_MAX, `消息不能超过 ${MESSAGE_TEXT_MAX} 字`),
  mentions: z.array(Id).max(50).default([]),
});
export type EditMessageRequest = z.infer<typeof EditMessageRequestSchema>;

/** A page of history: `after` a sequence (catching up, oldest first) or `before` one (scrolling back). */
export const MessagesQuerySchema = z.object({
  after: z.coerce.number().int().nonnegative().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(MESSAGE_PAGE_MAX).default(100),
});
export type MessagesQuery = z.infer<typeof MessagesQuerySchema>;

export const MessagesResponseSchema = z.object({
  /** Oldest first. */
  items: z.array(MessageSchema),
  lastSeq: z.number().int().nonnegative(),
});
export type MessagesResponse = z.infer<typeof MessagesResponseSchema>;

export const MessageEditsResponseSchema = z.object({
  items: z.array(z.object({ content: MessageContentSchema, replacedAt: z.number().int() })),
});

export const ReadRequestSchema = z.object({ seq: z.number().int().nonnegative() });
/** Every member's mark: the client shows 已读 N/M (and names in groups up to {@link READ_NAMES_MAX_MEMBERS}). */
export const ReadsResponseSchema = z.object({
  items: z.array(z.object({ userId: z.string(), name: z.string(), readSeq: z.number().int().nonnegative() })),
});
export type ReadsResponse = z.infer<typeof ReadsResponseSchema>;

export const ConversationSettingsRequestSchema = z.object({ muted: z.boolean() });

export const UploadFileQuerySchema = z.object({
  name: z.string().trim().min(1, '请提供文件名').max(255),
  type: z.string().min(1).max(100).default('application/octet-stream'),
});
export const UploadFileResponseSchema = MessageFileSchema;

export const PresenceStateSchema = z.enum(['online', 'away', 'offline']);
export type PresenceState = z.infer<typeof PresenceStateSchema>;
export const PresenceResponseSchema = z.object({ items: z.array(z.object({ userId: z.string(), state: PresenceStateSchema })) });

// ── the real-time socket `/chat?token=` ────────────────────────────────────

/** What a client writes on the socket. */
export const ChatClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('send'), conversationId: Id, txnId: TxnIdSchema, content: MessageContentSchema }),
  z.object({ type: z.literal('read'), conversationId: Id, seq: z.number().int().nonnegative() }),
  z.object({ type: z.literal('presence'), state: z.enum(['online', 'away']) }),
  z.object({ type: z.literal('ping') }),
]);
export type ChatClientMessage = z.infer<typeof ChatClientMessageSchema>;
export type ChatClientMessageInput = z.input<typeof ChatClientMessageSchema>;

/** Like the HTTP API's errors: the zh-CN message, and the catalogue key and params to word it in the person's language. */
const ChatErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  key: ErrorTextFieldsSchema.shape.key,
  params: ErrorTextFieldsSchema.shape.params,
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});

/** What the server writes on the socket. */
export const ChatServerMessageSchema = z.discriminatedUnion('type', [
  /** First message after the connection is accepted. */
  z.object({ type: z.literal('ready'), userId: z.string(), presence: z.array(z.object({ userId: z.string(), state: PresenceStateSchema })) }),
  /** The answer to a `send`: the stored message (also when the txn id was a repeat). */
  z.object({ type: z.literal('ack'), txnId: z.string(), message: MessageSchema }),
  /** A refused client message; `txnId` names the send it answers. */
  z.object({ type: z.literal('error'), txnId: z.string().optional(), error: ChatErrorSchema }),
  /** A new message in one of the person's conversations (their own from another device too). */
  z.object({ type: z.literal('message'), message: MessageSchema }),
  /** A message was edited or withdrawn. */
  z.object({ type: z.literal('update'), message: MessageSchema }),
  z.object({ type: z.literal('read'), conversationId: z.string(), userId: z.string(), readSeq: z.number().int().nonnegative() }),
  /** A conversation the person now belongs to, or whose members changed. */
  z.object({ type: z.literal('conversation'), conversationId: z.string() }),
  z.object({ type: z.literal('presence'), userId: z.string(), state: PresenceStateSchema }),
  z.object({ type: z.literal('pong') }),
]);
export type ChatServerMessage = z.infer<typeof ChatServerMessageSchema>;

/** Close codes of the chat socket (as the sync socket: 4401 no valid token). */
export const CHAT_CLOSE_UNAUTHENTICATED = 4401;
/** The largest socket message a client may write (a text message fits many times over). */
export const CHAT_MAX_FRAME_BYTES = 64 * 1024;

/** The direct conversation of two people has one id, whoever starts it. */
export function directConversationId(userA: string, userB: string): string {
  const [first, second] = [userA, userB].sort();
  return `dm.${first}.${second}`;
}
