/**
 * The tray and the badge with Electron replaced at the boundary: one count on the tooltip and the
 * taskbar/dock badge, 打开 / 退出 in the tray menu, a notification only when the count rises and the
 * person wants notifications, close-to-tray only by policy and never while quitting; 开机启动 applied
 * through the login-item interface.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { BadgeCount } from '../../src/shared/api';
import { createBadgeService, countByPages } from '../../src/main/services/badge';
import { silentLogger } from '../../src/main/services/logging';
import { trayIconPath } from '../../src/main/shell/appIcon';
import { createStartOnLogin } from '../../src/main/shell/startOnLogin';
import { attachTrayAndBadge, keepInTrayOnClose, type TrayMenuItem } from '../../src/main/shell/trayBadge';

function fakeShell(notifications = true) {
  const tray = { setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn(), destroy: vi.fn() };
  let menu: readonly TrayMenuItem[] = [];
  const deps = {
    createTray: vi.fn(() => tray),
    buildMenu: (items: readonly TrayMenuItem[]) => {
      menu = items;
      return items;
    },
    setBadgeCount: vi.fn(),
    showWindow: vi.fn(),
    quit: vi.fn(),
    notify: vi.fn(),
    notificationsEnabled: vi.fn(() => notifications),
    productName: '协同办公',
  };
  return { tray, deps, menu: () => menu };
}

/** A badge service fed by counters the test sets. */
function countsFrom(initial: { todo: number; unread: number }) {
  const counts = { ...initial };
  const badge = createBadgeService({ todoCount: () => Promise.resolve(counts.todo), unreadMessages: () => Promise.resolve(counts.unread) });
  return { counts, badge };
}

describe('tray and badge', () => {
  it('shows the same count on the tooltip and the badge, and follows it', async () => {
    const { counts, badge } = countsFrom({ todo: 3, unread: 0 });
    await badge.refresh();
    const shell = fakeShell();
    const trayBadge = attachTrayAndBadge(shell.deps, badge);
    expect(shell.tray.setToolTip).toHaveBeenLastCalledWith('协同办公 — 待办 3 件');
    expect(shell.deps.setBadgeCount).toHaveBeenLastCalledWith(3);

    counts.unread = 2;
    await badge.refresh();
    expect(shell.tray.setToolTip).toHaveBeenLastCalledWith('协同办公 — 待办 3 件，未读消息 2 条');
    expect(shell.deps.setBadgeCount).toHaveBeenLastCalledWith(5);

    counts.todo = 0;
    counts.unread = 0;
    await badge.refresh();
    expect(shell.tray.setToolTip).toHaveBeenLastCalledWith('协同办公 — 没有待办');
    expect(shell.deps.setBadgeCount).toHaveBeenLastCalledWith(0);

    trayBadge.dispose();
    expect(shell.tray.destroy).toHaveBeenCalledOnce();
    counts.todo = 9;
    await badge.refresh();
    expect(shell.deps.setBadgeCount).toHaveBeenLastCalledWith(0);
  });

  it('offers 打开 and 退出, and opens the window on a click', () => {
    const shell = fakeShell();
    attachTrayAndBadge(shell.deps, countsFrom({ todo: 0, unread: 0 }).badge);
    expect(shell.menu().map((item) => item.label)).toEqual(['打开', '退出']);
    shell.menu()[0]!.click();
    expect(shell.deps.showWindow).toHaveBeenCalledOnce();
    shell.menu()[1]!.click();
    expect(shell.deps.quit).toHaveBeenCalledOnce();
    const click = shell.tray.on.mock.calls.find(([event]) => event === 'click')![1] as () => void;
    click();
    expect(shell.deps.showWindow).toHaveBeenCalledTimes(2);
  });

  it('notifies when 待办 grow (messages notify themselves, with their text), only if the person wants notifications', async () => {
    const { counts, badge } = countsFrom({ todo: 1, unread: 0 });
    await badge.refresh();
    const on = fakeShell(true);
    const off = fakeShell(false);
    attachTrayAndBadge(on.deps, badge);
    attachTrayAndBadge(off.deps, badge);
    counts.todo = 3;
    counts.unread = 1;
    await badge.refresh();
    expect(on.deps.notify).toHaveBeenCalledWith('协同办公', '新的待办 2 件');
    counts.unread = 4;
    await badge.refresh();
    expect(on.deps.notify).toHaveBeenCalledOnce();
    counts.todo = 2;
    await badge.refresh();
    // A count that goes down (an item handled) is no news.
    expect(on.deps.notify).toHaveBeenCalledOnce();
    expect(off.deps.notify).not.toHaveBeenCalled();
    expect(off.deps.setBadgeCount).toHaveBeenLastCalledWith(6);
  });

  it('keeps the last figure when a source cannot answer, and reads once more after a change mid-read', async () => {
    let todo = 4;
    let fail = false;
    const reads: number[] = [];
    const badge = createBadgeService({
      todoCount: () => {
        reads.push(todo);
        return fail ? Promise.reject(new Error('offline')) : Promise.resolve(todo);
      },
    });
    expect(await badge.refresh()).toEqual({ todo: 4, unread: 0, total: 4 });
    fail = true;
    expect((await badge.refresh()).total).toBe(4);
    fail = false;
    const first = badge.refresh();
    todo = 6;
    void badge.refresh();
    expect(await first).toEqual<BadgeCount>({ todo: 6, unread: 0, total: 6 });
    expect(reads.slice(-2)).toEqual([4, 6]);
  });

  it('reads again by itself after a failed or offline read, so a new 待办 is not left uncounted', async () => {
    let todo = 4;
    let answer: 'fail' | 'replica' | 'server' = 'server';
    const badge = createBadgeService(
      {
        todoCount: () => {
          if (answer === 'fail') return Promise.reject(new Error('timeout'));
          return Promise.resolve(answer === 'replica' ? { count: todo - 1, stale: true } : todo);
        },
      },
      () => undefined,
      { firstMs: 5, maxMs: 20 },
    );
    const seen: number[] = [];
    badge.subscribe((count) => seen.push(count.todo));
    await badge.refresh();
    // The server timed out on the read a change asked for; it answers again a moment later.
    answer = 'fail';
    todo = 5;
    await badge.refresh();
    expect(seen).toEqual([4]);
    answer = 'server';
    await vi.waitFor(() => expect(seen).toEqual([4, 5]), { timeout: 1_000, interval: 5 });
    // Answered from the offline copy: shown, and read again until the server answers.
    answer = 'replica';
    todo = 7;
    await badge.refresh();
    expect(seen).toEqual([4, 5, 6]);
    answer = 'server';
    await vi.waitFor(() => expect(seen).toEqual([4, 5, 6, 7]), { timeout: 1_000, interval: 5 });
    // Fresh again: no timer keeps reading.
    const reads = vi.fn(() => Promise.resolve(7));
    const quiet = createBadgeService({ todoCount: reads }, () => undefined, { firstMs: 5 });
    await quiet.refresh();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(reads).toHaveBeenCalledTimes(1);
    badge.close();
    quiet.close();
  });

  it('stops retrying once closed', async () => {
    const reads = vi.fn(() => Promise.reject(new Error('offline')));
    const badge = createBadgeService({ todoCount: reads }, () => undefined, { firstMs: 5 });
    await badge.refresh();
    badge.close();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('counts 待办 across pages, bounded', async () => {
    const pages = new Map<string | undefined, { items: number[]; next?: string }>([
      [undefined, { items: [1, 2], next: 'b' }],
      ['b', { items: [3, 4], next: 'c' }],
      ['c', { items: [5] }],
    ]);
    expect(await countByPages((cursor) => Promise.resolve(pages.get(cursor)!))).toEqual({ count: 5, stale: false });
    const endless = vi.fn(() => Promise.resolve({ items: [1], next: 'again' }));
    expect(await countByPages(endless, 20)).toEqual({ count: 20, stale: false });
    expect(endless).toHaveBeenCalledTimes(20);
    // A page from the offline copy makes the whole count stale.
    expect(await countByPages(() => Promise.resolve({ items: [1, 2], fromReplica: true }))).toEqual({ count: 2, stale: true });
  });

  it('names the tray icon through one helper: the installed copy, or the repository’s in development', () => {
    expect(trayIconPath({ isPackaged: true, resourcesPath: '/opt/协同办公/resources', appPath: '/x' })).toMatch(/^\/opt\/协同办公\/resources\/icons\/32x32\.png$/);
    expect(trayIconPath({ isPackaged: false, resourcesPath: '/r', appPath: '/work/xietong' })).toBe('/work/xietong/assets/icons/32x32.png');
  });
});

describe('closing the window', () => {
  const windowWithClose = () => {
    const emitter = new EventEmitter();
    const window = { on: (event: 'close', listener: (event: { preventDefault(): void }) => void) => emitter.on(event, listener), hide: vi.fn() };
    const close = () => {
      const event = { prevented: false, preventDefault() {
        this.prevented = true;
      } };
      emitter.emit('close', event);
      return event.prevented;
    };
    return { window, close };
  };

  it('hides to the tray when the policy says so, but really closes while quitting', () => {
    let quitting = false;
    const { window, close } = windowWithClose();
    keepInTrayOnClose(window, () => true, () => quitting);
    expect(close()).toBe(true);
    expect(window.hide).toHaveBeenCalledOnce();
    quitting = true;
    expect(close()).toBe(false);
  });

  it('closes as usual without the policy', () => {
    const { window, close } = windowWithClose();
    keepInTrayOnClose(window, () => false, () => false);
    expect(close()).toBe(false);
    expect(window.hide).not.toHaveBeenCalled();
  });
});

describe('开机启动', () => {
  it('registers the login item on Windows and macOS when the setting changes, once per change', () => {
    const items = { setLoginItemSettings: vi.fn() };
    const startOnLogin = createStartOnLogin(items, 'win32', silentLogger);
    startOnLogin.apply(false);
    startOnLogin.apply(true);
    startOnLogin.apply(true);
    startOnLogin.apply(false);
    expect(items.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: false }], [{ openAtLogin: true }], [{ openAtLogin: false }]]);
  });

  it('leaves Linux alone (the session’s autostart decides) and survives a refused write', () => {
    const linux = { setLoginItemSettings: vi.fn() };
    createStartOnLogin(linux, 'linux', silentLogger).apply(true);
    expect(linux.setLoginItemSettings).not.toHaveBeenCalled();
    const refusing = { setLoginItemSettings: vi.fn(() => {
      throw new Error('access denied');
    }) };
    const startOnLogin = createStartOnLogin(refusing, 'darwin', silentLogger);
    expect(() => startOnLogin.apply(true)).not.toThrow();
    startOnLogin.apply(true);
    // Not remembered as applied, so it is tried again.
    expect(refusing.setLoginItemSettings).toHaveBeenCalledTimes(2);
  });
});
