/**
 * One box of documents (待办, 已办, 发文, 收文) as a table: title, 发文字号, 文种, state, 紧急程度,
 * 办理期限 (marked 已超期 when it has passed on a working step) and the time of the last change,
 * newest first, with 加载更多 for the next page. It reloads when main says the box changed
 * (someone acted, or a command of ours was decided).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentBox, DocumentListItem } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { EmptyState } from '../../components/EmptyState';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import { DocumentColumnHeaders, DocumentRowCells, ListNotices } from './DocumentTableParts';
import { useApiEvent } from './useApiEvent';
import '../../styles/documents.css';
import { describeError } from '../../i18n/errors';

export interface DocumentListProps {
  box: DocumentBox;
  /** What the box says when it is empty. */
  empty: string;
  /** A title filter typed by the person (server-side "title contains"). */
  query?: string;
  onOpen: (id: string) => void;
}

export function DocumentList({ box, empty, query, onOpen }: DocumentListProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [items, setItems] = useState<DocumentListItem[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [fromReplica, setFromReplica] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  /** Reloads overlap (events arrive in bursts); only the latest may set the list. */
  const loadSeq = useRef(0);
  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    const result = await api.documents.list({ box, q: query || undefined });
    if (seq !== loadSeq.current) return;
    if (!result.ok) {
      setError(describeError(result.error, t));
      setItems((current) => current ?? []);
      return;
    }
    setError(null);
    setItems(result.value.items);
    setNext(result.value.next);
    setFromReplica(result.value.fromReplica);
  }, [api, box, query]);

  useEffect(() => {
    void load();
  }, [load]);

  useApiEvent('documentsChanged', (payload) => {
    if (payload.boxes.includes(box)) void load();
  });

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    const result = await api.documents.list({ box, cursor: next, q: query || undefined });
    setLoadingMore(false);
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    setItems((current) => [...(current ?? []), ...result.value.items]);
    setNext(result.value.next);
  };

  if (items === null) return <p className="loading">{t('app.loading')}</p>;
  return (
    <div className="doc-list">
      <ListNotices fromReplica={fromReplica} error={error} />
      {items.length === 0 ? (
        <EmptyState>{query ? t('docs.noMatch') : empty}</EmptyState>
      ) : (
        <table className="doc-table">
          <thead>
            <tr>
              <DocumentColumnHeaders />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} className={item.urgency !== 'normal' ? 'doc-table__row--urgent' : undefined}>
                <DocumentRowCells item={item} onOpen={onOpen} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? <LoadMoreButton loading={loadingMore} onLoadMore={() => void loadMore()} /> : null}
    </div>
  );
}
