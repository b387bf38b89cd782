/**
 * The one place the shell names its icon files, so moving the artwork (e.g. to a top-level `assets/`
 * folder, where it now lives) means changing this file and the `extraResources` line of electron-builder.yml, nothing else.
 */
import { join } from 'node:path';

/** Where the source icons live in the repository, relative to the app's root. */
export const ICON_SOURCE_DIR = 'assets/icons';
/** The size drawn in the tray (the OS scales it; 32 px is sharp at 16 px on high-DPI screens). */
export const TRAY_ICON_FILE = '32x32.png';

/**
 * The tray icon's path: in an installed app the copy electron-builder placed under `resources/`
 * (`extraResources`), in a development run the repository's own file.
 */
export function trayIconPath(app: { readonly isPackaged: boolean; readonly resourcesPath: string; readonly appPath: string }): string {
  return app.isPackaged ? join(app.resourcesPath, 'icons', TRAY_ICON_FILE) : join(app.appPath, ICON_SOURCE_DIR, TRAY_ICON_FILE);
}
