/**
 * The login screen. A wrong password keeps the typed username and clears only the password; a
 * locked or disabled account shows the server's own explanation (how long, whom to ask).
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, Session } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { Emblem } from '../../components/Emblem';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { describeError } from '../../i18n/errors';

/** The sync server's answer to a wrong username or password. */
const SERVER_WRONG_CREDENTIALS = '用户名或密码错误';

export interface LoginScreenProps {
  onSignedIn: (session: Session) => void;
  /** Why the person is here again (e.g. the server ended the session). */
  notice?: string | null;
}

export function LoginScreen({ onSignedIn, notice }: LoginScreenProps) {
  const { t } = useTranslation();
  const api = useApi();
  const ids = { username: useId(), password: useId(), error: useId() };
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);

  const describe = (failure: ApiError): string => {
    switch (failure.code) {
      case 'unauthenticated':
        // The server speaks zh-CN; its one everyday answer is translated, anything else (a disabled
        // account) is shown as the server wrote it.
        return failure.message === SERVER_WRONG_CREDENTIALS || !failure.message ? t('login.wrongCredentials') : describeError(failure, t);
      case 'offline':
        return t('login.offline');
      case 'unavailable':
      case 'internal':
        return failure.message ? describeError(failure, t) : t('login.unavailable');
      default:
        // 'rejected' (locked, disabled) and the rest: the server's message says what to do.
        return describeError(failure, t);
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (submitting) return;
    if (!username.trim() || !password) {
      setError(t('login.required'));
      (username.trim() ? passwordRef : usernameRef).current?.focus();
      return;
    }
    setSubmitting(true);
    setError(null);
    const result = await api.session.login({ username: username.trim(), password });
    setSubmitting(false);
    if (result.ok) {
      onSignedIn(result.value);
      return;
    }
    setError(describe(result.error));
    setPassword('');
    passwordRef.current?.focus();
  };

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
        <form className="login__form" onSubmit={(event) => void submit(event)} noValidate aria-describedby={error ? ids.error : undefined}>
          <h1 className="login__title">{t('login.title')}</h1>
          <p className="login__subtitle">{t('login.subtitle')}</p>
          {notice && !error ? (
            <p className="notice notice--info" role="status">
              {notice}
            </p>
          ) : null}
          {error ? (
            <p className="notice notice--error" role="alert" id={ids.error}>
              {error}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={ids.username}>{t('login.username')}</label>
            <input
              ref={usernameRef}
              id={ids.username}
              name="username"
              autoComplete="username"
              autoCapitalize="off"
              spellCheck={false}
              autoFocus
              value={username}
              maxLength={64}
              onChange={(event) => setUsername(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>{t('login.password')}</label>
            <input
              ref={passwordRef}
              id={ids.password}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              maxLength={256}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          <button type="submit" className="button button--primary button--block" disabled={submitting}>
            {submitting ? t('login.submitting') : t('login.submit')}
          </button>
          <p className="login__footer">{t('login.footer')}</p>
        </form>
      </main>
    </div>
  );
}
