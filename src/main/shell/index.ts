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
import { shellTexts, type ShellLanguage, type ShellTexts } from './shellTexts';
import { messagePreviewText } from '../../shared/api/messaging.contract';
import { wordError } from '../../shared/errors';
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

async function exportDiagnosticsFromMenu(diagnostics: DiagnosticsService, log: Logger, texts: ShellTexts = shellTexts['zh-CN']): Promise<void> {
  try {
    const result = await diagnostics.export();
    log.info(`diagnostics exported from the menu to ${result.path}`);
    shell.showItemInFolder(result.path);
    await dialog.showMessageBox({ type: 'info', title: texts.menu.exportDiagnostics.replace('…', ''), message: texts.dialogs.diagnosticsExported, detail: texts.dialogs.diagnosticsExportedDetail(result.path), buttons: [texts.dialogs.ok] });
  } catch (error) {
    log.error('diagnostics export failed', error);
    dialog.showErrorBox(texts.dialogs.diagnosticsFailed, error instanceof Error ? error.message : String(error));
  }
}

/** 检查更新: always answers, so the person knows the check happened. */
async function checkForUpdatesFromMenu(updates: AutoUpdates, texts: ShellTexts): Promise<void> {
  const outcome = await updates.check();
  const detail =
    outcome.status === 'available'
      ? texts.dialogs.updateDownloading(outcome.version)
      : outcome.status === 'current'
        ? texts.dialogs.updateCurrent(app.getVersion())
        : texts.dialogs.updateFailed(outcome.message);
  await dialog.showMessageBox({ type: outcome.status === 'failed' ? 'warning' : 'info', title: texts.menu.checkForUpdates, message: texts.menu.checkForUpdates, detail, buttons: [texts.dialogs.ok] });
}

function showAbout(diagnostics: DiagnosticsService, updatesState: () => AutoUpdates | undefined, language: ShellLanguage = 'zh-CN'): void {
  const texts = shellTexts[language];
  const d = texts.dialogs;
  const about = diagnostics.about();
  const update = updatesState();
  const lines = [
    d.aboutVersion(about.appVersion, about.electronVersion ?? '-', about.chromeVersion ?? '-', about.nodeVersion),
    d.aboutSystem(about.platform, about.arch),
    about.organisationName ? d.aboutUnit(about.organisationName) : undefined,
    about.serverUrl ? d.aboutServer(about.serverUrl) : undefined,
    d.aboutDeployment(about.deploymentFile ?? undefined),
    d.aboutUpdates(update?.active ?? false, update?.reasonText && wordError(update.reasonText, language)),
  ].filter((line): line is string => line !== undefined);
  void dialog.showMessageBox({ type: 'info', title: texts.menu.about, message: texts.productName, detail: lines.join('\n'), buttons: [d.ok] });
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
    // The person's saved language, if their own settings file reads (it is not the broken one).
    const savedLanguage: ShellLanguage = (await settingsStore.load().catch(() => undefined))?.language ?? 'zh-CN';
    pages.set(ERROR_PAGE_PATH, () => renderDeploymentErrorPage(error.file, error.problemsIn(savedLanguage), savedLanguage));
    pages.set(ERROR_STYLE_PATH, () => ERROR_PAGE_CSS);
    const diagnostics = buildDiagnostics(userDataDir, undefined, undefined, undefined, settingsStore.file);
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ exportDiagnostics: () => void exportDiagnosticsFromMenu(diagnostics, log, shellTexts[savedLanguage]), showAbout: () => showAbout(diagnostics, () => undefined, savedLanguage), developerTools: !app.isPackaged }, process.platform, shellTexts[savedLanguage])));
    mainWindow = createMainWindow({ url: `${APP_ORIGIN}${ERROR_PAGE_PATH}`, stateFile, title: shellTexts[savedLanguage].dialogs.deploymentErrorTitle });
    return;
  }

  const effective = resolveEffectiveSettings(loaded.config, await settingsStore.load());
  // The shell speaks the interface language of the settings, and follows it when 设置 changes it.
  let language: ShellLanguage = effective.language;
  const texts = (): ShellTexts => shellTexts[language];
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
        title: texts().dialogs.updateTitle,
        message: texts().dialogs.updateReady(version),
        detail: texts().dialogs.updateReadyDetail,
        buttons: [texts().dialogs.later, texts().dialogs.restartNow],
        defaultId: 0,
        cancelId: 0,
      });
      return response === 1 ? 'restart' : 'later';
    },
  });
  if (!updates.active) updaterLog.info(`automatic updates off: ${updates.reasonText?.message ?? ''}`);

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
        // Worded in the interface language; main's text (zh-CN) only when it came without its parts.
        const words = texts().message;
        const title = notification.untitled ? words.newMessage : notification.title;
        const body = notification.content !== undefined ? messagePreviewText(notification.content, words) : notification.body;
        const shown = new Notification({ title, body });
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
          if (view.effective.language !== language) {
            language = view.effective.language;
            setMenu();
            trayBadge?.refresh();
          }
        },
      }),
      logError: (channel, error) => log.error(`call ${channel} failed`, error),
      ukeyModules: loaded.config.ukeyModules,
      print: () => printContents(mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : undefined),
    },
  );
  registerIpcHandlers(ipcMain, apiContract, services.dispatcher, log.child('ipc'));

  const activeUpdates = updates;
  function setMenu(): void {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(
          {
            exportDiagnostics: () => void exportDiagnosticsFromMenu(diagnostics, log, texts()),
            ...(activeUpdates.active ? { checkForUpdates: () => void checkForUpdatesFromMenu(activeUpdates, texts()) } : {}),
            showAbout: () => showAbout(diagnostics, () => updates, language),
            developerTools: !app.isPackaged,
          },
          process.platform,
          texts(),
        ),
      ),
    );
  }
  setMenu();

  // The product's name in the interface language (协同办公 / XieTong Office), as the page's own title says it.
  const title = effective.organisationName ? `${texts().productName} — ${effective.organisationName}` : texts().productName;
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
        texts,
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
      texts: texts(),
      verify: async (pdf, trustedRoots) => (await import('../../signing/verify/verifyPdf')).verifyPdf(pdf, { trustedRoots }),
    })
      .then(async (report) => {
        filesLog.info(`${path}: ${report.message}`);
        const options = { type: report.type, title: report.title, message: report.message, detail: report.detail, buttons: [texts().dialogs.ok, texts().dialogs.showInFolder], defaultId: 0, cancelId: 0 };
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
