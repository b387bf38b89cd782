import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';

/**
 * Applies the language saved in 设置 once the main window opens, so the choice follows the person's
 * settings file (also on a new browser profile), not only this browser's localStorage.
 */
export function useSettingsLanguage(): void {
  const api = useApi();
  const { i18n } = useTranslation();
  useEffect(() => {
    let live = true;
    void api.settings.get({}).then((result) => {
      if (!live || !result.ok || result.value.personal.language === undefined) return;
      if (result.value.personal.language !== i18n.language) void i18n.changeLanguage(result.value.personal.language);
    });
    return () => {
      live = false;
    };
  }, [api, i18n]);
}
