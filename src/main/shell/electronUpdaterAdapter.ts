/** Adapts electron-updater's AppUpdater to the small `UpdaterLike` interface the update logic uses. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../services/logging';
import type { UpdaterLike } from './updater';

/** `log` receives electron-updater's own messages, so the update traffic is in the diagnostics archive. */
export function adaptElectronUpdater(autoUpdater: AppUpdater, log?: Logger): UpdaterLike {
  if (log) {
    autoUpdater.logger = {
      info: (message?: unknown) => log.info(String(message)),
      warn: (message?: unknown) => log.warn(String(message)),
      error: (message?: unknown) => log.error(String(message)),
      debug: (message: string) => log.debug(message),
    };
  }
  return {
    configure({ feedUrl, autoDownload, autoInstallOnAppQuit }) {
      autoUpdater.autoDownload = autoDownload;
      autoUpdater.autoInstallOnAppQuit = autoInstallOnAppQuit;
      // Never install an older build a compromised or misconfigured feed might offer.
      autoUpdater.allowDowngrade = false;
      autoUpdater.allowPrerelease = false;
      autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
    },
    async checkForUpdates() {
      const result = await autoUpdater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo.version : undefined;
    },
    onUpdateDownloaded(listener) {
      autoUpdater.on('update-downloaded', (info) => listener(info.version));
    },
    onDownloadProgress(listener) {
      autoUpdater.on('download-progress', (info) =>
        listener({ percent: Math.min(100, Math.max(0, info.percent)), transferred: info.transferred, total: info.total, bytesPerSecond: info.bytesPerSecond }),
      );
    },
    onError(listener) {
      autoUpdater.on('error', listener);
    },
    quitAndInstall() {
      autoUpdater.quitAndInstall(false, true);
    },
  };
}

/** Whether electron-builder wrote a publisher name (signed Windows build) into app-update.yml. */
export function hasPublisherName(resourcesPath: string): boolean {
  const file = join(resourcesPath, 'app-update.yml');
  if (!existsSync(file)) return false;
  return /^publisherName:\s*\S/m.test(readFileSync(file, 'utf8'));
}
