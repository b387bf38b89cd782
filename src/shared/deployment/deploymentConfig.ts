/**
 * The administrator's `deployment.json` and the person's own settings, and the one rule that joins
 * them: a personal setting counts only where the deployment's policy allows it.
 *
 * Lives in `shared` because the main process validates the file and the settings screen in the
 * renderer shows which fields are locked; both must agree on the names and the rule.
 */
import { z } from 'zod';
import { FontOverridesSchema } from '../domain/documents/fontRoles';
import { errorCatalogue } from '../errors/catalogue';

/**
 * An http(s) URL without credentials: the server, the TSA and the update feed are all HTTP. Checked with
 * a pattern because `shared` has neither the DOM's nor Node's URL class.
 */
const HTTP_URL = /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\/[^\s]*)?$/;
export const HttpUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .regex(HTTP_URL, errorCatalogue['deployment.httpUrl'].zh);

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

/** One trusted root certificate in PEM; the main process additionally parses it as X.509. */
export const PemCertificateSchema = z
  .string()
  .trim()
  .regex(PEM_CERTIFICATE, errorCatalogue['deployment.pemCertificate'].zh);

/** What the administrator allows each person to change, and for how long the client may work offline. */
export const DeploymentPoliciesSchema = z
  .object({
    /** Days the client keeps working (reading, drafting, queueing commands) without reaching the server. */
    offlineDays: z.number().int().min(0).max(365).default(7),
    /** Whether the login screen may offer to remember the password (kept encrypted by the OS). */
    rememberPassword: z.boolean().default(false),
    /** Whether a person may point the client at another server than the deployment's. */
    allowUserServerUrl: z.boolean().default(false),
    /** Whether a person may turn automatic update checks off. */
    allowUserDisableUpdates: z.boolean().default(false),
    /** Whether a person may replace the deployment's fonts with their own paths. */
    allowUserFonts: z.boolean().default(true),
    /**
     * 开机启动: `user` lets each person choose; `always` / `never` decide for everyone (a shared desk
     * that must not start it, or a duty office that must always have it running).
     */
    startOnLogin: z.enum(['user', 'always', 'never']).default('user'),
    /** Whether closing the main window keeps 协同办公 running in the tray (notifications keep coming). */
    closeToTray: z.boolean().default(false),
  })
  .strict();
export type DeploymentPolicies = z.infer<typeof DeploymentPoliciesSchema>;

/** A UKey vendor's PKCS#11 library, e.g. { "name": "飞天诚信 ePass3003", "path": "C:\\Windows\\System32\\eps3003csp11.dll" }. */
export const UkeyModuleSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    path: z.string().trim().min(1).max(500),
  })
  .strict();
export type UkeyModule = z.infer<typeof UkeyModuleSchema>;

/** The file an administrator places beside the installed app or at the system path (docs/deployment.md). */
export const DeploymentConfigSchema = z
  .object({
    /** The sync server every client of this organisation talks to. */
    serverUrl: HttpUrlSchema.optional(),
    /** Shown on the login screen and in the title bar, e.g. 某某市人民政府办公室. */
    organisationName: z.string().trim().min(1).max(100).optional(),
    /** Roots the client trusts for signatures (the organisation CA); empty means the server's list only. */
    trustedRoots: z.array(PemCertificateSchema).max(50).default([]),
    /** RFC 3161 time-stamping authority used when signing. */
    tsaUrl: HttpUrlSchema.optional(),
    /** electron-updater generic feed on the intranet; no URL means the client never looks for updates. */
    updateUrl: HttpUrlSchema.optional(),
    /** Installed official fonts per GB/T 9704 role (仿宋_GB2312, 方正小标宋 …). */
    fonts: FontOverridesSchema.default({}),
    /** 语音签批: the longest recording a leader may make, in seconds (the recorder stops itself there). */
    voiceMaxSeconds: z.number().int().min(5).max(600).default(60),
    /**
     * UKey (PKCS#11) drivers this desk may load for signing, by the vendor's name. Only these: a path
     * typed in the window would let anything that reaches the renderer load a native library into main.
     */
    ukeyModules: z.array(UkeyModuleSchema).max(10).default([]),
    policies: DeploymentPoliciesSchema.default(DeploymentPoliciesSchema.parse({})),
  })
  .strict();
export type DeploymentConfig = z.infer<typeof DeploymentConfigSchema>;

/** The person's own choices, saved in the user-data folder. Every field is optional: absent means "as deployed". */
export const UserSettingsSchema = z
  .object({
    serverUrl: HttpUrlSchema.optional(),
    autoUpdate: z.boolean().optional(),
    rememberPassword: z.boolean().optional(),
    fonts: FontOverridesSchema.optional(),
    language: z.enum(['zh-CN', 'en']).optional(),
    /** 新消息和待办通知: system notifications when 待办 or unread messages grow (default on). */
    notifications: z.boolean().optional(),
    /** 开机启动 (desktop only); the policy `startOnLogin` may decide it for everyone. */
    startOnLogin: z.boolean().optional(),
  })
  .strict();
export type UserSettings = z.infer<typeof UserSettingsSchema>;

/** A setting a person tried to change but the policy keeps as deployed. */
export interface OverriddenSetting {
  readonly setting: keyof UserSettings;
  readonly reason: string;
}

/** What the app actually runs with. */
export interface EffectiveSettings {
  readonly serverUrl: string | undefined;
  readonly organisationName: string | undefined;
  readonly trustedRoots: readonly string[];
  readonly tsaUrl: string | undefined;
  readonly updateUrl: string | undefined;
  readonly autoUpdate: boolean;
  readonly rememberPassword: boolean;
  readonly fonts: z.infer<typeof FontOverridesSchema>;
  readonly language: 'zh-CN' | 'en';
  readonly offlineDays: number;
  /** 语音签批's time limit in seconds. */
  readonly voiceMaxSeconds: number;
  readonly notifications: boolean;
  readonly startOnLogin: boolean;
  /** Closing the window hides it to the tray instead of quitting (policy `closeToTray`). */
  readonly closeToTray: boolean;
  /** Personal settings that were ignored because policy does not allow them, for the settings screen. */
  readonly ignored: readonly OverriddenSetting[];
}

/**
 * Joins deployment and personal settings. Policy decides: a personal value replaces the deployed one
 * only where the matching policy allows it; otherwise it is listed in `ignored` (never silently lost
 * from the file, so it applies again if the administrator relaxes the policy).
 */
export function resolveEffectiveSettings(deployment: DeploymentConfig, user: UserSettings): EffectiveSettings {
  const { policies } = deployment;
  const ignored: OverriddenSetting[] = [];

  let serverUrl = deployment.serverUrl;
  if (user.serverUrl !== undefined) {
    // With no deployed server there is nothing to protect: the person must be able to name one.
    if (policies.allowUserServerUrl || deployment.serverUrl === undefined) serverUrl = user.serverUrl;
    else ignored.push({ setting: 'serverUrl', reason: '单位部署策略不允许更改服务器地址' });
  }

  let autoUpdate = deployment.updateUrl !== undefined;
  if (user.autoUpdate === false) {
    if (policies.allowUserDisableUpdates) autoUpdate = false;
    else ignored.push({ setting: 'autoUpdate', reason: '单位部署策略要求自动更新' });
  }

  let rememberPassword = false;
  if (user.rememberPassword === true) {
    if (policies.rememberPassword) rememberPassword = true;
    else ignored.push({ setting: 'rememberPassword', reason: '单位部署策略不允许记住密码' });
  }

  let fonts = deployment.fonts;
  if (user.fonts !== undefined && Object.keys(user.fonts).length > 0) {
    if (policies.allowUserFonts) fonts = { ...deployment.fonts, ...user.fonts };
    else ignored.push({ setting: 'fonts', reason: '单位部署策略不允许更改字体' });
  }

  let startOnLogin = user.startOnLogin ?? false;
  if (policies.startOnLogin !== 'user') {
    const forced = policies.startOnLogin === 'always';
    if (user.startOnLogin !== undefined && user.startOnLogin !== forced) {
      ignored.push({ setting: 'startOnLogin', reason: forced ? '单位部署策略要求开机启动' : '单位部署策略不允许开机启动' });
    }
    startOnLogin = forced;
  }

  return {
    serverUrl,
    organisationName: deployment.organisationName,
    trustedRoots: deployment.trustedRoots,
    tsaUrl: deployment.tsaUrl,
    updateUrl: deployment.updateUrl,
    autoUpdate,
    rememberPassword,
    fonts,
    language: user.language ?? 'zh-CN',
    offlineDays: policies.offlineDays,
    voiceMaxSeconds: deployment.voiceMaxSeconds,
    notifications: user.notifications ?? true,
    startOnLogin,
    closeToTray: policies.closeToTray,
    ignored,
  };
}

/** Personal settings a policy can lock. */
export const LockableSettingSchema = z.enum(['serverUrl', 'autoUpdate', 'rememberPassword', 'fonts', 'startOnLogin']);
export type LockableSetting = z.infer<typeof LockableSettingSchema>;

/** The personal settings this deployment does not let a person change (greyed out on the settings screen). */
export function lockedSettings(deployment: DeploymentConfig): LockableSetting[] {
  const { policies } = deployment;
  const locked: LockableSetting[] = [];
  if (!policies.allowUserServerUrl && deployment.serverUrl !== undefined) locked.push('serverUrl');
  // Without a feed there is nothing to switch; with one, only policy can let a person switch it off.
  if (deployment.updateUrl === undefined || !policies.allowUserDisableUpdates) locked.push('autoUpdate');
  if (!policies.rememberPassword) locked.push('rememberPassword');
  if (!policies.allowUserFonts) locked.push('fonts');
  if (policies.startOnLogin !== 'user') locked.push('startOnLogin');
  return locked;
}
