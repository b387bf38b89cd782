/**
 * The main window after sign-in: the header (product, connection, the person and their unit,
 * language, 委托, 修改密码, 退出登录), the section navigation with 关于 at its foot, and the chosen section
 * or panel.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState, Session } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { ConnectionIndicator } from '../../components/ConnectionIndicator';
import { Emblem } from '../../components/Emblem';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { SectionPage } from '../../components/SectionPage';
import { AboutPanel } from '../about';
import { ChangePasswordForm } from '../account';
import { DelegationPanel } from '../delegation';
import { useBrowserNotifications } from '../messages';
import { SettingsPanel, useBadgeTitle, useSettingsLanguage } from '../settings';
import { NavIcon } from './NavIcon';
import { sectionComponents, sectionIds, type SectionId } from './sections';

export interface MainWindowProps {
  session: Session;
  /** True in the browser (web host), where the page title is the only badge there is. */
  titleBadge?: boolean;
  connection: ConnectionState;
  /** Called once the services have forgotten the session. */
  onSignedOut: () => void;
}

/** What the main area shows: a section of the navigation, or one of the person's own panels. */
type Panel = { kind: 'section'; id: SectionId } | { kind: 'password' } | { kind: 'delegation' } | { kind: 'about' } | { kind: 'settings' };

export function MainWindow({ session, connection, onSignedOut, titleBadge = false }: MainWindowProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [panel, setPanel] = useState<Panel>({ kind: 'section', id: 'todo' });
  // Each choice in the navigation opens its section afresh: clicking 发文 while a document of 发文 is
  // open goes back to the list (it stayed on the document, and 拟稿 could not be found).
  const [visit, setVisit] = useState(0);
  const [signingOut, setSigningOut] = useState(false);
  /** Confirms a finished action (the password change) above the section that follows it. */
  const [notice, setNotice] = useState<string | null>(null);
  const { user } = session;
  useSettingsLanguage();
  useBadgeTitle(titleBadge);
  // The same flag: a browser tab (the web host) notifies through the browser, the desktop app from main.
  useBrowserNotifications(titleBadge);

  const show = (next: Panel): void => {
    setNotice(null);
    setPanel(next);
    setVisit((n) => n + 1);
  };

  const signOut = async (): Promise<void> => {
    setSigningOut(true);
    await api.session.logout({});
    // Even if the services could not answer, the person asked to leave: show the login screen.
    onSignedOut();
  };

  const renderPanel = () => {
    switch (panel.kind) {
      case 'section': {
        const Section = sectionComponents[panel.id];
        return <Section key={visit} />;
      }
      case 'password':
        return (
          <SectionPage title={t('password.title')} description={t('password.rules')}>
            <ChangePasswordForm
              onChanged={() => {
                setPanel({ kind: 'section', id: 'todo' });
                setNotice(t('shell.passwordChanged'));
              }}
              onCancel={() => show({ kind: 'section', id: 'todo' })}
            />
          </SectionPage>
        );
      case 'delegation':
        return <DelegationPanel session={session} />;
      case 'about':
        return <AboutPanel />;
      case 'settings':
        return <SettingsPanel />;
    }
  };

  return (
    <div className="workspace">
      <a className="skip-link" href="#workspace-main">
        {t('shell.skipToContent')}
      </a>
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
          <button type="button" className="button button--ghost-dark" aria-pressed={panel.kind === 'delegation'} onClick={() => show({ kind: 'delegation' })}>
            {t('delegation.open')}
          </button>
          <button type="button" className="button button--ghost-dark" aria-pressed={panel.kind === 'password'} onClick={() => show({ kind: 'password' })}>
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
                  aria-current={panel.kind === 'section' && panel.id === id ? 'page' : undefined}
                  onClick={() => show({ kind: 'section', id })}
                >
                  <NavIcon section={id} />
                  <span>{t(`sections.${id}.label`)}</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="nav__footer">
            <button type="button" className="nav__item nav__item--minor" aria-current={panel.kind === 'settings' ? 'page' : undefined} onClick={() => show({ kind: 'settings' })}>
              {t('settings.open')}
            </button>
            <button type="button" className="nav__item nav__item--minor" aria-current={panel.kind === 'about' ? 'page' : undefined} onClick={() => show({ kind: 'about' })}>
              {t('about.open')}
            </button>
          </div>
        </nav>
        <main className="workspace__main" id="workspace-main" tabIndex={-1}>
          {notice ? (
            <p className="notice notice--success" role="status">
              {notice}
            </p>
          ) : null}
          {renderPanel()}
        </main>
      </div>
    </div>
  );
}
