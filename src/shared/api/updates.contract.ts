/**
 * 检查更新 from the renderer: where the app's update stands, a check on request, the download's
 * progress and 重启并更新. In the browser (the web host) there is nothing to install: the page comes
 * from the server, so the answer is `unsupported` with that explanation, not an error.
 */
import { z } from 'zod';
import { defineCall, defineEvent } from './contract';
import { ErrorTextFieldsSchema } from '../errors';

export const UpdateProgressSchema = z.object({
  /** 0–100. */
  percent: z.number().min(0).max(100),
  /** Bytes downloaded so far and in all. */
  transferred: z.number().nonnegative(),
  total: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative(),
});
export type UpdateProgress = z.infer<typeof UpdateProgressSchema>;

export const UpdateStatusSchema = z.discriminatedUnion('state', [
  /** The web host: the browser version updates with the server. */
  z.object({ state: z.literal('unsupported'), message: z.string() }).extend(ErrorTextFieldsSchema.shape),
  /** No feed deployed, turned off, or an unsigned Windows build; `message` (zh-CN) and `key` say which. */
  z.object({ state: z.literal('disabled'), message: z.string() }).extend(ErrorTextFieldsSchema.shape),
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('current'), version: z.string() }),
  z.object({ state: z.literal('downloading'), version: z.string(), progress: UpdateProgressSchema.optional() }),
  /** Ready: installs when the app quits, or now with 重启并更新. */
  z.object({ state: z.literal('downloaded'), version: z.string() }),
  z.object({ state: z.literal('failed'), message: z.string() }).extend(ErrorTextFieldsSchema.shape),
]);
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>;

export const updatesCalls = {
  status: defineCall('updates:status', z.object({}).strict(), UpdateStatusSchema),
  /** Looks for an update now; an available one starts downloading (progress follows as events). */
  check: defineCall('updates:check', z.object({}).strict(), UpdateStatusSchema),
  /** Quits and installs a downloaded update; refused (`conflict`) when none is ready. */
  restart: defineCall('updates:restart', z.object({}).strict(), z.object({})),
};

export const updatesEvents = {
  updateProgress: defineEvent('updates:progress', UpdateProgressSchema),
  updateStatus: defineEvent('updates:status-changed', UpdateStatusSchema),
};
