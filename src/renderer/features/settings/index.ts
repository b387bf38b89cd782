export { SettingsPanel } from './SettingsPanel';
export { UpdatesSection } from './UpdatesSection';
export { useBadgeTitle } from './useBadgeTitle';
export { useSettingsLanguage } from './useSettingsLanguage';
