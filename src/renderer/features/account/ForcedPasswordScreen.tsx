/** After signing in with a one-time password, nothing else works until a new one is set (server rule). */
import { useTranslation } from 'react-i18next';
import type { Session } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { Emblem } from '../../components/Emblem';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { ChangePasswordForm } from './ChangePasswordForm';

export interface ForcedPasswordScreenProps {
  session: Session;
  onChanged: (session: Session) => void;
  onSignedOut: () => void;
}

export function ForcedPasswordScreen({ session, onChanged, onSignedOut }: ForcedPasswordScreenProps) {
  const { t } = useTranslation();
  const api = useApi();
  return (
    <div className="login">
      <div className="login__aside" aria-hidden="true">
        <div className="login__aside-inner">
          <Emblem size={64} />
          <p className="login__product">{t('app.name')}</p>
          <p className="login__tagline">{t('app.tagline')}</p>
        </div>
      </div>
      <main className="login__main">
        <div className="login__language">
          <LanguageSwitch />
        </div>
        <div className="login__form">
          <h1 className="login__title">{t('password.forcedTitle')}</h1>
          <p className="login__subtitle">
            {session.user.name} · {session.user.unitName}
          </p>
          <p className="notice notice--info">{t('password.forcedIntro')}</p>
          <ChangePasswordForm onChanged={onChanged} />
          <button
            type="button"
            className="link-button"
            onClick={() => {
              void api.session.logout({}).then(onSignedOut);
            }}
          >
            {t('shell.signOut')}
          </button>
        </div>
      </main>
    </div>
  );
}
