/**
 * Intranet updates with electron-updater's generic provider at the deployment's `updateUrl`.
 *
 * - No URL (or updates turned off where policy allows it): the updater is never configured and never
 *   touches the network.
 * - Windows: electron-updater checks the downloaded installer's Authenticode signature against the
 *   `publisherName` that electron-builder writes into `resources/app-update.yml` when the build is
 *   signed — but silently skips the check when that name is missing. We fail closed instead: without
 *   a publisher name, no update is downloaded.
 * - Linux (AppImage, deb) and macOS: the download is checked against the SHA-512 in `latest*.yml`
 *   from the same feed; authenticity then rests on the feed's transport, so the feed should be https
 *   with the organisation's CA (macOS additionally verifies the app's code signature).
 *
 * A downloaded update installs when the app quits; the person is told and may restart at once.
 */
import type { UpdateProgress, UpdateStatus } from '../../shared/api/updates.contract';
import { ApiFailure } from '../../shared/api/result';
import type { Logger } from '../services/logging';
import type { UpdatesService } from '../services/updates';
import { errorText, type ErrorText } from '../../shared/errors';

/** What this module needs from electron-updater's AppUpdater (see `electronUpdaterAdapter`). */
export interface UpdaterLike {
  configure(options: { feedUrl: string; autoDownload: boolean; autoInstallOnAppQuit: boolean }): void;
  /** Resolves to the version on the feed when it is newer than this one, undefined when current. */
  checkForUpdates(): Promise<string | undefined>;
  onUpdateDownloaded(listener: (version: string) => void): void;
  /** The running download: percent, bytes so far and in all, speed. */
  onDownloadProgress(listener: (progress: UpdateProgress) => void): void;
  onError(listener: (error: Error) => void): void;
  quitAndInstall(): void;
}

export type UpdateChoice = 'restart' | 'later';

/** What one check found, for the 检查更新 menu item's answer. */
export type UpdateCheckOutcome =
  | { readonly status: 'available'; readonly version: string }
  | { readonly status: 'current' }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'disabled'; readonly message: string };

export interface AutoUpdateOptions {
  readonly updater: UpdaterLike;
  /** The deployment's feed; undefined means "never look for updates". */
  readonly updateUrl: string | undefined;
  /** False when the person turned updates off and policy allows it. */
  readonly enabled: boolean;
  readonly platform: NodeJS.Platform;
  /** Windows only: whether the build carries a publisher name for the signature check. */
  readonly publisherNameKnown: () => boolean;
  /** Tells the person an update is ready; resolves to what they chose. */
  readonly notify: (version: string) => Promise<UpdateChoice>;
  readonly log: Logger;
  /** Time between checks (default 4 h). */
  readonly intervalMs?: number;
  /** Every change of where the update stands (the 设置 screen follows it). */
  readonly onStatus?: (status: UpdateStatus) => void;
  /** Download progress, as often as electron-updater reports it. */
  readonly onProgress?: (progress: UpdateProgress) => void;
  /** This build's version, for 当前已是最新版本. */
  readonly currentVersion?: string;
  /** Replaceable for tests; returns a cancel function. */
  readonly schedule?: (run: () => void, intervalMs: number) => () => void;
}

export interface AutoUpdates {
  readonly active: boolean;
  /** Why updates are off: its catalogue key for the 关于 screen, its zh-CN `message` for the log. */
  readonly reasonText: ErrorText | undefined;
  /** Looks for an update now (menu 检查更新); never rejects. */
  check(): Promise<UpdateCheckOutcome>;
  /** Where the update stands, for the renderer's `updates:*` calls. */
  readonly service: UpdatesService;
  dispose(): void;
}

const defaultSchedule = (run: () => void, intervalMs: number): (() => void) => {
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};

const nothingToRestart = (): never => {
  throw new ApiFailure('conflict', errorText('updates.nothingDownloaded'));
};

const inactive = (text: ErrorText): AutoUpdates => ({
  active: false,
  reasonText: text,
  check: () => Promise.resolve({ status: 'disabled', message: text.message }),
  service: {
    // The renderer's 设置 words the key in the person's language.
    status: () => ({ state: 'disabled', ...text }),
    check: () => Promise.resolve({ state: 'disabled', ...text }),
    restart: nothingToRestart,
  },
  dispose: () => undefined,
});

export function setupAutoUpdates(options: AutoUpdateOptions): AutoUpdates {
  const { updater, log } = options;
  if (options.updateUrl === undefined) return inactive(errorText('updates.noFeed'));
  if (!options.enabled) return inactive(errorText('updates.turnedOff'));
  if (options.platform === 'win32' && !options.publisherNameKnown()) {
    log.warn('updates disabled: this build has no publisherName in app-update.yml, so installers could not be signature-checked');
    return inactive(errorText('updates.unsigned'));
  }
  if (options.updateUrl.startsWith('http://')) {
    log.warn('update feed is plain http: integrity is checked by SHA-512, but authenticity then depends on the network; prefer https');
  }

  updater.configure({ feedUrl: options.updateUrl, autoDownload: true, autoInstallOnAppQuit: true });
  let status: UpdateStatus = { state: 'idle' };
  const setStatus = (next: UpdateStatus): UpdateStatus => {
    status = next;
    options.onStatus?.(next);
    return next;
  };
  let notified = false;
  updater.onDownloadProgress((progress) => {
    if (status.state !== 'downloading') return;
    status = { ...status, progress };
    options.onProgress?.(progress);
  });
  updater.onUpdateDownloaded((version) => {
    log.info(`update ${version} downloaded; it installs when the app quits`);
    setStatus({ state: 'downloaded', version });
    if (notified) return;
    notified = true;
    options
      .notify(version)
      .then((choice) => {
        if (choice === 'restart') updater.quitAndInstall();
      })
      .catch((error: unknown) => log.warn('update notice failed', error));
  });
  updater.onError((error) => log.warn('update check failed', error));

  const check = async (): Promise<UpdateCheckOutcome> => {
    // A download under way or finished is the answer already; checking again would restart it.
    if (status.state === 'downloading') return { status: 'available', version: status.version };
    if (status.state === 'downloaded') return { status: 'available', version: status.version };
    const before = status;
    if (before.state !== 'checking') setStatus({ state: 'checking' });
    try {
      const version = await updater.checkForUpdates();
      if (version === undefined) {
        setStatus({ state: 'current', version: options.currentVersion ?? '' });
        return { status: 'current' };
      }
      log.info(`update ${version} available; downloading`);
      // The download may have finished while the check was still answering.
      if ((status as UpdateStatus).state !== 'downloaded') setStatus({ state: 'downloading', version });
      return { status: 'available', version };
    } catch (error) {
      // Offline or the feed is down: try again at the next interval; nothing for the person to do.
      log.warn('update check failed', error);
      const message = error instanceof Error ? error.message : String(error);
      setStatus({ state: 'failed', message });
      return { status: 'failed', message };
    }
  };
  void check();
  const cancel = (options.schedule ?? defaultSchedule)(() => void check(), options.intervalMs ?? 4 * 60 * 60 * 1000);
  const service: UpdatesService = {
    status: () => status,
    check: async () => {
      await check();
      return status;
    },
    restart: () => {
      if (status.state !== 'downloaded') nothingToRestart();
      log.info('restarting to install the update, as the person asked');
      updater.quitAndInstall();
    },
  };
  return { active: true, reasonText: undefined, check, service, dispose: cancel };
}
