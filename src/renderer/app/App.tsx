/**
 * The application root: asks the services whether someone is signed in, then shows the login
 * screen or the main window, and follows the two events that change that — the connection state
 * and `session:signed-out` (the server no longer accepts the token: back to the login screen).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState, Session } from '../../shared/api';
import { ForcedPasswordScreen } from '../features/account';
import { LoginScreen } from '../features/login';
import { MainWindow } from '../features/workspace/MainWindow';
import { useApi } from './apiContext';
import { describeError } from '../i18n/errors';

type View = { kind: 'loading' } | { kind: 'login'; notice: string | null } | { kind: 'main'; session: Session };

/** True when the preload put the desktop bridge on `window` (the Electron app), false in a browser. */
const inDesktopApp = (): boolean => typeof window !== 'undefined' && Reflect.get(window, 'xietong') !== undefined;

export function App({ desktop = inDesktopApp() }: { desktop?: boolean } = {}) {
  const api = useApi();
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  // Read through a ref so switching the language does not re-subscribe (and re-ask for the session).
  const signedOutNotice = useRef(t('login.signedOut'));
  signedOutNotice.current = t('login.signedOut');
  // The sign-out reason is worded with the language current when it arrives, not when the effect ran.
  const currentT = useRef(t);
  currentT.current = t;

  useEffect(() => {
    let live = true;
    const offConnection = api.on('connectionChanged', ({ state }) => setConnection(state));
    const offSignedOut = api.on('signedOut', ({ reason, key, params }) => setView({ kind: 'login', notice: describeError({ message: reason, ...(key ? { key } : {}), ...(params ? { params } : {}) }, currentT.current) }));
    // The session is the app's, not the window's: follow sign-in and sign-out done in another window.
    const offSessionChanged = api.on('sessionChanged', ({ session }) =>
      setView((current) => {
        if (session) return { kind: 'main', session };
        return current.kind === 'login' ? current : { kind: 'login', notice: signedOutNotice.current };
      }),
    );
    void api.session.connection({}).then((result) => {
      if (live && result.ok) setConnection(result.value.state);
    });
    void api.session.current({}).then((result) => {
      if (!live) return;
      setView(result.ok && result.value ? { kind: 'main', session: result.value } : { kind: 'login', notice: null });
    });
    return () => {
      live = false;
      offConnection();
      offSignedOut();
      offSessionChanged();
    };
  }, [api]);

  switch (view.kind) {
    case 'loading':
      return (
        <div className="loading" role="status">
          {t('app.loading')}
        </div>
      );
    case 'login':
      return <LoginScreen notice={view.notice} onSignedIn={(session) => setView({ kind: 'main', session })} />;
    case 'main':
      if (view.session.mustChangePassword) {
        return (
          <ForcedPasswordScreen
            session={view.session}
            onChanged={(session) => setView({ kind: 'main', session })}
            onSignedOut={() => setView({ kind: 'login', notice: t('login.signedOut') })}
          />
        );
      }
      return (
        <MainWindow session={view.session} connection={connection} titleBadge={!desktop} onSignedOut={() => setView({ kind: 'login', notice: t('login.signedOut') })} />
      );
  }
}
