/**
 * 设置: the person's own settings as `settings:get` shows them — language (applied at once), server
 * address, automatic updates, remembered password, notifications and start on login — with what the
 * deployment policy locks shown locked and why, and what it ignores listed. Main enforces the policy;
 * the disabled controls here only say so early. 检查更新 sits below (UpdatesSection).
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { LockableSetting, SettingsView, UserSettings } from '../../../shared/deployment';
import { useApi } from '../../app/apiContext';
import { SectionPage } from '../../components/SectionPage';
import { isLanguage, languages, type Language } from '../../i18n';
import { UpdatesSection } from './UpdatesSection';
import { describeError } from '../../i18n/errors';

interface Draft {
  language: Language;
  serverUrl: string;
  autoUpdate: boolean;
  rememberPassword: boolean;
  notifications: boolean;
  startOnLogin: boolean;
}

const draftOf = (view: SettingsView): Draft => ({
  language: view.effective.language,
  serverUrl: view.effective.serverUrl ?? '',
  autoUpdate: view.effective.autoUpdate,
  rememberPassword: view.effective.rememberPassword,
  notifications: view.effective.notifications,
  startOnLogin: view.effective.startOnLogin,
});

/**
 * What to save: the saved personal settings with this screen's values over them. Locked settings keep
 * what is saved (an ignored choice is not lost), so saving never trips over the policy.
 */
function settingsToSave(view: SettingsView, draft: Draft): UserSettings {
  const locked = new Set<LockableSetting>(view.locked);
  const next: UserSettings = { ...view.personal, language: draft.language };
  // The web host notifies through the browser, so the switch counts there too.
  next.notifications = draft.notifications;
  if (!locked.has('serverUrl')) {
    const url = draft.serverUrl.trim();
    if (url === '' || url === view.effective.serverUrl) {
      if (url === '') delete next.serverUrl;
    } else next.serverUrl = url;
  }
  if (!locked.has('autoUpdate') && view.host === 'desktop') next.autoUpdate = draft.autoUpdate;
  if (!locked.has('rememberPassword')) next.rememberPassword = draft.rememberPassword;
  if (!locked.has('startOnLogin') && view.host === 'desktop') next.startOnLogin = draft.startOnLogin;
  return next;
}

export function SettingsPanel() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    void api.settings.get({}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setView(result.value);
        setDraft({ ...draftOf(result.value), language: isLanguage(i18n.language) ? i18n.language : result.value.effective.language });
      } else setError(describeError(result.error, t));
    });
    return () => {
      live = false;
    };
    // The language is read once: switching it here must not re-read the settings.
  }, [api]);

  const change = (patch: Partial<Draft>): void => {
    setSaved(false);
    setDraft((current) => (current ? { ...current, ...patch } : current));
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!view || !draft) return;
    setSaving(true);
    setError(null);
    const result = await api.settings.update(settingsToSave(view, draft));
    setSaving(false);
    if (result.ok) {
      setView(result.value);
      setDraft(draftOf(result.value));
      setSaved(true);
    } else setError(describeError(result.error, t));
  };

  // The tray, system notifications, login items and installers exist only in the desktop app.
  const desktopOnly = view?.host === 'web' ? t('settings.desktopOnly') : undefined;
  const lockNote = (setting: LockableSetting): string | undefined => (view?.locked.includes(setting) ? t('settings.locked', { reason: t(`settings.lockReasons.${setting}`) }) : undefined);

  return (
    <SectionPage title={t('settings.title')} description={t('settings.description')}>
      {!view || !draft ? (
        error ? (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        ) : (
          <p role="status">{t('settings.loading')}</p>
        )
      ) : (
        <form className="settings" onSubmit={(event) => void save(event)} noValidate>
          <Row label={t('settings.language')} hint={t('settings.languageHint')}>
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={draft.language}
                onChange={(event) => {
                  if (!isLanguage(event.target.value)) return;
                  change({ language: event.target.value });
                  // Applies at once; 保存 makes it the person's setting for the next start.
                  void i18n.changeLanguage(event.target.value);
                }}
              >
                {languages.map((language) => (
                  <option key={language} value={language} lang={language}>
                    {t(`language.${language}`)}
                  </option>
                ))}
              </select>
            )}
          </Row>
          <Row label={t('settings.serverUrl')} hint={lockNote('serverUrl') ?? t('settings.serverUrlHint')} locked={view.locked.includes('serverUrl')}>
            {(id, describedBy) => (
              <input id={id} type="url" aria-describedby={describedBy} value={draft.serverUrl} disabled={view.locked.includes('serverUrl')} onChange={(event) => change({ serverUrl: event.target.value })} />
            )}
          </Row>
          <Toggle label={t('settings.autoUpdate')} checked={draft.autoUpdate} onChange={(autoUpdate) => change({ autoUpdate })} note={desktopOnly ?? lockNote('autoUpdate')} />
          <Toggle label={t('settings.rememberPassword')} checked={draft.rememberPassword} onChange={(rememberPassword) => change({ rememberPassword })} note={lockNote('rememberPassword')} />
          <Toggle label={t('settings.notifications')} checked={draft.notifications} onChange={(notifications) => change({ notifications })} />
          <Toggle
            label={t('settings.startOnLogin')}
            checked={view.host === 'desktop' && draft.startOnLogin}
            onChange={(startOnLogin) => change({ startOnLogin })}
            note={desktopOnly ?? lockNote('startOnLogin')}
          />
          {view.ignored.length > 0 ? (
            <div className="notice notice--warning">
              <p>{t('settings.ignoredTitle')}</p>
              <ul>
                {view.ignored.map((entry) => (
                  <li key={entry.setting}>{ignoredReason(entry, view.effective.startOnLogin, t)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {error ? (
            <p className="notice notice--error" role="alert">
              {error}
            </p>
          ) : null}
          {saved ? (
            <p className="notice notice--success" role="status">
              {t('settings.saved')}
              {view.restartRequired ? `。${t('settings.restartRequired')}` : ''}
            </p>
          ) : view.restartRequired ? (
            <p className="notice notice--info" role="status">
              {t('settings.restartRequired')}
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={saving}>
              {saving ? t('settings.saving') : t('settings.save')}
            </button>
          </div>
        </form>
      )}
      <UpdatesSection />
    </SectionPage>
  );
}

function Row({ label, hint, locked, children }: { label: string; hint?: string; locked?: boolean; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field${locked ? ' field--locked' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, hint ? hintId : undefined)}
      {hint ? (
        <small id={hintId} className="field__hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** A labelled checkbox; `note` (a lock's reason, or "desktop only") disables it and says why. */
function Toggle({ label, checked, onChange, note, disabled }: { label: string; checked: boolean; onChange: (value: boolean) => void; note?: string | undefined; disabled?: boolean }) {
  const id = useId();
  const off = disabled === true || note !== undefined;
  return (
    <div className={`settings__toggle${off ? ' field--locked' : ''}`}>
      <input id={id} type="checkbox" checked={checked} disabled={off} aria-describedby={note ? `${id}-note` : undefined} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {note ? (
        <small id={`${id}-note`} className="field__hint">
          {note}
        </small>
      ) : null}
    </div>
  );
}

const ignoredReasons = new Set(['serverUrl', 'autoUpdate', 'rememberPassword', 'fonts']);

/**
 * Why a personal setting is not in effect, in the interface language. The reason follows from the
 * setting (and, for 开机启动, from what the policy forces); a setting this list does not know shows
 * the reason as it came.
 */
function ignoredReason(entry: { setting: string; reason: string }, startOnLogin: boolean, t: TFunction): string {
  if (entry.setting === 'startOnLogin') return t(`settings.ignoredReason.${startOnLogin ? 'startOnLoginRequired' : 'startOnLoginForbidden'}`);
  return ignoredReasons.has(entry.setting) ? t(`settings.ignoredReason.${entry.setting}`, { defaultValue: entry.reason }) : entry.reason;
}
