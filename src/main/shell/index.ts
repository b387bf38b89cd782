/**
 * The Electron main process: the only code that imports `electron`. It loads the deployment
 * configuration, builds the services (the same ones the web host runs), registers the one IPC
 * wrapper, serves the renderer from the app scheme and keeps every window hardened.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, safeStorage, session, shell, Tray } from 'electron';
import { autoUpdater } from 'electron-updater';
import { apiContract } from '../../shared/api';
import { resolveEffectiveSettings, type EffectiveSettings } from '../../shared/deployment';
import { createAppServices } from '../services/app';
import { printContents } from './print';
import type { AppServices } from '../services/appServices';
import { createSettingsService, createUserSettingsStore, deploymentCandidates, DeploymentConfigError, loadDeployment, type LoadedDeployment } from '../services/deployment';
import { APP_VERSION, createDiagnosticsService, type DiagnosticsService } from '../services/diagnostics';
import { RotatingLog, type Logger } from '../services/logging';
import { APP_ID, PRODUCT_NAME } from './appIdentity';
import { trayIconPath } from './appIcon';
import { createStartOnLogin } from './startOnLogin';
import { attachTrayAndBadge, keepInTrayOnClose, type TrayBadge } from './trayBadge';
import { APP_HOST, APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, createAppProtocolHandler } from './appProtocol';
import { adaptElectronUpdater, hasPublisherName } from './electronUpdaterAdapter';
import { ERROR_PAGE_CSS, ERROR_PAGE_PATH, ERROR_STYLE_PATH, renderDeploymentErrorPage } from './errorPage';
import { createEventSink, registerIpcHandlers } from './ipc';
import { createMainWindow } from './mainWindow';
import { buildMenuTemplate } from './menu';
import { openableFilesFromArgv, reportForOpenedFile } from './openFiles';
import { createSafeStorageBox } from './secrets';
import { setupAutoUpdates, type AutoUpdates } from './updater';
import { enforceContentSecurityPolicy, hardenWebContents, restrictPermissions } from './webContentsSecurity';
import { windowStateFile } from './windowState';

/** Used when neither deployment.json nor the person names a server: the default of `xietong server`. */
const FALLBACK_SERVER_URL = 'http://127.0.0.1:8787';

// Must run before `ready`: `standard` gives the scheme real origins and relative URLs, `secure`
// lets it use secure-context APIs (getUserMedia for voice sign-off) without http, `corsEnabled`
// lets the bundle's `<script type="module" crossorigin>` load (module scripts are fetched in CORS
// mode; we send no Access-Control headers, so no other origin can read our files).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
]);
// Every renderer sandboxed, including any a library might create.
app.enableSandbox();
// Windows groups taskbar entries and shows notifications under this id; it must equal the
// installer's appId (electron-builder.yml) or notifications from an installed app are dropped.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

let mainWindow: BrowserWindow | undefined;
let services: AppServices | undefined;
let updates: AutoUpdates | undefined;
let trayBadge: TrayBadge | undefined;
/** Set by 退出 and by every real quit, so a close-to-tray window then really closes. */
let quitting = false;
/** Set once the app is running; until then opened files wait in `pendingFiles`. */
let openFile: ((path: string) => void) | undefined;
const pendingFiles: string[] = openableFilesFromArgv(process.argv.slice(1), process.cwd());

/** Files double-clicked or "opened with" 协同办公 (Windows/Linux via argv, macOS via open-file). */
const requestOpen = (path: string): void => {
  if (openFile) openFile(path);
  else pendingFiles.push(path);
};

const focusMainWindow = (): void => {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
};

/** Versions and configuration for 关于 and the diagnostics archive. */
function buildDiagnostics(userDataDir: string, loaded: LoadedDeployment | undefined, effective: EffectiveSettings | undefined, serverUrl: string | undefined, settingsFile: string): DiagnosticsService {
  return createDiagnosticsService({
    logDirs: [join(userDataDir, 'logs')],
    outputDir: app.getPath('downloads'),
    about: () => ({
      appVersion: app.getVersion() || APP_VERSION,
      electronVersion: process.versions.electron,
      chromeVersion: process.versions.chrome,
      nodeVersion: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      ...(effective?.organisationName ? { organisationName: effective.organisationName } : {}),
      ...(loaded?.source ? { deploymentFile: loaded.source } : {}),
      ...(serverUrl ? { serverUrl } : {}),
    }),
    configs: () => ({
      'deployment.json': { source: loaded?.source ?? null, config: loaded?.config ?? null },
      'effective-settings.json': effective ?? null,
      'settings-file.txt': settingsFile,
    }),
  });
}

async function exportDiagnosticsFromMenu(diagnostics: DiagnosticsService, log: Logger): Promise<void> {
  try {
    const result = await diagnostics.export();
    log.info(`diagnostics exported from the menu to ${result.path}`);
    shell.showItemInFolder(result.path);
    await dialog.showMessageBox({ type: 'info', title: '导出诊断信息', message: '诊断信息已导出', detail: `文件：${result.path}\n其中不含密码、令牌或私钥，可发送给系统管理员。`, buttons: ['确定'] });
  } catch (error) {
    log.error('diagnostics export failed', error);
    dialog.showErrorBox('导出诊断信息失败', error instanceof Error ? error.message : String(error));
  }
}

/** 检查更新: always answers, so the person knows the check happened. */
async function checkForUpdatesFromMenu(updates: AutoUpdates): Promise<void> {
  const outcome = await updates.check();
  const detail =
    outcome.status === 'available'
      ? `正在下载 协同办公 ${outcome.version}，下载完成后会提示您。`
      : outcome.status === 'current'
        ? `当前版本 ${app.getVersion()} 已是最新版本。`
        : `检查更新失败：${outcome.message}`;
  await dialog.showMessageBox({ type: outcome.status === 'failed' ? 'warning' : 'info', title: '检查更新', message: '检查更新', detail, buttons: ['确定'] });
}

function showAbout(diagnostics: DiagnosticsService, updatesState: () => AutoUpdates | undefined): void {
  const about = diagnostics.about();
  const update = updatesState();
  const lines = [
    `版本 ${about.appVersion}（Electron ${about.electronVersion ?? '-'}，Chromium ${about.chromeVersion ?? '-'}，Node ${about.nodeVersion}）`,
    `系统 ${about.platform} ${about.arch}`,
    about.organisationName ? `单位 ${about.organisationName}` : undefined,
    about.serverUrl ? `服务器 ${about.serverUrl}` : undefined,
    `部署配置 ${about.deploymentFile ?? '未找到（使用默认设置）'}`,
    `自动更新 ${update?.active ? '已启用' : (update?.reason ?? '未启用')}`,
  ].filter((line): line is string => line !== undefined);
  void dialog.showMessageBox({ type: 'info', title: '关于 协同办公', message: '协同办公', detail: lines.join('\n'), buttons: ['确定'] });
}

async function start(): Promise<void> {
  const userDataDir = app.getPath('userData');
  const logFile = new RotatingLog({ dir: join(userDataDir, 'logs'), name: 'main', echo: !app.isPackaged });
  const log = logFile.logger('main');
  log.info(`starting 协同办公 ${app.getVersion()} (electron ${process.versions.electron}, ${process.platform} ${process.arch})`);
  process.on('uncaughtException', (error) => log.error('uncaught exception', error));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', reason));

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { launchExternal: shell.openExternal.bind(shell), log: log.child('security') });
    contents.on('render-process-gone', (_goneEvent, details) => log.error(`renderer gone: ${details.reason}`, { exitCode: details.exitCode }));
  });
  restrictPermissions(session.defaultSession, log.child('permissions'));
  enforceContentSecurityPolicy(session.defaultSession);

  const rendererRoot = join(__dirname, '../renderer');
  const pages = new Map<string, () => string>();
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: rendererRoot, pages }));

  const stateFile = windowStateFile(userDataDir);
  const settingsStore = createUserSettingsStore(userDataDir, {
    onDiscarded: (file, movedTo, reason) => log.warn(`settings file ${file} was invalid (${reason}); kept as ${movedTo}`),
  });

  let loaded: LoadedDeployment;
  try {
    loaded = await loadDeployment(
      deploymentCandidates({ platform: process.platform, execPath: process.execPath, resourcesPath: process.resourcesPath, env: process.env }),
    );
  } catch (error) {
    if (!(error instanceof DeploymentConfigError)) throw error;
    // A bad file must be fixed by the administrator; starting with half the settings would, say,
    // talk to the wrong server or trust no roots. Show what is wrong instead.
    log.error(error.message);
    pages.set(ERROR_PAGE_PATH, () => renderDeploymentErrorPage(error.file, error.problems));
    pages.set(ERROR_STYLE_PATH, () => ERROR_PAGE_CSS);
    const diagnostics = buildDiagnostics(userDataDir, undefined, undefined, undefined, settingsStore.file);
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ exportDiagnostics: () => void exportDiagnosticsFromMenu(diagnostics, log), showAbout: () => showAbout(diagnostics, () => undefined), developerTools: !app.isPackaged }, process.platform)));
    mainWindow = createMainWindow({ url: `${APP_ORIGIN}${ERROR_PAGE_PATH}`, stateFile, title: '协同办公 — 部署配置有误' });
    return;
  }

  const effective = resolveEffectiveSettings(loaded.config, await settingsStore.load());
  for (const ignored of effective.ignored) log.info(`personal setting ${ignored.setting} ignored: ${ignored.reason}`);
  const serverUrl = effective.serverUrl ?? process.env.XIETONG_SERVER_URL ?? FALLBACK_SERVER_URL;
  log.info(`deployment ${loaded.source ?? '(none found, defaults)'}; server ${serverUrl}`);

  const diagnostics = buildDiagnostics(userDataDir, loaded, effective, serverUrl, settingsStore.file);
  const windows = (): BrowserWindow[] => BrowserWindow.getAllWindows();
  const sink = createEventSink(windows);
  const updaterLog = log.child('updater');
  updates = setupAutoUpdates({
    updater: adaptElectronUpdater(autoUpdater, updaterLog),
    updateUrl: effective.updateUrl,
    enabled: effective.autoUpdate,
    platform: process.platform,
    publisherNameKnown: () => hasPublisherName(process.resourcesPath),
    log: updaterLog,
    currentVersion: app.getVersion(),
    onStatus: (status) => sink('updateStatus', status),
    onProgress: (progress) => sink('updateProgress', progress),
    notify: async (version) => {
      const { response } = await dialog.showMessageBox({
        type: 'info',
        title: '软件更新',
        message: `协同办公 ${version} 已下载`,
        detail: '新版本将在退出应用后自动安装。也可以现在重新启动以完成更新（未保存的内容请先保存）。',
        buttons: ['稍后', '立即重启'],
        defaultId: 0,
        cancelId: 0,
      });
      return response === 1 ? 'restart' : 'later';
    },
  });
  if (!updates.active) updaterLog.info(`automatic updates off: ${updates.reason ?? ''}`);

  const startOnLogin = createStartOnLogin(app, process.platform, log.child('login-item'));
  startOnLogin.apply(effective.startOnLogin);
  let notificationsOn = effective.notifications;
  services = await createAppServices(
    {
      userDataDir,
      serverUrl,
      secrets: createSafeStorageBox(safeStorage, process.platform),
      emit: sink,
      // New messages (not muted, not one's own) as native desktop notifications, when 新消息和待办通知 is
      // on in 设置; a click shows the window.
      notify: (notification) => {
        if (!notificationsOn || !Notification.isSupported()) return;
        const shown = new Notification({ title: notification.title, body: notification.body });
        shown.on('click', () => {
          const [window] = windows();
          if (window) {
            if (window.isMinimized()) window.restore();
            window.focus();
          }
        });
        shown.show();
      },
    },
    {
      diagnostics,
      updates: updates.service,
      settings: createSettingsService({
        deployment: loaded,
        store: settingsStore,
        running: { serverUrl, autoUpdate: effective.autoUpdate },
        onSaved: (view) => {
          startOnLogin.apply(view.effective.startOnLogin);
          notificationsOn = view.effective.notifications;
        },
      }),
      logError: (channel, error) => log.error(`call ${channel} failed`, error),
      ukeyModules: loaded.config.ukeyModules,
      print: () => printContents(mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : undefined),
    },
  );
  registerIpcHandlers(ipcMain, apiContract, services.dispatcher, log.child('ipc'));

  const activeUpdates = updates;
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(
        {
          exportDiagnostics: () => void exportDiagnosticsFromMenu(diagnostics, log),
          ...(activeUpdates.active ? { checkForUpdates: () => void checkForUpdatesFromMenu(activeUpdates) } : {}),
          showAbout: () => showAbout(diagnostics, () => updates),
          developerTools: !app.isPackaged,
        },
        process.platform,
      ),
    ),
  );

  const title = effective.organisationName ? `协同办公 — ${effective.organisationName}` : '协同办公';
  mainWindow = createMainWindow({ url: APP_INDEX_URL, preload: join(__dirname, '../preload/index.js'), stateFile, title });
  log.info(`main window at ${APP_INDEX_URL} (host ${APP_HOST})`);
  keepInTrayOnClose(mainWindow, () => effective.closeToTray, () => quitting);

  const showWindow = (): void => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = createMainWindow({ url: APP_INDEX_URL, preload: join(__dirname, '../preload/index.js'), stateFile, title });
      keepInTrayOnClose(mainWindow, () => effective.closeToTray, () => quitting);
      return;
    }
    mainWindow.show();
    focusMainWindow();
  };
  try {
    const icon = trayIconPath({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
    trayBadge = attachTrayAndBadge(
      {
        createTray: () => new Tray(icon),
        buildMenu: (items) => Menu.buildFromTemplate(items.map((item) => ({ label: item.label, click: item.click }))),
        setBadgeCount: (count) => void app.setBadgeCount(count),
        showWindow,
        quit: () => {
          quitting = true;
          app.quit();
        },
        ...(Notification.isSupported() ? { notify: (notificationTitle: string, body: string) => new Notification({ title: notificationTitle, body }).show() } : {}),
        notificationsEnabled: () => notificationsOn,
        productName: PRODUCT_NAME,
      },
      services.badge,
    );
  } catch (error) {
    // Some Linux desktops have no tray (no StatusNotifier host): the app still works, without it.
    log.warn('no tray icon on this desktop', error);
  }

  const filesLog = log.child('open-file');
  openFile = (path) => {
    filesLog.info(`asked to open ${path}`);
    void reportForOpenedFile(path, {
      trustedRoots: effective.trustedRoots,
      fileSize: async (file) => (await stat(file)).size,
      readFile: (file) => readFile(file),
      // Loaded on first use: most sessions never verify a file from outside.
      verify: async (pdf, trustedRoots) => (await import('../../signing/verify/verifyPdf')).verifyPdf(pdf, { trustedRoots }),
    })
      .then(async (report) => {
        filesLog.info(`${path}: ${report.message}`);
        const options = { type: report.type, title: report.title, message: report.message, detail: report.detail, buttons: ['确定', '在文件夹中显示'], defaultId: 0, cancelId: 0 };
        const { response } = mainWindow && !mainWindow.isDestroyed() ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
        if (response === 1) shell.showItemInFolder(path);
      })
      .catch((error: unknown) => filesLog.error(`opening ${path} failed`, error));
  };
  for (const path of pendingFiles.splice(0)) openFile(path);

  let closing = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closing || !services) return;
    // Let the services flush (replica, outbox, session) before the process ends.
    event.preventDefault();
    closing = true;
    updates?.dispose();
    trayBadge?.dispose();
    services
      .close()
      .catch((error: unknown) => log.error('closing services failed', error))
      .finally(() => app.quit());
  });
}

// One instance per person: a second launch (e.g. opening a .pdf from the file manager) focuses the
// running window instead of opening a second replica on the same database.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusMainWindow();
    for (const path of openableFilesFromArgv(argv.slice(1), workingDirectory)) requestOpen(path);
  });
  // macOS delivers opened documents as events, possibly before `ready`.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    requestOpen(path);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && services) {
      mainWindow = createMainWindow({ url: APP_INDEX_URL, preload: join(__dirname, '../preload/index.js'), stateFile: windowStateFile(app.getPath('userData')), title: '协同办公' });
    }
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('协同办公无法启动', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
