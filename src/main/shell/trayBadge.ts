/**
 * The tray icon and the taskbar/dock badge: both show the same count (待办 + unread messages, from
 * the badge service), the tray's menu offers 打开 and 退出, and a rising count becomes a system
 * notification when the person has 新消息和待办通知 on. Closing the window hides it to the tray when
 * the deployment policy `closeToTray` says so.
 *
 * Everything Electron is injected, so this is unit-tested without it.
 */
import type { BadgeCount } from '../../shared/api/badge.contract';
import { shellTexts, type ShellTexts } from './shellTexts';

/** The parts of Electron's Tray used here. */
export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click' | 'double-click', listener: () => void): void;
  destroy(): void;
}

export interface TrayMenuItem {
  readonly label: string;
  readonly click: () => void;
}

export interface TrayBadgeDeps {
  readonly createTray: () => TrayLike;
  /** Electron's `Menu.buildFromTemplate`. */
  readonly buildMenu: (items: readonly TrayMenuItem[]) => unknown;
  /** Electron's `app.setBadgeCount` (taskbar on Windows/Linux Unity, dock on macOS); 0 clears it. */
  readonly setBadgeCount: (count: number) => void;
  /** Shows, restores and focuses the main window (creating it again if it was closed). */
  readonly showWindow: () => void;
  /** Quits for real, even where closing only hides the window. */
  readonly quit: () => void;
  /** A system notification; absent where notifications are not supported. */
  readonly notify?: (title: string, body: string) => void;
  /** The person's 新消息和待办通知 setting, read each time (it can change while running). */
  readonly notificationsEnabled: () => boolean;
  readonly productName: string;
  /** The shell's texts in the interface language, read each time (the setting can change while running). */
  readonly texts?: () => ShellTexts;
}

/** The badge service as seen from here. */
export interface BadgeFeed {
  current(): BadgeCount;
  subscribe(listener: (count: BadgeCount) => void): () => void;
}

export interface TrayBadge {
  /** Words the menu and tooltip again (the interface language changed). */
  refresh(): void;
  /** Removes the tray icon and the badge, and stops following the count. */
  dispose(): void;
}

/** The tooltip: the product and, when there is something waiting, what. */
export function trayToolTip(productName: string, count: BadgeCount, texts: ShellTexts = shellTexts['zh-CN']): string {
  if (count.total === 0) return `${productName} — ${texts.tray.nothingToDo}`;
  const parts = [count.todo > 0 ? texts.tray.todo(count.todo) : null, count.unread > 0 ? texts.tray.unread(count.unread) : null].filter((part): part is string => part !== null);
  return `${productName} — ${parts.join(texts === shellTexts.en ? ', ' : '，')}`;
}

export function attachTrayAndBadge(deps: TrayBadgeDeps, feed: BadgeFeed): TrayBadge {
  const tray = deps.createTray();
  const texts = (): ShellTexts => deps.texts?.() ?? shellTexts['zh-CN'];
  const setMenu = (): void =>
    tray.setContextMenu(
      deps.buildMenu([
        { label: texts().tray.open, click: () => deps.showWindow() },
        { label: texts().tray.quit, click: () => deps.quit() },
      ]),
    );
  setMenu();
  // Windows and Linux open the window on a click; macOS shows the menu (its own convention).
  tray.on('click', () => deps.showWindow());

  let last = feed.current();
  const show = (count: BadgeCount): void => {
    tray.setToolTip(trayToolTip(deps.productName, count, texts()));
    deps.setBadgeCount(count.total);
  };
  show(last);
  const off = feed.subscribe((count) => {
    const moreTodo = count.todo - last.todo;
    last = count;
    show(count);
    // New 待办 only: a new message is notified by messaging itself, with its sender and text.
    if (!deps.notify || !deps.notificationsEnabled() || moreTodo <= 0) return;
    deps.notify(deps.productName, texts().tray.newTodo(moreTodo));
  });

  return {
    refresh() {
      setMenu();
      show(last);
    },
    dispose() {
      off();
      deps.setBadgeCount(0);
      tray.destroy();
    },
  };
}

/** The parts of a BrowserWindow closing-to-tray needs. */
export interface ClosableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): void;
  hide(): void;
}

/**
 * Hides the window instead of closing it while `keep()` says so (policy `closeToTray`) and the app is
 * not quitting (退出 in the tray or the menu, or the system shutting down).
 */
export function keepInTrayOnClose(window: ClosableWindow, keep: () => boolean, quitting: () => boolean): void {
  window.on('close', (event) => {
    if (!keep() || quitting()) return;
    event.preventDefault();
    window.hide();
  });
}
