/**
 * 设置: what the settings screen shows (effective values, which ones the administrator locked, which
 * personal choices are being ignored) and how a person saves their own settings.
 */
import { z } from 'zod';
import { defineCall } from '../api/contract';
import { FontOverridesSchema } from '../domain/documents/fontRoles';
import { LockableSettingSchema, UserSettingsSchema } from './deploymentConfig';

export const SettingsViewSchema = z.object({
  organisationName: z.string().optional(),
  /** The deployment.json in force; absent when none was found. */
  deploymentFile: z.string().optional(),
  /** What the person saved (settings.json). */
  personal: UserSettingsSchema,
  /** What the app runs with once personal settings and policy are joined. */
  effective: z.object({
    serverUrl: z.string().optional(),
    updateUrl: z.string().optional(),
    tsaUrl: z.string().optional(),
    autoUpdate: z.boolean(),
    rememberPassword: z.boolean(),
    fonts: FontOverridesSchema,
    language: z.enum(['zh-CN', 'en']),
    offlineDays: z.number().int(),
    /** 语音签批's time limit in seconds (deployment.json `voiceMaxSeconds`, default 60). */
    voiceMaxSeconds: z.number().int().min(1),
    notifications: z.boolean(),
    startOnLogin: z.boolean(),
    closeToTray: z.boolean(),
    trustedRootCount: z.number().int().nonnegative(),
  }),
  /** Settings the policy does not let the person change. */
  locked: z.array(LockableSettingSchema),
  /** Saved personal settings the policy currently overrides, with the reason. */
  ignored: z.array(z.object({ setting: z.string(), reason: z.string() })),
  /**
   * Where the settings are shown: `web` is the browser served by `npm run web`, where desktop-only
   * settings (开机启动, the tray) mean nothing and are shown as such.
   */
  host: z.enum(['desktop', 'web']),
  /** True when what was saved takes effect only after 协同办公 restarts (e.g. another server). */
  restartRequired: z.boolean(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const settingsCalls = {
  get: defineCall('settings:get', z.object({}).strict(), SettingsViewSchema),
  /** Replaces the personal settings; a value for a locked setting is refused (`forbidden`). */
  update: defineCall('settings:update', UserSettingsSchema, SettingsViewSchema),
};
