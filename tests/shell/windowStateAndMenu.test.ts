/** Remembered window bounds and the Chinese application menu. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../src/main/shell/menu';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState } from '../../src/main/shell/windowState';

describe('window state', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-window-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers size, place and maximised state across restarts', () => {
    const file = join(dir, 'window-state.json');
    expect(saveWindowState(file, { x: 100, y: 80, width: 1400, height: 900, maximized: true })).toBe(true);
    expect(loadWindowState(file)).toEqual({ x: 100, y: 80, width: 1400, height: 900, maximized: true });
  });

  it('falls back to the default for a damaged or hostile file, and refuses to save nonsense', () => {
    const file = join(dir, 'window-state.json');
    for (const text of ['{', '{"width": 1e9, "height": 10}', '{"width": 800, "height": 600, "x": "0"}', '[]']) {
      writeFileSync(file, text);
      expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    }
    expect(loadWindowState(join(dir, 'none.json'))).toEqual(DEFAULT_WINDOW_STATE);
    expect(saveWindowState(file, { width: 10, height: 10, maximized: false })).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('[]');
  });

  it('drops a position no display shows any more and shrinks to the largest screen', () => {
    const laptop = { x: 0, y: 0, width: 1366, height: 728 };
    expect(fitToDisplays({ x: 2000, y: 100, width: 1400, height: 900, maximized: false }, [laptop])).toEqual({ width: 1366, height: 728, maximized: false });
    expect(fitToDisplays({ x: 50, y: 40, width: 1000, height: 700, maximized: false }, [laptop])).toEqual({ x: 50, y: 40, width: 1000, height: 700, maximized: false });
    const secondScreen = { x: 1366, y: 0, width: 1920, height: 1040 };
    expect(fitToDisplays({ x: 2000, y: 100, width: 1400, height: 900, maximized: false }, [laptop, secondScreen]).x).toBe(2000);
  });
});

describe('application menu', () => {
  const actions = { exportDiagnostics: vi.fn(), checkForUpdates: vi.fn(), showAbout: vi.fn(), developerTools: false };
  const labels = (items: MenuItemConstructorOptions[]) => items.map((item) => item.label);
  const submenu = (items: MenuItemConstructorOptions[], label: string) =>
    items.find((item) => item.label === label)!.submenu as MenuItemConstructorOptions[];

  it('is in Chinese with 文件, 编辑, 视图, 窗口 and 帮助', () => {
    const template = buildMenuTemplate(actions, 'win32');
    expect(labels(template)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    expect(submenu(template, '编辑').filter((item) => item.role).map((item) => [item.role, item.label])).toEqual([
      ['undo', '撤销'],
      ['redo', '重做'],
      ['cut', '剪切'],
      ['copy', '复制'],
      ['paste', '粘贴'],
      ['pasteAndMatchStyle', '粘贴并匹配样式'],
      ['delete', '删除'],
      ['selectAll', '全选'],
    ]);
    for (const item of template.flatMap((top) => top.submenu as MenuItemConstructorOptions[])) {
      if (item.type !== 'separator') expect(item.label, JSON.stringify(item)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('offers 导出诊断信息, 检查更新 and 关于 under 帮助 and runs them', () => {
    const help = submenu(buildMenuTemplate(actions, 'linux'), '帮助');
    expect(labels(help).filter(Boolean)).toEqual(['导出诊断信息…', '检查更新', '关于 协同办公']);
    const exportItem = help.find((item) => item.label === '导出诊断信息…')!;
    (exportItem.click as () => void)();
    expect(actions.exportDiagnostics).toHaveBeenCalledOnce();
  });

  it('hides developer tools in installed builds and 检查更新 when updates are off', () => {
    const installed = buildMenuTemplate({ exportDiagnostics: vi.fn(), showAbout: vi.fn(), developerTools: false }, 'win32');
    expect(submenu(installed, '视图').some((item) => item.role === 'toggleDevTools')).toBe(false);
    expect(labels(submenu(installed, '帮助'))).not.toContain('检查更新');
    const development = buildMenuTemplate({ ...actions, developerTools: true }, 'win32');
    expect(submenu(development, '视图').some((item) => item.role === 'toggleDevTools')).toBe(true);
  });

  it('puts the app menu first on macOS', () => {
    expect(labels(buildMenuTemplate(actions, 'darwin'))).toEqual(['协同办公', '文件', '编辑', '视图', '窗口', '帮助']);
  });
});
