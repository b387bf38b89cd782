/** Full-text search over the documents this client has seen (title, 发文字号, body), offline too. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentsSearchHit } from './types';
import { useApi } from '../../app/apiContext';
import { EmptyState } from '../../components/EmptyState';
import { describeError } from '../../i18n/errors';

export function SearchResults({ query, onOpen }: { query: string; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [hits, setHits] = useState<DocumentsSearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    // A short pause so each keystroke does not start a search of its own.
    const timer = setTimeout(() => {
      void api.documents.search({ q: query, limit: 30 }).then((result) => {
        if (!current) return;
        if (result.ok) {
          setHits(result.value.items);
          setError(null);
        } else setError(describeError(result.error, t));
      });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, query]);

  if (error)
    return (
      <p className="notice notice--error" role="alert">
        {error}
      </p>
    );
  if (hits === null) return <p className="loading">{t('app.loading')}</p>;
  if (hits.length === 0) return <EmptyState>{t('docs.noMatch')}</EmptyState>;
  return (
    <ul className="search-results" aria-label={t('docs.search.results')}>
      {hits.map((hit) => (
        <li key={hit.id} className="search-results__item">
          <button type="button" className="doc-table__open" onClick={() => onOpen(hit.id)}>
            {hit.title}
          </button>
          {hit.docNumber ? <span className="doc-table__number">{hit.docNumber}</span> : null}
          <p className="search-results__snippet">{hit.snippet}</p>
        </li>
      ))}
    </ul>
  );
}
