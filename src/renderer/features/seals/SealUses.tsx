/** A seal's 用印记录: every accepted use, newest first — document, 发文字号, person, time, signature digest. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SealUse } from '../../../shared/http/seals';
import { useApi } from '../../app/apiContext';
import { formatTime } from '../document/labels';
import { describeError } from '../../i18n/errors';

export function SealUses({ sealId, sealName }: { sealId: string; sealName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [items, setItems] = useState<SealUse[] | null>(null);
  const [next, setNext] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before?: number) => {
      const result = await api.seals.uses({ id: sealId, ...(before ? { before } : {}) });
      if (!result.ok) {
        setError(describeError(result.error, t));
        setItems((current) => current ?? []);
        return;
      }
      setError(null);
      setItems((current) => (before && current ? [...current, ...result.value.items] : result.value.items));
      setNext(result.value.next);
    },
    [api, sealId],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const caption = t('seals.uses.caption', { name: sealName });
  if (error && (items === null || items.length === 0)) {
    return (
      <p className="notice notice--error" role="alert">
        {error}
      </p>
    );
  }
  if (items === null) return <p className="loading">{t('app.loading')}</p>;
  if (items.length === 0) return <p className="seal-uses">{t('seals.uses.empty')}</p>;
  return (
    <div className="seal-uses">
      <table className="doc-table" aria-label={caption}>
        <thead>
          <tr>
            <th scope="col">{t('seals.uses.title')}</th>
            <th scope="col">{t('seals.uses.docNumber')}</th>
            <th scope="col">{t('seals.uses.person')}</th>
            <th scope="col">{t('seals.uses.time')}</th>
            <th scope="col">{t('seals.uses.digest')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((use) => (
            <tr key={use.id}>
              <td>{use.documentTitle}</td>
              <td className="doc-table__number">{use.docNumber ?? '—'}</td>
              <td>{use.userName}</td>
              <td className="doc-table__time">{formatTime(use.at)}</td>
              <td className="seal-uses__digest" title={use.signatureDigest}>
                {`${use.signatureDigest.slice(0, 16)}…`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next ? (
        <div className="doc-list__more">
          <button type="button" className="button button--secondary" onClick={() => void load(next)}>
            {t('seals.uses.more')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
