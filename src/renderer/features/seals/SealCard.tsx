/**
 * One seal: its appearance, certificate and holders; for admins the controls to grant, revoke,
 * disable and re-enable; for everyone allowed, its 用印记录.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryUser } from '../../../shared/http/directory';
import type { SealView } from '../../../shared/http/seals';
import { useApi } from '../../app/apiContext';
import { formatTime } from '../document/labels';
import { SealGraphic } from './SealGraphic';
import { SealUses } from './SealUses';
import { describeError } from '../../i18n/errors';

export interface SealCardProps {
  readonly seal: SealView;
  readonly isAdmin: boolean;
  /** People of the seal's unit (for 授权). */
  readonly people: readonly DirectoryUser[];
  readonly onChanged: (seal: SealView) => void;
}

export function SealCard({ seal, isAdmin, people, onChanged }: SealCardProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [image, setImage] = useState<string | null>(null);
  const [grantTo, setGrantTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showUses, setShowUses] = useState(false);

  useEffect(() => {
    if (seal.appearance.type !== 'image') return;
    void api.seals.image({ id: seal.id }).then((r) => r.ok && setImage(r.value.pngBase64));
  }, [api, seal.id, seal.appearance.type]);

  const run = async (call: () => ReturnType<typeof api.seals.grant>) => {
    setBusy(true);
    setError(null);
    const result = await call();
    setBusy(false);
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    onChanged(result.value);
  };

  const holderIds = new Set(seal.holders.map((h) => h.userId));
  const candidates = people.filter((p) => !holderIds.has(p.id));
  const disabled = seal.status === 'disabled';
  const grantSelectId = `seal-grant-${seal.id}`;

  return (
    <article className={`seal-card${disabled ? ' seal-card--disabled' : ''}`} aria-label={seal.name}>
      <SealGraphic appearance={seal.appearance} imageBase64={image} label={t('seals.appearance', { name: seal.name })} />
      <div>
        <h2 className="seal-card__title">
          <span>{seal.name}</span>
          <span className={`seal-status seal-status--${seal.status}`}>{t(`seals.status.${seal.status}`)}</span>
        </h2>
        <dl className="seal-card__meta">
          <dt>{t('seals.kindLabel')}</dt>
          <dd>{t(`seals.kind.${seal.kind}`)}</dd>
          <dt>{t('seals.certificate')}</dt>
          <dd>{seal.certificate.subject}</dd>
          <dt>{t('seals.serial')}</dt>
          <dd>{seal.certificate.serialHex}</dd>
          <dt>{t('seals.validity')}</dt>
          <dd>{t('seals.validityRange', { from: formatTime(seal.certificate.notBefore), to: formatTime(seal.certificate.notAfter) })}</dd>
          <dt>{t('seals.holders')}</dt>
          <dd>
            {seal.holders.length === 0 ? (
              t('seals.noHolders')
            ) : (
              <ul className="seal-holders" aria-label={t('seals.holdersOf', { name: seal.name })}>
                {seal.holders.map((holder) => (
                  <li key={holder.userId} title={t('seals.grantedBy', { name: holder.grantedByName, time: formatTime(holder.grantedAt) })}>
                    <span>{holder.name}</span>
                    {isAdmin ? (
                      <button
                        type="button"
                        className="link-button"
                        disabled={busy}
                        aria-label={t('seals.revokeLabel', { name: holder.name, seal: seal.name })}
                        onClick={() => void run(() => api.seals.revoke({ id: seal.id, userId: holder.userId }))}
                      >
                        {t('seals.revoke')}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
        <div className="seal-card__actions">
          {isAdmin && !disabled ? (
            <>
              <label className="field field--inline" htmlFor={grantSelectId}>
                <span>{t('seals.grantTo')}</span>
                <select id={grantSelectId} value={grantTo} onChange={(e) => setGrantTo(e.target.value)}>
                  <option value="">{t('seals.choosePerson')}</option>
                  {candidates.map((person) => (
                    <option key={person.id} value={person.id}>
                      {person.name}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="button button--primary"
                disabled={busy || !grantTo}
                aria-label={t('seals.grantLabel', { seal: seal.name })}
                onClick={() =>
                  void run(async () => {
                    const result = await api.seals.grant({ id: seal.id, userId: grantTo });
                    if (result.ok) setGrantTo('');
                    return result;
                  })
                }
              >
                {t('seals.grant')}
              </button>
            </>
          ) : null}
          {isAdmin ? (
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              aria-label={t(disabled ? 'seals.enableLabel' : 'seals.disableLabel', { name: seal.name })}
              onClick={() => void run(() => api.seals.update({ id: seal.id, changes: { status: disabled ? 'active' : 'disabled' } }))}
            >
              {t(disabled ? 'seals.enable' : 'seals.disable')}
            </button>
          ) : null}
          <button type="button" className="button button--secondary" aria-expanded={showUses} onClick={() => setShowUses((v) => !v)}>
            {t(showUses ? 'seals.hideUses' : 'seals.showUses')}
          </button>
        </div>
        {error ? (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        ) : null}
        {showUses ? <SealUses sealId={seal.id} sealName={seal.name} /> : null}
      </div>
    </article>
  );
}
