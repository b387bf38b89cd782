/** The administrator's deployment configuration and the person's settings, for the main process. */
export { deploymentCandidates, systemDeploymentPath, DEPLOYMENT_FILE_NAME, type LocateInput } from './locate';
export { loadDeployment, parseDeploymentConfig, DeploymentConfigError, type LoadedDeployment } from './load';
export { createUserSettingsStore, USER_SETTINGS_FILE, type UserSettingsStore } from './userSettings';
export { createSettingsService, createSettingsHandlers, defaultSettingsService, type SettingsService, type SettingsServiceOptions } from './settingsService';
