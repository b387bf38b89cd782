/**
 * The window the renderer is in, where the host has something of its own to offer. `window:print`
 * prints what the window shows (with print media: the preview's print layer) through the host's
 * print dialog: Electron's shell opens the system dialog (`webContents.print`) and answers
 * `handled: true` once the job was sent or cancelled; a host without one (the web host, whose
 * services run in Node) answers `handled: false`, and the page opens the browser's (`window.print()`).
 */
import { z } from 'zod';
import { defineCall } from './contract';

export const windowCalls = {
  print: defineCall('window:print', z.object({}), z.object({ handled: z.boolean() })),
};
