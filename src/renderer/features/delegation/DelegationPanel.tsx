/**
 * 委托办理: while away, a leader lets a person of the same unit act for them until a date. The
 * panel lists 我委托的 (each with 撤销) and 委托给我的, and gives a new delegation. The server has
 * the last word on who may be chosen and for how long (at most 90 days); its Chinese reason is
 * shown as is.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result, Session } from '../../../shared/api';
import type { Delegation } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { SectionPage } from '../../components/SectionPage';
import { describeError } from '../../i18n/errors';

export interface DelegationPanelProps {
  session: Session;
}

interface Person {
  id: string;
  name: string;
}

interface Lists {
  given: Delegation[];
  received: Delegation[];
}

const DAY_MS = 24 * 3600 * 1000;

/** `yyyy-mm-dd` of a moment in local time (what a date input shows). */
function localDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The end of the chosen day in local time: a delegation "until the 5th" covers the whole 5th. */
function endOfDay(date: string): Date {
  return new Date(`${date}T23:59:59`);
}

function formatUntil(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString('zh-CN', { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function DelegationPanel({ session }: DelegationPanelProps) {
  const { t } = useTranslation();
  const api = useApi();
  const ids = { to: useId(), until: useId(), untilHint: useId() };
  const { user } = session;
  const [lists, setLists] = useState<Lists | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [to, setTo] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const today = new Date();
  const minDate = localDate(today);
  // The server counts 90 days from now; the last whole day that fits is the 89th day ahead.
  const maxDate = localDate(new Date(today.getTime() + 89 * DAY_MS));

  const failed = (result: Extract<Result<unknown>, { ok: false }>): void => {
    setError(result.error.code === 'offline' ? t('delegation.offline') : describeError(result.error, t));
  };

  useEffect(() => {
    let live = true;
    void api.delegations.list({}).then((result) => {
      if (!live) return;
      if (result.ok) setLists(result.value);
      else failed(result);
    });
    void api.directory.users({ unitId: user.unitId }).then((result) => {
      if (!live) return;
      if (result.ok) setPeople(result.value.items.filter((person) => person.id !== user.id).map(({ id, name }) => ({ id, name })));
      else failed(result);
    });
    return () => {
      live = false;
    };
  }, [api, user.id, user.unitId]);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setNotice(null);
    if (!to) {
      setError(t('delegation.chooseDelegate'));
      return;
    }
    if (!until) {
      setError(t('delegation.chooseUntil'));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await api.delegations.create({ to, until: endOfDay(until).toISOString() });
    setBusy(false);
    if (!result.ok) {
      failed(result);
      return;
    }
    setLists(result.value);
    setNotice(t('delegation.created', { name: people.find((person) => person.id === to)?.name ?? to, until }));
    setTo('');
    setUntil('');
  };

  const revoke = async (delegation: Delegation): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    const result = await api.delegations.remove({ id: delegation.id });
    setBusy(false);
    if (!result.ok) {
      failed(result);
      return;
    }
    setLists(result.value);
    setNotice(t('delegation.revoked', { name: delegation.toName }));
  };

  return (
    <SectionPage title={t('delegation.title')} description={t('delegation.description')}>
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <form className="password-form" aria-label={t('delegation.formLabel')} onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={ids.to}>{t('delegation.to')}</label>
          <select id={ids.to} value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">{t('delegation.choosePerson')}</option>
            {people.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.until}>{t('delegation.until')}</label>
          <input id={ids.until} type="date" min={minDate} max={maxDate} aria-describedby={ids.untilHint} value={until} onChange={(e) => setUntil(e.target.value)} />
          <span className="field__hint" id={ids.untilHint}>
            {t('delegation.untilHint')}
          </span>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('delegation.submitting') : t('delegation.submit')}
          </button>
        </div>
      </form>
      {lists === null ? (
        error ? null : <p className="loading">{t('app.loading')}</p>
      ) : (
        <>
          <h3>{t('delegation.given')}</h3>
          {lists.given.length === 0 ? (
            <p className="empty-state__text">{t('delegation.noneGiven')}</p>
          ) : (
            <table className="doc-table" aria-label={t('delegation.given')}>
              <thead>
                <tr>
                  <th scope="col">{t('delegation.delegate')}</th>
                  <th scope="col">{t('delegation.until')}</th>
                  <th scope="col">{t('delegation.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {lists.given.map((delegation) => (
                  <tr key={delegation.id}>
                    <td>{delegation.toName}</td>
                    <td className="doc-table__time">{formatUntil(delegation.until)}</td>
                    <td>
                      <button
                        type="button"
                        className="button button--secondary"
                        aria-label={t('delegation.revokeLabel', { name: delegation.toName })}
                        disabled={busy}
                        onClick={() => void revoke(delegation)}
                      >
                        {t('delegation.revoke')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('delegation.received')}</h3>
          {lists.received.length === 0 ? (
            <p className="empty-state__text">{t('delegation.noneReceived')}</p>
          ) : (
            <table className="doc-table" aria-label={t('delegation.received')}>
              <thead>
                <tr>
                  <th scope="col">{t('delegation.delegator')}</th>
                  <th scope="col">{t('delegation.until')}</th>
                </tr>
              </thead>
              <tbody>
                {lists.received.map((delegation) => (
                  <tr key={delegation.id}>
                    <td>{delegation.fromName}</td>
                    <td className="doc-table__time">{formatUntil(delegation.until)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </SectionPage>
  );
}
