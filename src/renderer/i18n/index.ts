/**
 * Interface language: Simplified Chinese by default, English available. The choice is remembered
 * in localStorage (a preference of this installation, not of the account) and reflected in
 * `<html lang>` so screen readers pronounce the text correctly.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';
import { errorResources } from './errors';
import { termResources } from './terms';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'zh-CN';

const storageKey = 'xietong.language';

export const isLanguage = (value: unknown): value is Language => languages.includes(value as Language);

function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(storageKey);
    return isLanguage(value) ? value : defaultLanguage;
  } catch {
    return defaultLanguage;
  }
}

/** Creates an initialised i18next instance (one per app; tests create their own). */
export async function createI18n(language: Language = storedLanguage()): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources: {
      'zh-CN': { translation: { ...zhCN, errors: errorResources('zh'), terms: termResources('zh') } },
      en: { translation: { ...en, errors: errorResources('en'), terms: termResources('en') } },
    },
    lng: language,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  applyDocumentLanguage(language, instance.t('app.name'));
  instance.on('languageChanged', (next) => {
    if (!isLanguage(next)) return;
    applyDocumentLanguage(next, instance.t('app.name'));
    try {
      globalThis.localStorage?.setItem(storageKey, next);
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this window only.
    }
  });
  return instance;
}

function applyDocumentLanguage(language: Language, title: string): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = language;
  document.title = title;
}
