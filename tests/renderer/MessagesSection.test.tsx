/**
 * 消息 in jsdom: the list shows unread counts and the last message; Enter sends and Shift+Enter
 * does not; the sender sees 已读 once the other has read; 新建会话 finds 王建国 by `wjg`.
 */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, Result, XietongApi } from '../../src/shared/api';
import type { Conversation } from '../../src/shared/http/messaging';
import { MessagesSection } from '../../src/renderer/features/messages';
import { pinyinInitials, searchPeople } from '../../src/renderer/features/messages/peopleSearch';
import { liSession } from './fakeApi';
import { renderWithApi } from './render';

const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });

const dm: Conversation = {
  id: 'dm.u-li.u-wang',
  kind: 'direct',
  title: '王建国',
  memberIds: ['u-li', 'u-wang'],
  lastSeq: 2,
  lastMessage: { id: 'm2', conversationId: 'dm.u-li.u-wang', seq: 2, senderId: 'u-wang', txnId: 't2', createdAt: Date.now(), content: { type: 'text', text: '请来一下', mentions: [] } },
  readSeq: 1,
  unread: 1,
  muted: false,
  createdAt: 1,
};

/** `hold`, when given, receives each post's release: the post is stored and answers only when released. */
function fake(hold?: (release: () => void) => void) {
  const posted: unknown[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  let history: ChatMessage[] = [
    { id: 'm1', conversationId: dm.id, seq: 1, senderId: 'u-li', txnId: 't1', createdAt: Date.now(), content: { type: 'text', text: '材料已发', mentions: [] }, status: 'sent' },
    { id: 'm2', conversationId: dm.id, seq: 2, senderId: 'u-wang', txnId: 't2', createdAt: Date.now(), content: { type: 'text', text: '请来一下', mentions: [] }, status: 'sent' },
  ];
  let wangRead = 0;
  const api = {
    session: { current: () => ok(liSession) },
    directory: {
      users: () => ok({ items: [{ id: 'u-li', username: 'li', name: '李文', unitId: 'unit-gov', roles: ['staff'] }, { id: 'u-wang', username: 'wang', name: '王建国', unitId: 'unit-gov', roles: ['leader'] }] }),
      units: () => ok({ items: [{ id: 'unit-gov', name: '市政府办公室', organCode: '市政办', departments: [] }] }),
    },
    messaging: {
      conversations: () => ok({ items: [dm] }),
      history: () => ok({ items: history, hasMore: false }),
      reads: () => ok({ items: [{ userId: 'u-li', name: '李文', readSeq: 2 }, { userId: 'u-wang', name: '王建国', readSeq: wangRead }] }),
      markRead: () => ok({ readSeq: 2 }),
      presence: () => ok({ items: [{ userId: 'u-wang', state: 'online' as const }] }),
      post: (input: { content: { type: string; text?: string } }) => {
        const store = () => {
          posted.push(input);
          history = [...history, { id: 'p1', conversationId: dm.id, seq: null, senderId: 'u-li', txnId: 'p1', createdAt: Date.now(), content: { type: 'text', text: input.content.text ?? '', mentions: [] }, status: 'pending' }];
          return ok(history.at(-1)!);
        };
        return hold ? new Promise<Result<ChatMessage>>((resolve) => hold(() => void store().then(resolve))) : store();
      },
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  };
  return { api: api as unknown as XietongApi, posted, setWangRead: (n: number) => (wangRead = n), emit: (event: string, payload: unknown) => listeners.get(event)?.(payload) };
}

describe('消息', () => {
  it('lists conversations with unread counts; Enter sends, Shift+Enter breaks the line; 已读 appears once read', async () => {
    const f = fake();
    await renderWithApi(<MessagesSection />, f.api);
    const entry = await screen.findByRole('button', { name: '王建国，1 条未读' });
    expect(entry.textContent).toContain('请来一下');
    fireEvent.click(entry);
    const box = await screen.findByRole('textbox', { name: '输入消息' });
    expect(await screen.findByText('未读')).toBeTruthy();
    fireEvent.change(box, { target: { value: '马上到' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(f.posted).toHaveLength(0);
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(f.posted).toEqual([{ conversationId: dm.id, content: { type: 'text', text: '马上到', mentions: [] } }]));
    expect(await screen.findByText('待发送')).toBeTruthy();
    expect(screen.getByRole('button', { name: '发送' })).toBeTruthy();
    f.setWangRead(2);
    act(() => f.emit('messagingChanged', { conversationId: dm.id }));
    await waitFor(() => expect(screen.getAllByText('已读').length).toBeGreaterThan(0));
  });

  it('typing the next message while the last is being stored loses nothing: both are sent, in order', async () => {
    cleanup(); // the previous test's section is still mounted (this file renders without automatic cleanup)
    // Storing takes a while (a busy replica): each post answers only when released.
    const releases: (() => void)[] = [];
    const f = fake((release) => releases.push(release));
    await renderWithApi(<MessagesSection />, f.api);
    fireEvent.click(await screen.findByRole('button', { name: '王建国，1 条未读' }));
    const box = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: '输入消息' });
    fireEvent.change(box, { target: { value: '第一条' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('');
    fireEvent.change(box, { target: { value: '第二条' } });
    expect(releases).toHaveLength(1);
    await act(async () => {
      releases.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    // The first one's answer does not wipe what was typed since.
    expect(f.posted).toHaveLength(1);
    const now = screen.getByRole<HTMLTextAreaElement>('textbox', { name: '输入消息' });
    expect(now.value).toBe('第二条');
    fireEvent.keyDown(now, { key: 'Enter' });
    expect(releases).toHaveLength(1);
    await act(async () => {
      releases.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    await waitFor(() => expect(f.posted.map((p) => (p as { content: { text: string } }).content.text)).toEqual(['第一条', '第二条']));
  });

  it('in a group the sender sees 已读 N/M and who has read it', async () => {
    const f = fake();
    const group: Conversation = { ...dm, id: 'grp.g1', kind: 'group', title: '材料组', memberIds: ['u-li', 'u-wang', 'u-zhao'], lastSeq: 1, unread: 0, readSeq: 1, lastMessage: undefined };
    const api = f.api as unknown as { messaging: Record<string, unknown>; directory: Record<string, unknown> };
    api.messaging.conversations = () => ok({ items: [group] });
    api.messaging.history = () => ok({ items: [{ id: 'g1', conversationId: group.id, seq: 1, senderId: 'u-li', txnId: 'tg1', createdAt: Date.now(), content: { type: 'text', text: '请各位审阅', mentions: [] }, status: 'sent' }], hasMore: false });
    api.messaging.reads = () => ok({ items: [{ userId: 'u-li', name: '李文', readSeq: 1 }, { userId: 'u-wang', name: '王建国', readSeq: 1 }, { userId: 'u-zhao', name: '赵敏', readSeq: 0 }] });
    await renderWithApi(<MessagesSection />, f.api);
    fireEvent.click(await screen.findByRole('button', { name: '材料组' }));
    const summary = await screen.findByText('已读 1/2');
    expect(summary.tagName).toBe('SUMMARY');
    expect(summary.parentElement?.textContent).toContain('已读：王建国');
    expect(summary.parentElement?.textContent).not.toContain('赵敏');
  });

  it('新建会话 finds people by name, pinyin initials or unit', () => {
    const users = [
      { id: 'u-wang', username: 'wang', name: '王建国', unitId: 'unit-gov', roles: ['leader' as const] },
      { id: 'u-chen', username: 'chen', name: '陈静', unitId: 'unit-fgw', roles: ['clerk' as const] },
    ];
    const units = [
      { id: 'unit-gov', name: '市政府办公室', organCode: '市政办', departments: [] },
      { id: 'unit-fgw', name: '市发展和改革委员会', organCode: '市发改', departments: [] },
    ];
    expect(pinyinInitials('王建国')).toBe('wjg');
    expect(searchPeople('wjg', users, units).map((u) => u.name)).toEqual(['王建国']);
    expect(searchPeople('陈', users, units).map((u) => u.name)).toEqual(['陈静']);
    expect(searchPeople('发展和改革', users, units).map((u) => u.name)).toEqual(['陈静']);
  });
});
