/**
 * The one place the renderer learns how it reaches the main-process services. In the desktop app
 * the preload has put `window.xietong` there (Electron IPC); in a plain browser served by the web
 * host there is none, and the WebSocket bridge to the host stands in. Everything else in the UI
 * asks `getApi()` (through ApiProvider) and never knows which one it got.
 */
import type { XietongApi } from '../../shared/api';
import { isXietongApi } from './isXietongApi';
import { bridgeUrlFor, createWebSocketBridge } from './webSocketBridge';

export type BridgeKind = 'preload' | 'websocket';

export interface ChosenBridge {
  kind: BridgeKind;
  api: XietongApi;
}

/** Picks the bridge for this window: the preload's object if present, otherwise the web host's socket. */
export function chooseBridge(win: Pick<Window, 'location'> & { WebSocket?: typeof WebSocket }): ChosenBridge {
  const preload: unknown = Reflect.get(win, 'xietong');
  if (isXietongApi(preload)) return { kind: 'preload', api: preload };
  return {
    kind: 'websocket',
    api: createWebSocketBridge({ url: bridgeUrlFor(win.location), WebSocketImpl: win.WebSocket }).api,
  };
}

let chosen: ChosenBridge | undefined;

/** The API of this window, chosen once at first use. */
export function getApi(): XietongApi {
  chosen ??= chooseBridge(window);
  return chosen.api;
}
