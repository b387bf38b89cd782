/** The Chinese application menu: 文件, 编辑, 视图, 窗口, 帮助, built on Electron's standard roles. */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  readonly exportDiagnostics: () => void;
  readonly checkForUpdates?: () => void;
  readonly showAbout: () => void;
  /** Developer tools only in unpackaged builds: in production they would bypass the UI's checks. */
  readonly developerTools: boolean;
}

export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: '协同办公',
      submenu: [
        { label: '关于 协同办公', click: actions.showAbout },
        { type: 'separator' },
        { role: 'hide', label: '隐藏 协同办公' },
        { role: 'hideOthers', label: '隐藏其他' },
        { role: 'unhide', label: '全部显示' },
        { type: 'separator' },
        { role: 'quit', label: '退出 协同办公' },
      ],
    });
  }
  template.push(
    {
      label: '文件',
      submenu: [
        { label: '导出诊断信息…', click: actions.exportDiagnostics },
        { type: 'separator' },
        isMac ? { role: 'close', label: '关闭窗口' } : { role: 'quit', label: '退出' },
      ],
    },
    {
      label: '编辑',
      submenu: [
        { role: 'undo', label: '撤销' },
        { role: 'redo', label: '重做' },
        { type: 'separator' },
        { role: 'cut', label: '剪切' },
        { role: 'copy', label: '复制' },
        { role: 'paste', label: '粘贴' },
        { role: 'pasteAndMatchStyle', label: '粘贴并匹配样式' },
        { role: 'delete', label: '删除' },
        { role: 'selectAll', label: '全选' },
      ],
    },
    {
      label: '视图',
      submenu: [
        { role: 'reload', label: '重新加载' },
        ...(actions.developerTools ? [{ role: 'toggleDevTools', label: '开发者工具' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom', label: '实际大小' },
        { role: 'zoomIn', label: '放大' },
        { role: 'zoomOut', label: '缩小' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: '全屏' },
      ],
    },
    {
      label: '窗口',
      role: 'windowMenu',
      submenu: [
        { role: 'minimize', label: '最小化' },
        { role: 'zoom', label: '缩放' },
        ...(isMac ? [{ type: 'separator' } as const, { role: 'front', label: '前置全部窗口' } as const] : [{ role: 'close', label: '关闭' } as const]),
      ],
    },
    {
      label: '帮助',
      role: 'help',
      submenu: [
        { label: '导出诊断信息…', click: actions.exportDiagnostics },
        ...(actions.checkForUpdates ? [{ label: '检查更新', click: actions.checkForUpdates }] : []),
        ...(isMac ? [] : [{ type: 'separator' } as const, { label: '关于 协同办公', click: actions.showAbout }]),
      ],
    },
  );
  return template;
}
