/**
 * `window.xietong`: the contract object the Electron preload exposes. Absent in a plain browser (the
 * web host), where the renderer uses the WebSocket bridge instead — hence optional.
 */
import type { XietongApi } from './index';

declare global {
  interface Window {
    xietong?: XietongApi;
  }
}

export {};
