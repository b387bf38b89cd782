import { useTranslation } from 'react-i18next';
import { isLanguage, languages } from '../i18n';

/** A compact language chooser; its accessible name is 界面语言 / Language. */
export function LanguageSwitch({ tone = 'light' }: { tone?: 'light' | 'dark' }) {
  const { t, i18n } = useTranslation();
  return (
    <select
      className={`language-switch language-switch--${tone}`}
      aria-label={t('language.label')}
      value={i18n.language}
      onChange={(event) => {
        if (isLanguage(event.target.value)) void i18n.changeLanguage(event.target.value);
      }}
    >
      {languages.map((language) => (
        <option key={language} value={language} lang={language}>
          {t(`language.${language}`)}
        </option>
      ))}
    </select>
  );
}
