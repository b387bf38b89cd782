/**
 * The badge count through main against a real sync server with the demo organisation: wang's
 * `badge:get` counts his 待办, grows when li hands him a document, and is zero once he signs out.
 */
import { describe, expect, it } from 'vitest';
import type { BadgeCount, LocalDocument } from '../../src/shared/api';
import { useDemoServer } from './support/demoClients';

const { client } = useDemoServer('xt-badge-');

describe('the badge count', () => {
  it('counts 待办, follows a new one, and is zero when signed out', async () => {
    const wang = await client('wang');
    const li = await client('li');
    const before = await wang.value<BadgeCount>('badge:get', {});
    const todo = await wang.value<{ items: unknown[] }>('documents:list', { box: 'todo' });
    expect(before).toEqual({ todo: todo.items.length, unread: 0, total: todo.items.length });

    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于调整值班安排的通知' });
    await li.value('documents:act', { id: created.document.id, action: 'submit', to: ['user-wang'] });
    expect(await wang.value<BadgeCount>('badge:get', {})).toEqual({ todo: before.todo + 1, unread: 0, total: before.todo + 1 });

    await wang.value('session:logout', {});
    expect(await wang.value<BadgeCount>('badge:get', {})).toEqual({ todo: 0, unread: 0, total: 0 });
  });
});
