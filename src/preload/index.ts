/**
 * The preload script (sandboxed, CommonJS): exposes exactly the shared contract on `window.xietong`
 * through contextBridge. The renderer never gets `ipcRenderer` itself — only functions bound to the
 * contract's channels — so a compromised page cannot reach channels we did not define.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridgeApi } from './bridge';

const api = createBridgeApi(
  (channel, input) => ipcRenderer.invoke(channel, input),
  (channel, listener) => {
    // Drop the IpcRendererEvent: it carries `sender`, which would hand the page ipcRenderer.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
);

contextBridge.exposeInMainWorld('xietong', api);
