/**
 * The one place IPC handlers are registered: one `ipcMain.handle` per contract channel, each checking
 * the sending frame before handing the raw input to the dispatcher (which parses it with the
 * contract's schema). Nothing else in the shell calls `ipcMain.handle`.
 */
import { apiEvents, channelsOf, fail, type ApiContract, type ApiEvents, type EventPayloadOf } from '../../shared/api';
import type { Dispatcher } from '../services/api/dispatcher';
import type { EventSink } from '../services/appServices';
import type { Logger } from '../services/logging';
import { isTrustedSender, type FrameLike } from './senderCheck';
import { errorText } from '../../shared/errors';

/** The subset of Electron's IpcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: FrameLike | null }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Registers every channel of `contract`; returns a function removing them again. */
export function registerIpcHandlers(ipcMain: IpcMainLike, contract: ApiContract, dispatcher: Dispatcher, log: Logger): () => void {
  const channels = [...channelsOf(contract).keys()];
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, rawInput) => {
      if (!isTrustedSender(event.senderFrame)) {
        log.warn(`refused ${channel} from an untrusted frame`, { url: event.senderFrame?.url ?? '(none)' });
        return fail('forbidden', errorText('client.untrustedFrame'));
      }
      return dispatcher.dispatch(channel, rawInput);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The parts of a BrowserWindow the event sink uses. */
export interface EventTarget {
  isDestroyed(): boolean;
  readonly webContents: { send(channel: string, payload: unknown): void; getURL(): string };
}

/** Sends service events to every live window showing our app (never to a foreign page). */
export function createEventSink(windows: () => readonly EventTarget[]): EventSink {
  return <K extends keyof ApiEvents>(event: K, payload: EventPayloadOf<ApiEvents, K>) => {
    const channel = apiEvents[event].channel;
    for (const window of windows()) {
      if (window.isDestroyed()) continue;
      if (!isTrustedSender({ url: window.webContents.getURL(), parent: null })) continue;
      window.webContents.send(channel, payload);
    }
  };
}
