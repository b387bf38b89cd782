/**
 * The main window after sign-in: the header (product, connection, the person and their unit,
 * language, 退出登录), the section navigation, and the chosen section.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState, Session } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { ChangePasswordForm } from '../account';
import { SectionPage } from '../../components/SectionPage';
import { ConnectionIndicator } from '../../components/ConnectionIndicator';
import { Emblem } from '../../components/Emblem';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { NavIcon } from './NavIcon';
import { sectionComponents, sectionIds, type SectionId } from './sections';

export interface MainWindowProps {
  session: Session;
  connection: ConnectionState;
  /** Called once the services have forgotten the session. */
  onSignedOut: () => void;
}

export function MainWindow({ session, connection, onSignedOut }: MainWindowProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [section, setSection] = useState<SectionId>('todo');
  const [signingOut, setSigningOut] = useState(false);
  /** The password form replaces the section while open; `notice` confirms the change afterwards. */
  const [changingPassword, setChangingPassword] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const Section = sectionComponents[section];
  const { user } = session;

  const signOut = async (): Promise<void> => {
    setSigningOut(true);
    await api.session.logout({});
    // Even if the services could not answer, the person asked to leave: show the login screen.
    onSignedOut();
  };

  return (
    <div className="workspace">
      <header className="topbar" role="banner">
        <div className="topbar__brand">
          <Emblem size={30} />
          <span className="topbar__name">{t('app.name')}</span>
        </div>
        <div className="topbar__tools">
          <ConnectionIndicator state={connection} />
          <div className="topbar__user" aria-label={t('shell.userLabel')} role="group">
            <span className="topbar__avatar" aria-hidden="true">
              {user.name.slice(0, 1)}
            </span>
            <span className="topbar__identity">
              <span className="topbar__username">{user.name}</span>
              <span className="topbar__unit">{user.unitName}</span>
            </span>
          </div>
          <LanguageSwitch tone="dark" />
          <button
            type="button"
            className="button button--ghost-dark"
            aria-pressed={changingPassword}
            onClick={() => {
              setNotice(null);
              setChangingPassword(true);
            }}
          >
            {t('shell.changePassword')}
          </button>
          <button type="button" className="button button--ghost-dark" onClick={() => void signOut()} disabled={signingOut}>
            {signingOut ? t('shell.signingOut') : t('shell.signOut')}
          </button>
        </div>
      </header>
      <div className="workspace__body">
        <nav className="nav" aria-label={t('shell.navigation')}>
          <ul className="nav__list">
            {sectionIds.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  className="nav__item"
                  aria-current={id === section && !changingPassword ? 'page' : undefined}
                  onClick={() => {
                    setSection(id);
                    setChangingPassword(false);
                    setNotice(null);
                  }}
                >
                  <NavIcon section={id} />
                  <span>{t(`sections.${id}.label`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="workspace__main">
          {notice ? (
            <p className="notice notice--success" role="status">
              {notice}
            </p>
          ) : null}
          {changingPassword ? (
            <SectionPage title={t('password.title')} description={t('password.rules')}>
              <ChangePasswordForm
                onChanged={() => {
                  setChangingPassword(false);
                  setNotice(t('shell.passwordChanged'));
                }}
                onCancel={() => setChangingPassword(false)}
              />
            </SectionPage>
          ) : (
            <Section />
          )}
        </main>
      </div>
    </div>
  );
}
