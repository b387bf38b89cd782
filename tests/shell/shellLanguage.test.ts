/**
 * The shell speaks the interface language of the settings: with English chosen, the menu, the tray
 * and the dialogs for opened files read in English; zh-CN stays the default. Electron is not loaded:
 * the menu is a template and the tray's parts are injected.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../src/main/shell/menu';
import { reportForOpenedFile } from '../../src/main/shell/openFiles';
import { shellTexts, type ShellTexts } from '../../src/main/shell/shellTexts';
import { attachTrayAndBadge, type TrayMenuItem } from '../../src/main/shell/trayBadge';
import type { BadgeCount } from '../../src/shared/api';

const han = /\p{Script=Han}/u;
const actions = { exportDiagnostics: () => {}, checkForUpdates: () => {}, showAbout: () => {}, developerTools: true };

function labels(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [item.label ?? '', ...(Array.isArray(item.submenu) ? labels(item.submenu) : [])]).filter(Boolean);
}

/** Every string the texts can produce, functions called with sample arguments. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') return [String((value as (...args: unknown[]) => unknown)('x', 'y', 'z', 'w'))];
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

describe('the shell in the interface language', () => {
  it('has every English text in English and every Chinese one in Chinese', () => {
    const en = allStrings(shellTexts.en);
    expect(en.length).toBeGreaterThan(80);
    for (const text of en) expect(han.test(text), text).toBe(false);
    expect(allStrings(shellTexts['zh-CN']).filter((text) => han.test(text)).length).toBeGreaterThan(70);
  });

  it('words the menu in English when English is chosen, and in Chinese by default', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const english = labels(buildMenuTemplate(actions, platform, shellTexts.en));
      expect(english).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help', 'Check for Updates', 'Export Diagnostics…']));
      for (const label of english) expect(han.test(label), label).toBe(false);
    }
    expect(labels(buildMenuTemplate(actions, 'linux'))).toEqual(expect.arrayContaining(['文件', '编辑', '视图', '窗口', '帮助', '检查更新']));
  });

  it('words the tray menu, tooltip and notification in the current language and re-words them when it changes', () => {
    let texts: ShellTexts = shellTexts['zh-CN'];
    let menu: readonly TrayMenuItem[] = [];
    const tray = { setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn(), destroy: vi.fn() };
    const notify = vi.fn();
    let count: BadgeCount = { todo: 2, unread: 1, total: 3 };
    const listeners: ((next: BadgeCount) => void)[] = [];
    const trayBadge = attachTrayAndBadge(
      {
        createTray: () => tray,
        buildMenu: (items) => (menu = items),
        setBadgeCount: () => {},
        showWindow: () => {},
        quit: () => {},
        notify,
        notificationsEnabled: () => true,
        productName: 'XieTong',
        texts: () => texts,
      },
      { current: () => count, subscribe: (listener) => (listeners.push(listener), () => {}) },
    );
    expect(menu.map((item) => item.label)).toEqual(['打开', '退出']);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('XieTong — 待办 2 件，未读消息 1 条');

    texts = shellTexts.en;
    trayBadge.refresh();
    expect(menu.map((item) => item.label)).toEqual(['Open', 'Quit']);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('XieTong — 2 to do, 1 unread message');
    count = { todo: 3, unread: 1, total: 4 };
    for (const listener of listeners) listener(count);
    expect(notify).toHaveBeenCalledWith('XieTong', '1 new to-do item');
    trayBadge.dispose();
  });

  it('answers an opened file in English', async () => {
    const deps = { trustedRoots: [], fileSize: () => Promise.resolve(10), readFile: () => Promise.resolve(new Uint8Array()), verify: () => Promise.reject(new Error('unused')) };
    expect(await reportForOpenedFile('/tmp/公文.ofd', { ...deps, texts: shellTexts.en })).toMatchObject({ message: 'XieTong Office cannot show OFD files' });
    expect(await reportForOpenedFile('/tmp/a.pdf', { ...deps, texts: shellTexts.en })).toMatchObject({ title: 'Signature check — a.pdf', message: 'No trusted root certificate is configured, so signatures cannot be verified' });
    expect(await reportForOpenedFile('/tmp/a.pdf', deps)).toMatchObject({ message: '未配置信任的根证书，无法验证签名' });
  });
});
