/**
 * The messaging authority: who belongs to which conversation, the one order of its messages, edits
 * and 撤回 within two minutes, read marks, files. Routes (HTTP) and the chat socket both call it, so
 * both apply the same rules; every change is committed before {@link ChatHub} delivers it.
 */
import { randomUUID } from 'node:crypto';
import type { AccountUser } from '../../shared/http/auth';
import {
  MESSAGE_CHANGE_WINDOW_MS,
  MessageContentSchema,
  directConversationId,
  type Conversation,
  type ConversationKind,
  type CreateConversationRequest,
  type EditMessageRequest,
  type Message,
  type MessageContent,
  type MessageFile,
  type MessagesQuery,
  type MessagesResponse,
  type ReadsResponse,
} from '../../shared/http/messaging';
import type { ServerDeps } from '../deps';
import { getBlob, putBlob, sha256Hex } from '../documents/repository';
import { badRequest, conflict, forbidden, notFound, rejected } from '../http/errors';
import type { Queryable } from '../store/database';
import type { ChatHub } from './hub';
import { SendRateLimiter, type MessagingLimits } from './limits';
import { errorText } from '../../shared/errors';

interface ConversationRow extends Record<string, unknown> {
  id: string;
  kind: ConversationKind;
  title: string;
  scope_id: string | null;
  created_by: string | null;
  created_at: number;
  last_seq: number;
}

interface MessageRow extends Record<string, unknown> {
  id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  txn_id: string;
  content: string | null;
  created_at: number;
  edited_at: number | null;
  recalled_by: string | null;
  recalled_at: number | null;
}

const MESSAGE_COLUMNS = 'id, conversation_id, seq, sender_id, txn_id, content, created_at, edited_at, recalled_by, recalled_at';

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    txnId: row.txn_id,
    createdAt: Number(row.created_at),
    content: row.content === null ? null : MessageContentSchema.parse(JSON.parse(row.content)),
    ...(row.edited_at !== null ? { editedAt: Number(row.edited_at) } : {}),
    ...(row.recalled_by !== null && row.recalled_at !== null ? { recalled: { by: row.recalled_by, at: Number(row.recalled_at) } } : {}),
  };
}

/** A unique-constraint violation on either adapter (a concurrent repeat of the same txn id). */
const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && (/UNIQUE constraint failed/.test(error.message) || (error as { code?: string }).code === '23505');

export class MessagingService {
  readonly limiter: SendRateLimiter;

  constructor(
    private readonly deps: Pick<ServerDeps, 'db' | 'accounts' | 'now' | 'log'>,
    private readonly hub: ChatHub,
    limits: MessagingLimits,
  ) {
    this.limiter = new SendRateLimiter(limits, deps.now);
  }

  // ── conversations ───────────────────────────────────────────────────────

  /** The caller's conversations, newest activity first; their unit's and department's groups included. */
  async list(user: AccountUser): Promise<Conversation[]> {
    await this.ensureScopeGroups(user);
    const rows = await this.deps.db.all<ConversationRow>(
      `SELECT c.id, c.kind, c.title, c.scope_id, c.created_by, c.created_at, c.last_seq FROM chat_conversations c
       WHERE c.id IN (SELECT conversation_id FROM chat_members WHERE user_id = ?)
          OR (c.kind = 'unit' AND c.scope_id = ?) OR (c.kind = 'department' AND c.scope_id = ?)
       ORDER BY c.last_message_at DESC, c.created_at DESC`,
      [user.id, user.unitId, user.departmentId ?? ''],
    );
    const items: Conversation[] = [];
    for (const row of rows) items.push(await this.describe(user, row));
    return items;
  }

  async get(user: AccountUser, id: string): Promise<Conversation> {
    return this.describe(user, await this.loadForMember(user, id));
  }

  /** A direct chat (the same one whoever starts it) or a new group; `created` when it did not exist. */
  async create(user: AccountUser, request: CreateConversationRequest): Promise<{ conversation: Conversation; created: boolean }> {
    const now = this.deps.now();
    if (request.kind === 'direct') {
      if (request.userId === user.id) throw badRequest(errorText('messaging.notWithSelf'));
      const other = await this.deps.accounts.userById(request.userId);
      if (!other) throw notFound(errorText('messaging.personNotFound'));
      const id = directConversationId(user.id, other.id);
      const created = await this.deps.db.transaction(async (tx) => {
        const inserted = await tx.run("INSERT INTO chat_conversations (id, kind, title, created_by, created_at) VALUES (?, 'direct', '', ?, ?) ON CONFLICT (id) DO NOTHING", [id, user.id, now]);
        if (inserted.changes === 0) return false;
        for (const member of [user.id, other.id]) await tx.run('INSERT INTO chat_members (conversation_id, user_id, added_at) VALUES (?, ?, ?)', [id, member, now]);
        return true;
      });
      if (created) await this.hub.publish([user.id, other.id], { type: 'conversation', conversationId: id });
      return { conversation: await this.get(user, id), created };
    }
    const memberIds = [...new Set([user.id, ...request.memberIds])];
    await this.requireActivePeople(memberIds);
    const id = `grp.${request.clientId}`;
    const created = await this.deps.db.transaction(async (tx) => {
      const existing = await tx.get<{ created_by: string }>('SELECT created_by FROM chat_conversations WHERE id = ?', [id]);
      if (existing) {
        if (existing.created_by !== user.id) throw conflict(errorText('messaging.groupIdTaken'));
        return false;
      }
      await tx.run("INSERT INTO chat_conversations (id, kind, title, created_by, created_at) VALUES (?, 'group', ?, ?, ?)", [id, request.title, user.id, now]);
      for (const member of memberIds) await tx.run('INSERT INTO chat_members (conversation_id, user_id, added_at) VALUES (?, ?, ?)', [id, member, now]);
      return true;
    });
    if (created) await this.hub.publish(memberIds, { type: 'conversation', conversationId: id });
    return { conversation: await this.get(user, id), created };
  }

  /** Adds people to a group chat (any member may). */
  async addMembers(user: AccountUser, id: string, userIds: readonly string[]): Promise<Conversation> {
    const row = await this.loadForMember(user, id);
    if (row.kind !== 'group') throw rejected(row.kind === 'direct' ? errorText('messaging.directNoMembers') : errorText('messaging.orgGroupMembers'));
    const added = [...new Set(userIds)];
    await this.requireActivePeople(added);
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      for (const member of added) await tx.run('INSERT INTO chat_members (conversation_id, user_id, added_at) VALUES (?, ?, ?) ON CONFLICT (conversation_id, user_id) DO NOTHING', [id, member, now]);
    });
    await this.hub.publish(await this.memberIds(row), { type: 'conversation', conversationId: id });
    return this.get(user, id);
  }

  async setMuted(user: AccountUser, id: string, muted: boolean): Promise<Conversation> {
    await this.loadForMember(user, id);
    await this.deps.db.run(
      'INSERT INTO chat_reads (conversation_id, user_id, read_seq, muted, updated_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (conversation_id, user_id) DO UPDATE SET muted = excluded.muted, updated_at = excluded.updated_at',
      [id, user.id, muted ? 1 : 0, this.deps.now()],
    );
    // The person's other devices re-read their list, so 免打扰 counts there too (they decide
    // whether to notify from it); nobody else is told.
    await this.hub.publish([user.id], { type: 'conversation', conversationId: id });
    return this.get(user, id);
  }

  // ── messages ────────────────────────────────────────────────────────────

  /**
   * Stores a message and delivers it. The sequence is drawn inside the store's transaction (the
   * conversation row's update serialises concurrent senders on both adapters); a txn id the sender
   * used before answers the message stored then, and nothing new is stored or delivered.
   */
  async send(user: AccountUser, conversationId: string, txnId: string, content: MessageContent): Promise<{ message: Message; repeat: boolean }> {
    const row = await this.loadForMember(user, conversationId);
    const members = await this.memberIds(row);
    const earlier = await this.byTxn(this.deps.db, user.id, txnId);
    if (earlier) return this.repeatOf(earlier, conversationId);
    this.limiter.take(user.id);
    await this.checkContent(conversationId, members, content);
    const now = this.deps.now();
    let stored: MessageRow;
    try {
      stored = await this.deps.db.transaction(async (tx) => {
        const seqRow = await tx.get<{ last_seq: number }>('UPDATE chat_conversations SET last_seq = last_seq + 1, last_message_at = ? WHERE id = ? RETURNING last_seq', [now, conversationId]);
        // After the row lock: a concurrent repeat committed meanwhile is visible now.
        const repeat = await this.byTxn(tx, user.id, txnId);
        if (repeat) throw new RepeatedTxn(repeat);
        const message: MessageRow = {
          id: randomUUID(),
          conversation_id: conversationId,
          seq: Number(seqRow!.last_seq),
          sender_id: user.id,
          txn_id: txnId,
          content: JSON.stringify(content),
          created_at: now,
          edited_at: null,
          recalled_by: null,
          recalled_at: null,
        };
        await tx.run('INSERT INTO chat_messages (id, conversation_id, seq, sender_id, txn_id, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          message.id,
          conversationId,
          message.seq,
          user.id,
          txnId,
          message.content,
          now,
        ]);
        // Writing a message means having read everything before it.
        await this.raiseReadMark(tx, conversationId, user.id, message.seq, now);
        return message;
      });
    } catch (error) {
      if (error instanceof RepeatedTxn) return this.repeatOf(error.row, conversationId);
      if (isUniqueViolation(error)) {
        const repeat = await this.byTxn(this.deps.db, user.id, txnId);
        if (repeat) return this.repeatOf(repeat, conversationId);
      }
      throw error;
    }
    const message = toMessage(stored);
    await this.hub.publish(members, { type: 'message', message });
    return { message, repeat: false };
  }

  /** A page of history, oldest first: after a sequence (catch-up) or before one (scrolling back), else the newest. */
  async messages(user: AccountUser, conversationId: string, query: MessagesQuery): Promise<MessagesResponse> {
    const row = await this.loadForMember(user, conversationId);
    let rows: MessageRow[];
    if (query.after !== undefined) {
      rows = await this.deps.db.all<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`, [conversationId, query.after, query.limit]);
    } else {
      rows = await this.deps.db.all<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`, [
        conversationId,
        query.before ?? Number.MAX_SAFE_INTEGER,
        query.limit,
      ]);
      rows.reverse();
    }
    return { items: rows.map(toMessage), lastSeq: Number(row.last_seq) };
  }

  /** Edits the sender's own text message within two minutes; the replaced text is kept. */
  async edit(user: AccountUser, conversationId: string, messageId: string, request: EditMessageRequest): Promise<Message> {
    const row = await this.loadForMember(user, conversationId);
    const members = await this.memberIds(row);
    const content: MessageContent = { type: 'text', text: request.text, mentions: request.mentions };
    await this.checkContent(conversationId, members, content);
    const now = this.deps.now();
    const updated = await this.deps.db.transaction(async (tx) => {
      const message = await this.ownChangeable(tx, user, conversationId, messageId, now, 'edit');
      const previous = message.content ? (MessageContentSchema.parse(JSON.parse(message.content))) : null;
      if (previous?.type !== 'text') throw rejected(errorText('messaging.editTextOnly'));
      const version = Number((await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM chat_message_edits WHERE message_id = ?', [messageId]))?.n ?? 0) + 1;
      await tx.run('INSERT INTO chat_message_edits (message_id, version, content, replaced_at) VALUES (?, ?, ?, ?)', [messageId, version, message.content, now]);
      await tx.run('UPDATE chat_messages SET content = ?, edited_at = ? WHERE id = ?', [JSON.stringify(content), now, messageId]);
      return { ...message, content: JSON.stringify(content), edited_at: now };
    });
    const result = toMessage(updated);
    await this.hub.publish(members, { type: 'update', message: result });
    return result;
  }

  /**
   * 撤回: the sender withdraws a message within two minutes. The content goes for everyone; the
   * message stays in its place with who withdrew it and when; the content and its edit history are
   * kept in `chat_recall_audit` for the record, readable by no route.
   */
  async recall(user: AccountUser, conversationId: string, messageId: string): Promise<Message> {
    const row = await this.loadForMember(user, conversationId);
    const members = await this.memberIds(row);
    const now = this.deps.now();
    const updated = await this.deps.db.transaction(async (tx) => {
      const message = await this.ownChangeable(tx, user, conversationId, messageId, now, 'recall');
      const edits = await tx.all<{ version: number; content: string; replaced_at: number }>('SELECT version, content, replaced_at FROM chat_message_edits WHERE message_id = ? ORDER BY version', [messageId]);
      await tx.run('INSERT INTO chat_recall_audit (message_id, conversation_id, sender_id, recalled_by, recalled_at, content, edits) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        messageId,
        conversationId,
        message.sender_id,
        user.id,
        now,
        message.content ?? '',
        JSON.stringify(edits.map((edit) => ({ version: Number(edit.version), content: edit.content, replacedAt: Number(edit.replaced_at) }))),
      ]);
      await tx.run('DELETE FROM chat_message_edits WHERE message_id = ?', [messageId]);
      await tx.run('UPDATE chat_messages SET content = NULL, recalled_by = ?, recalled_at = ? WHERE id = ?', [user.id, now, messageId]);
      return { ...message, content: null, recalled_by: user.id, recalled_at: now };
    });
    const result = toMessage(updated);
    await this.hub.publish(members, { type: 'update', message: result });
    return result;
  }

  /** The texts an edited message had before, oldest first (none once withdrawn). */
  async edits(user: AccountUser, conversationId: string, messageId: string): Promise<{ content: MessageContent; replacedAt: number }[]> {
    await this.loadForMember(user, conversationId);
    const message = await this.deps.db.get<{ id: string }>('SELECT id FROM chat_messages WHERE id = ? AND conversation_id = ?', [messageId, conversationId]);
    if (!message) throw notFound(errorText('messaging.messageNotFound'));
    const rows = await this.deps.db.all<{ content: string; replaced_at: number }>('SELECT content, replaced_at FROM chat_message_edits WHERE message_id = ? ORDER BY version', [messageId]);
    return rows.map((edit) => ({ content: MessageContentSchema.parse(JSON.parse(edit.content)), replacedAt: Number(edit.replaced_at) }));
  }

  // ── read marks ──────────────────────────────────────────────────────────

  /** Moves the caller's "read up to" mark forward (never back, never past the last message). */
  async markRead(user: AccountUser, conversationId: string, seq: number): Promise<number> {
    const row = await this.loadForMember(user, conversationId);
    const target = Math.min(seq, Number(row.last_seq));
    const now = this.deps.now();
    const { before, after } = await this.deps.db.transaction(async (tx) => {
      const previous = Number((await tx.get<{ read_seq: number }>('SELECT read_seq FROM chat_reads WHERE conversation_id = ? AND user_id = ?', [conversationId, user.id]))?.read_seq ?? 0);
      if (target > previous) await this.raiseReadMark(tx, conversationId, user.id, target, now);
      return { before: previous, after: Math.max(previous, target) };
    });
    if (after > before) await this.hub.publish(await this.memberIds(row), { type: 'read', conversationId, userId: user.id, readSeq: after });
    return after;
  }

  /** Every member's mark with their name. */
  async reads(user: AccountUser, conversationId: string): Promise<ReadsResponse> {
    const row = await this.loadForMember(user, conversationId);
    const members = await this.memberIds(row);
    const marks = new Map(
      (await this.deps.db.all<{ user_id: string; read_seq: number }>('SELECT user_id, read_seq FROM chat_reads WHERE conversation_id = ?', [conversationId])).map((r) => [r.user_id, Number(r.read_seq)]),
    );
    const names = await this.namesOf(members);
    return { items: members.map((id) => ({ userId: id, name: names.get(id) ?? id, readSeq: marks.get(id) ?? 0 })) };
  }

  // ── files ───────────────────────────────────────────────────────────────

  /** Stores a file for a conversation (the bytes by digest, once however often they are sent). */
  async upload(user: AccountUser, conversationId: string, name: string, mimeType: string, bytes: Buffer): Promise<MessageFile> {
    await this.loadForMember(user, conversationId);
    this.limiter.take(user.id);
    const sha256 = sha256Hex(bytes);
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      await putBlob(tx, bytes, now);
      await tx.run(
        'INSERT INTO chat_files (conversation_id, sha256, name, mime_type, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, sha256) DO NOTHING',
        [conversationId, sha256, name, mimeType, bytes.length, user.id, now],
      );
    });
    return { sha256, name, mimeType, size: bytes.length };
  }

  /** A file sent in this conversation; only its members may read it. */
  async file(user: AccountUser, conversationId: string, sha256: string): Promise<{ bytes: Buffer; name: string; mimeType: string }> {
    await this.loadForMember(user, conversationId);
    const row = await this.deps.db.get<{ name: string; mime_type: string }>('SELECT name, mime_type FROM chat_files WHERE conversation_id = ? AND sha256 = ?', [conversationId, sha256]);
    const bytes = row ? await getBlob(this.deps.db, sha256) : undefined;
    if (!row || !bytes) throw notFound(errorText('messaging.fileNotFound'));
    return { bytes, name: row.name, mimeType: row.mime_type };
  }

  // ── presence ────────────────────────────────────────────────────────────

  presence(userIds: readonly string[]): { userId: string; state: 'online' | 'away' | 'offline' }[] {
    return userIds.map((userId) => ({ userId, state: this.hub.presenceOf(userId) }));
  }

  // ── internals ───────────────────────────────────────────────────────────

  /** The conversation if the caller is a member: 404 when it does not exist, 403 when not theirs. */
  async loadForMember(user: AccountUser, id: string): Promise<ConversationRow> {
    let row = await this.loadRow(id);
    if (!row && (id === `unit.${user.unitId}` || (user.departmentId && id === `dept.${user.departmentId}`))) {
      await this.ensureScopeGroups(user);
      row = await this.loadRow(id);
    }
    if (!row) throw notFound(errorText('messaging.conversationNotFound'));
    if (!(await this.isMember(user, row))) throw forbidden(errorText('messaging.notMember'));
    return row;
  }

  /** Member ids now: stored for direct and group chats, the directory's for unit and department groups. */
  async memberIds(row: ConversationRow): Promise<string[]> {
    if (row.kind === 'unit') return (await this.deps.db.all<{ id: string }>('SELECT id FROM users WHERE unit_id = ? AND disabled = 0 ORDER BY sort_order, username', [row.scope_id])).map((r) => r.id);
    if (row.kind === 'department') return (await this.deps.db.all<{ id: string }>('SELECT id FROM users WHERE department_id = ? AND disabled = 0 ORDER BY sort_order, username', [row.scope_id])).map((r) => r.id);
    return (await this.deps.db.all<{ user_id: string }>('SELECT user_id FROM chat_members WHERE conversation_id = ? ORDER BY added_at, user_id', [row.id])).map((r) => r.user_id);
  }

  private async isMember(user: AccountUser, row: ConversationRow): Promise<boolean> {
    if (row.kind === 'unit') return row.scope_id === user.unitId;
    if (row.kind === 'department') return !!user.departmentId && row.scope_id === user.departmentId;
    return !!(await this.deps.db.get('SELECT 1 AS ok FROM chat_members WHERE conversation_id = ? AND user_id = ?', [row.id, user.id]));
  }

  private loadRow(id: string): Promise<ConversationRow | undefined> {
    return this.deps.db.get<ConversationRow>('SELECT id, kind, title, scope_id, created_by, created_at, last_seq FROM chat_conversations WHERE id = ?', [id]);
  }

  /**
   * The groups of the caller's unit and department exist from the first time one of their people
   * looks; their members are read from the directory each time, so they follow it without a job.
   * Their titles follow renames in the directory.
   */
  private async ensureScopeGroups(user: AccountUser): Promise<void> {
    const now = this.deps.now();
    const scopes: [string, ConversationKind, string, string][] = [[`unit.${user.unitId}`, 'unit', user.unitId, user.unitName]];
    if (user.departmentId && user.departmentName) scopes.push([`dept.${user.departmentId}`, 'department', user.departmentId, `${user.unitName} ${user.departmentName}`]);
    for (const [id, kind, scopeId, title] of scopes) {
      await this.deps.db.run('INSERT INTO chat_conversations (id, kind, title, scope_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title WHERE chat_conversations.title <> excluded.title', [
        id,
        kind,
        title,
        scopeId,
        now,
      ]);
    }
  }

  private async describe(user: AccountUser, row: ConversationRow): Promise<Conversation> {
    const memberIds = await this.memberIds(row);
    const mark = await this.deps.db.get<{ read_seq: number; muted: number }>('SELECT read_seq, muted FROM chat_reads WHERE conversation_id = ? AND user_id = ?', [row.id, user.id]);
    const readSeq = Number(mark?.read_seq ?? 0);
    const unread = Number(
      (await this.deps.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM chat_messages WHERE conversation_id = ? AND seq > ? AND sender_id <> ? AND recalled_at IS NULL', [row.id, readSeq, user.id]))?.n ?? 0,
    );
    const last = Number(row.last_seq) > 0 ? await this.deps.db.get<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = ? AND seq = ?`, [row.id, row.last_seq]) : undefined;
    let title = row.title;
    if (row.kind === 'direct') {
      const otherId = memberIds.find((id) => id !== user.id);
      title = (otherId && (await this.namesOf([otherId])).get(otherId)) || '单聊';
    }
    return {
      id: row.id,
      kind: row.kind,
      title,
      memberIds,
      lastSeq: Number(row.last_seq),
      ...(last ? { lastMessage: toMessage(last) } : {}),
      readSeq,
      unread,
      muted: Number(mark?.muted ?? 0) === 1,
      createdAt: Number(row.created_at),
    };
  }

  private async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.deps.db.all<{ id: string; name: string }>(`SELECT id, name FROM users WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk);
      for (const row of rows) names.set(row.id, row.name);
    }
    return names;
  }

  private async requireActivePeople(ids: readonly string[]): Promise<void> {
    const names = await this.namesOf(ids);
    const active = new Set(
      ids.length === 0 ? [] : (await this.deps.db.all<{ id: string }>(`SELECT id FROM users WHERE disabled = 0 AND id IN (${ids.map(() => '?').join(', ')})`, [...ids])).map((r) => r.id),
    );
    const missing = ids.filter((id) => !active.has(id));
    if (missing.length > 0) throw badRequest(errorText('messaging.peopleMissing', { names: missing.map((id) => names.get(id) ?? id).join('、') }));
  }

  /** Mentions must name members; files must have been uploaded to this conversation. */
  private async checkContent(conversationId: string, members: readonly string[], content: MessageContent): Promise<void> {
    if (content.type === 'text') {
      const strangers = content.mentions.filter((id) => !members.includes(id));
      if (strangers.length > 0) throw badRequest(errorText('messaging.mentionMembersOnly'));
      return;
    }
    const sha256 = content.type === 'file' || content.type === 'image' ? content.file.sha256 : content.type === 'voice' ? content.voice.sha256 : null;
    if (sha256 && !(await this.deps.db.get('SELECT 1 AS ok FROM chat_files WHERE conversation_id = ? AND sha256 = ?', [conversationId, sha256]))) {
      throw badRequest(errorText('messaging.fileNotUploaded'));
    }
  }

  private async ownChangeable(tx: Queryable, user: AccountUser, conversationId: string, messageId: string, now: number, verb: 'edit' | 'recall'): Promise<MessageRow> {
    const message = await tx.get<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE id = ? AND conversation_id = ?`, [messageId, conversationId]);
    if (!message) throw notFound(errorText('messaging.messageNotFound'));
    if (message.sender_id !== user.id) throw forbidden(errorText(verb === 'edit' ? 'messaging.ownOnlyEdit' : 'messaging.ownOnlyRecall'));
    if (message.recalled_at !== null) throw conflict(errorText('messaging.recalled'));
    if (now - Number(message.created_at) > MESSAGE_CHANGE_WINDOW_MS) throw rejected(errorText(verb === 'edit' ? 'messaging.tooOldEdit' : 'messaging.tooOldRecall'));
    return message;
  }

  private async raiseReadMark(tx: Queryable, conversationId: string, userId: string, seq: number, now: number): Promise<void> {
    await tx.run(
      `INSERT INTO chat_reads (conversation_id, user_id, read_seq, muted, updated_at) VALUES (?, ?, ?, 0, ?)
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET read_seq = CASE WHEN excluded.read_seq > chat_reads.read_seq THEN excluded.read_seq ELSE chat_reads.read_seq END, updated_at = excluded.updated_at`,
      [conversationId, userId, seq, now],
    );
  }

  private byTxn(db: Queryable, senderId: string, txnId: string): Promise<MessageRow | undefined> {
    return db.get<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE sender_id = ? AND txn_id = ?`, [senderId, txnId]);
  }

  /** A repeat answers what was stored; the same txn id in another conversation is a client bug. */
  private repeatOf(row: MessageRow, conversationId: string): { message: Message; repeat: boolean } {
    if (row.conversation_id !== conversationId) throw conflict(errorText('messaging.txnIdTaken'));
    return { message: toMessage(row), repeat: true };
  }
}

/** Thrown inside the send transaction to roll it back when a concurrent repeat won. */
class RepeatedTxn extends Error {
  constructor(readonly row: MessageRow) {
    super('repeated transaction id');
  }
}
