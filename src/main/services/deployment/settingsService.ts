/**
 * The person's settings as the settings screen uses them: the view (effective values, locks, ignored
 * choices) and saving, with the deployment's policy enforced here in main — the renderer's greyed-out
 * fields are a courtesy, this is the rule.
 */
import { ApiFailure, type HandlersOf } from '../../../shared/api';
import {
  DeploymentConfigSchema,
  lockedSettings,
  resolveEffectiveSettings,
  UserSettingsSchema,
  type DeploymentConfig,
  type LockableSetting,
  type SettingsView,
  type settingsCalls,
  type UserSettings,
} from '../../../shared/deployment';
import type { LoadedDeployment } from './load';
import type { UserSettingsStore } from './userSettings';
import { createUserSettingsStore } from './userSettings';
import { errorText, type ErrorText } from '../../../shared/errors';

export interface SettingsServiceOptions {
  readonly deployment: LoadedDeployment;
  readonly store: UserSettingsStore;
  /** What this process was started with: a change to these needs a restart. */
  readonly running: { readonly serverUrl: string; readonly autoUpdate: boolean };
  /** `desktop` for the Electron shell, `web` for the web host (default `desktop`). */
  readonly host?: 'desktop' | 'web';
  /** Told after every successful save, with what now takes effect (the shell applies 开机启动 here). */
  readonly onSaved?: (view: SettingsView) => void;
}

export interface SettingsService {
  get(): Promise<SettingsView>;
  update(settings: UserSettings): Promise<SettingsView>;
}

const lockReasons: Record<LockableSetting, ErrorText> = {
  serverUrl: errorText('settings.lockedServerUrl'),
  autoUpdate: errorText('settings.lockedAutoUpdate'),
  rememberPassword: errorText('settings.lockedRememberPassword'),
  fonts: errorText('settings.lockedFonts'),
  startOnLogin: errorText('settings.lockedStartOnLogin'),
};

/**
 * Whether `settings` tries to change a locked setting. Setting it to what is deployed is no change, and
 * neither is keeping what is already saved (an ignored choice stays in the file for when the policy relaxes).
 */
function lockedChange(deployment: DeploymentConfig, settings: UserSettings, saved: UserSettings): LockableSetting | undefined {
  for (const setting of lockedSettings(deployment)) {
    if (settings[setting] === undefined) continue;
    if (JSON.stringify(settings[setting]) === JSON.stringify(saved[setting])) continue;
    if (setting === 'serverUrl' && settings.serverUrl === deployment.serverUrl) continue;
    if (setting === 'rememberPassword' && settings.rememberPassword === false) continue;
    if (setting === 'autoUpdate' && settings.autoUpdate === (deployment.updateUrl !== undefined)) continue;
    if (setting === 'fonts' && Object.keys(settings.fonts ?? {}).length === 0) continue;
    if (setting === 'startOnLogin' && settings.startOnLogin === (deployment.policies.startOnLogin === 'always')) continue;
    return setting;
  }
  return undefined;
}

export function createSettingsService(options: SettingsServiceOptions): SettingsService {
  const { config, source } = options.deployment;
  const view = (personal: UserSettings): SettingsView => {
    const effective = resolveEffectiveSettings(config, personal);
    return {
      ...(config.organisationName ? { organisationName: config.organisationName } : {}),
      ...(source ? { deploymentFile: source } : {}),
      personal,
      effective: {
        ...(effective.serverUrl ? { serverUrl: effective.serverUrl } : {}),
        ...(effective.updateUrl ? { updateUrl: effective.updateUrl } : {}),
        ...(effective.tsaUrl ? { tsaUrl: effective.tsaUrl } : {}),
        autoUpdate: effective.autoUpdate,
        rememberPassword: effective.rememberPassword,
        fonts: effective.fonts,
        language: effective.language,
        offlineDays: effective.offlineDays,
        voiceMaxSeconds: effective.voiceMaxSeconds,
        notifications: effective.notifications,
        startOnLogin: effective.startOnLogin,
        closeToTray: effective.closeToTray,
        trustedRootCount: effective.trustedRoots.length,
      },
      locked: lockedSettings(config),
      ignored: [...effective.ignored],
      host: options.host ?? 'desktop',
      restartRequired: (effective.serverUrl ?? options.running.serverUrl) !== options.running.serverUrl || effective.autoUpdate !== options.running.autoUpdate,
    };
  };
  return {
    async get() {
      return view(await options.store.load());
    },
    async update(settings) {
      const checked = UserSettingsSchema.parse(settings);
      const refused = lockedChange(config, checked, await options.store.load());
      if (refused) throw new ApiFailure('forbidden', lockReasons[refused]);
      await options.store.save(checked);
      const saved = view(checked);
      options.onSaved?.(saved);
      return saved;
    },
  };
}

/** Settings for a host without a deployment file (the web host): the host's server is fixed. */
export function defaultSettingsService(host: { readonly userDataDir: string; readonly serverUrl: string }): SettingsService {
  const parsed = DeploymentConfigSchema.safeParse({ serverUrl: host.serverUrl });
  return createSettingsService({
    deployment: { config: parsed.success ? parsed.data : DeploymentConfigSchema.parse({}), source: undefined },
    store: createUserSettingsStore(host.userDataDir),
    running: { serverUrl: host.serverUrl, autoUpdate: false },
    host: 'web',
  });
}

/** The `settings:*` calls of the contract. */
export function createSettingsHandlers<Ctx>(service: SettingsService): HandlersOf<{ settings: typeof settingsCalls }, Ctx>['settings'] {
  return {
    get: () => service.get(),
    update: (input) => service.update(input),
  };
}
