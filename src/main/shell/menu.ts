/** The application menu (文件, 编辑, 视图, 窗口, 帮助) in the interface language, built on Electron's standard roles. */
import type { MenuItemConstructorOptions } from 'electron';
import { shellTexts, type ShellTexts } from './shellTexts';

export interface MenuActions {
  readonly exportDiagnostics: () => void;
  readonly checkForUpdates?: () => void;
  readonly showAbout: () => void;
  /** Developer tools only in unpackaged builds: in production they would bypass the UI's checks. */
  readonly developerTools: boolean;
}

export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform, texts: ShellTexts = shellTexts['zh-CN']): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const m = texts.menu;
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: texts.productName,
      submenu: [
        { label: m.about, click: actions.showAbout },
        { type: 'separator' },
        { role: 'hide', label: m.hide },
        { role: 'hideOthers', label: m.hideOthers },
        { role: 'unhide', label: m.unhide },
        { type: 'separator' },
        { role: 'quit', label: m.quitApp },
      ],
    });
  }
  template.push(
    {
      label: m.file,
      submenu: [
        { label: m.exportDiagnostics, click: actions.exportDiagnostics },
        { type: 'separator' },
        isMac ? { role: 'close', label: m.closeWindow } : { role: 'quit', label: m.quit },
      ],
    },
    {
      label: m.edit,
      submenu: [
        { role: 'undo', label: m.undo },
        { role: 'redo', label: m.redo },
        { type: 'separator' },
        { role: 'cut', label: m.cut },
        { role: 'copy', label: m.copy },
        { role: 'paste', label: m.paste },
        { role: 'pasteAndMatchStyle', label: m.pasteAndMatchStyle },
        { role: 'delete', label: m.delete },
        { role: 'selectAll', label: m.selectAll },
      ],
    },
    {
      label: m.view,
      submenu: [
        { role: 'reload', label: m.reload },
        ...(actions.developerTools ? [{ role: 'toggleDevTools', label: m.devTools } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom', label: m.resetZoom },
        { role: 'zoomIn', label: m.zoomIn },
        { role: 'zoomOut', label: m.zoomOut },
        { type: 'separator' },
        { role: 'togglefullscreen', label: m.fullScreen },
      ],
    },
    {
      label: m.window,
      role: 'windowMenu',
      submenu: [
        { role: 'minimize', label: m.minimize },
        { role: 'zoom', label: m.zoom },
        ...(isMac ? [{ type: 'separator' } as const, { role: 'front', label: m.front } as const] : [{ role: 'close', label: m.close } as const]),
      ],
    },
    {
      label: m.help,
      role: 'help',
      submenu: [
        { label: m.exportDiagnostics, click: actions.exportDiagnostics },
        ...(actions.checkForUpdates ? [{ label: m.checkForUpdates, click: actions.checkForUpdates }] : []),
        ...(isMac ? [] : [{ type: 'separator' } as const, { label: m.about, click: actions.showAbout }]),
      ],
    },
  );
  return template;
}
