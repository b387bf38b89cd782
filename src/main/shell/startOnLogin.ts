/**
 * 开机启动: registers or removes 协同办公 as a login item, at start and whenever the setting is saved.
 * Electron's login items exist on Windows and macOS; on Linux the desktop session's autostart folder
 * decides, which Electron does not manage — the setting is then logged as not applicable.
 */
import type { Logger } from '../services/logging';

/** The part of Electron's `app` this uses. */
export interface LoginItemsLike {
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

export interface StartOnLogin {
  /** Applies `enabled` when it differs from what was last applied (or was never applied). */
  apply(enabled: boolean): void;
}

export function createStartOnLogin(items: LoginItemsLike, platform: NodeJS.Platform, log: Logger): StartOnLogin {
  let applied: boolean | undefined;
  return {
    apply(enabled) {
      if (enabled === applied) return;
      applied = enabled;
      if (platform !== 'win32' && platform !== 'darwin') {
        if (enabled) log.info('start on login is not managed by the app on this system (use the desktop session’s autostart)');
        return;
      }
      try {
        items.setLoginItemSettings({ openAtLogin: enabled });
        log.info(`start on login ${enabled ? 'on' : 'off'}`);
      } catch (error) {
        // A refused registry or launch-services write must not stop the app; try again next time.
        applied = undefined;
        log.warn('could not change start on login', error);
      }
    },
  };
}
