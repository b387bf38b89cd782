/**
 * Remembers the main window's size and place in `userData/window-state.json`. The file is ours but
 * can be damaged or carry bounds from a monitor that is gone; it is validated and the window is
 * placed only where some display can show it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WindowStateSchema, type WindowState } from '../../shared/deployment';

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const windowStateFile = (userDataDir: string): string => join(userDataDir, WINDOW_STATE_FILE);

/** The saved state, or the default when there is none or it does not validate. */
export function loadWindowState(file: string): WindowState {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

/**
 * Keeps the saved position only if at least a 100×50 corner of the title bar area lies on one of
 * the displays' work areas; otherwise the window opens centred (no position). The size is shrunk to
 * the largest work area so it never opens bigger than any screen.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const maxWidth = Math.max(...workAreas.map((area) => area.width));
  const maxHeight = Math.max(...workAreas.map((area) => area.height));
  const width = Math.min(state.width, maxWidth);
  const height = Math.min(state.height, maxHeight);
  const { x, y } = state;
  if (x === undefined || y === undefined) return { width, height, maximized: state.maximized };
  const visible = workAreas.some((area) => {
    const overlapX = Math.min(x + width, area.x + area.width) - Math.max(x, area.x);
    const overlapY = Math.min(y + 50, area.y + area.height) - Math.max(y, area.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  return visible ? { x, y, width, height, maximized: state.maximized } : { width, height, maximized: state.maximized };
}

/** Writes atomically; a failure is reported, never thrown (closing a window must not fail). */
export function saveWindowState(file: string, state: WindowState): boolean {
  const checked = WindowStateSchema.safeParse(state);
  if (!checked.success) return false;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    writeFileSync(temp, `${JSON.stringify(checked.data)}\n`, 'utf8');
    renameSync(temp, file);
    return true;
  } catch {
    return false;
  }
}
