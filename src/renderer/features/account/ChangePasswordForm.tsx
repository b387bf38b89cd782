/**
 * Setting a new password: required after a one-time password (admin reset or import), available
 * any time from the main window. The server's rules are checked here first so the person learns
 * what is wrong without a round trip; the server checks them again and has the last word.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { describeError } from '../../i18n/errors';

export interface ChangePasswordFormProps {
  onChanged: (session: Session) => void;
  onCancel?: () => void;
}

export function ChangePasswordForm({ onChanged, onCancel }: ChangePasswordFormProps) {
  const { t } = useTranslation();
  const api = useApi();
  const ids = { current: useId(), next: useId(), confirm: useId(), rules: useId() };
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  const localProblem = (): string | null => {
    if (!current || !next || !confirm) return t('password.required');
    if (next.length < 8) return t('password.tooShort');
    if (/^\d+$/.test(next)) return t('password.digitsOnly');
    if (next === current) return t('password.same');
    if (next !== confirm) return t('password.mismatch');
    return null;
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (submitting) return;
    const problem = localProblem();
    if (problem) {
      setError(problem);
      return;
    }
    setSubmitting(true);
    setError(null);
    const result = await api.session.changePassword({ currentPassword: current, newPassword: next });
    setSubmitting(false);
    if (result.ok) {
      onChanged(result.value);
      return;
    }
    // 当前密码不正确 and the like: the server's sentence is the right one to show.
    setError(result.error.code === 'offline' ? t('login.offline') : describeError(result.error, t));
    setCurrent('');
    firstRef.current?.focus();
  };

  return (
    <form className="password-form" onSubmit={(event) => void submit(event)} noValidate>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={ids.current}>{t('password.current')}</label>
        <input ref={firstRef} id={ids.current} type="password" autoComplete="current-password" value={current} maxLength={256} onChange={(e) => setCurrent(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.next}>{t('password.next')}</label>
        <input id={ids.next} type="password" autoComplete="new-password" aria-describedby={ids.rules} value={next} maxLength={256} onChange={(e) => setNext(e.target.value)} />
        <span className="field__hint" id={ids.rules}>
          {t('password.rules')}
        </span>
      </div>
      <div className="field">
        <label htmlFor={ids.confirm}>{t('password.confirm')}</label>
        <input id={ids.confirm} type="password" autoComplete="new-password" value={confirm} maxLength={256} onChange={(e) => setConfirm(e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? t('password.submitting') : t('password.submit')}
        </button>
        {onCancel ? (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('password.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
