/**
 * The `updates:*` calls. The Electron shell supplies an implementation over electron-updater
 * (src/main/shell/updater.ts); the web host has nothing to install — the browser loads the renderer
 * from the server — and answers so, plainly.
 */
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import type { UpdateStatus, updatesCalls } from '../../../shared/api/updates.contract';
import { errorText } from '../../../shared/errors';

export interface UpdatesService {
  status(): UpdateStatus;
  check(): Promise<UpdateStatus>;
  /** Quits and installs; throws when no update is downloaded. */
  restart(): void;
}

/** What the browser version says: it is always the server's version. */
export const browserUpdates: UpdatesService = {
  status: () => ({ state: 'unsupported', ...errorText('updates.browserVersion') }),
  check: () => Promise.resolve({ state: 'unsupported', ...errorText('updates.browserVersion') }),
  restart: () => {
    throw new ApiFailure('conflict', errorText('updates.browserFollowsServer'));
  },
};

export function createUpdatesHandlers<Ctx>(service: UpdatesService): HandlersOf<{ updates: typeof updatesCalls }, Ctx>['updates'] {
  return {
    status: () => Promise.resolve(service.status()),
    check: () => service.check(),
    restart: () => {
      service.restart();
      return Promise.resolve({});
    },
  };
}
