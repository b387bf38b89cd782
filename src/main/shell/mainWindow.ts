/** The main window: hardened webPreferences, remembered bounds, the app scheme as its only content. */
import { BrowserWindow, screen } from 'electron';
import type { WindowState } from '../../shared/deployment';
import { fitToDisplays, loadWindowState, saveWindowState } from './windowState';

export interface MainWindowOptions {
  /** Built preload script (out/preload/index.js); omitted for the error screen, which needs no API. */
  readonly preload?: string;
  readonly url: string;
  readonly stateFile: string;
  readonly title: string;
  readonly icon?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = fitToDisplays(
    loadWindowState(options.stateFile),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    width: saved.width,
    height: saved.height,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: options.title,
    backgroundColor: '#f5f5f2',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      // The page gets only what the preload exposes through contextBridge, in an isolated world.
      contextIsolation: true,
      // The renderer process runs in Chromium's OS sandbox: a renderer exploit does not get Node.
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Same-origin policy and mixed-content blocking stay on.
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      ...(options.preload ? { preload: options.preload } : {}),
    },
  });
  if (saved.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  window.on('close', () => {
    const bounds = window.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: window.isMaximized() };
    saveWindowState(options.stateFile, state);
  });
  void window.loadURL(options.url);
  return window;
}
