/**
 * 待办 with selection for 批量签批: a checkbox per row (选择<title>), 全选 for the rows shown, filters
 * by 文种, 紧急程度 and 办理期限 (sent to the server with every page, so they hold over the whole 待办; 加载更多 brings the next page), and the
 * selection kept by id — it survives paging, filtering and the list reloading when main says 待办
 * changed.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { documentTypeLabels, urgencyLabels, type DocumentType, type Urgency } from '../../../shared/domain/documents';
import type { DocumentListItem } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { EmptyState } from '../../components/EmptyState';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import { DocumentColumnHeaders, DocumentRowCells, ListNotices } from '../document/DocumentTableParts';
import { typeLabel, urgencyLabel } from '../document/labels';
import { useApiEvent } from '../document/useApiEvent';
import '../../styles/documents.css';
import { describeError } from '../../i18n/errors';

export interface TodoListProps {
  empty: string;
  onOpen: (id: string) => void;
  /** The chosen documents (id → title), owned by the section so the batch view gets them. */
  selected: ReadonlyMap<string, string>;
  onSelectionChange: (next: Map<string, string>) => void;
}

export function TodoList({ empty, onOpen, selected, onSelectionChange }: TodoListProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [items, setItems] = useState<DocumentListItem[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [fromReplica, setFromReplica] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [type, setType] = useState<DocumentType | ''>('');
  const [urgency, setUrgency] = useState<Urgency | ''>('');
  const [dueBy, setDueBy] = useState('');

  /**
   * The filters go to the server with every page, so they hold over the whole 待办, not only the
   * pages loaded so far; the selection is kept by id and outlives them.
   */
  const filter = useMemo(() => ({ ...(type ? { type } : {}), ...(urgency ? { urgency } : {}), ...(dueBy ? { dueBy } : {}) }), [type, urgency, dueBy]);

  /** Reloads overlap (events arrive in bursts, filters change); only the latest may set the list. */
  const loadSeq = useRef(0);
  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    const result = await api.documents.list({ box: 'todo', ...filter });
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
  }, [api, filter]);

  useEffect(() => {
    void load();
  }, [load]);
  useApiEvent('documentsChanged', (payload) => {
    if (payload.boxes.includes('todo')) void load();
  });

  const loadMore = async () => {
    if (!next) return;
    const seq = loadSeq.current;
    setLoadingMore(true);
    const result = await api.documents.list({ box: 'todo', cursor: next, ...filter });
    setLoadingMore(false);
    // The filters changed meanwhile: this page belongs to the old list.
    if (seq !== loadSeq.current) return;
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    setItems((current) => [...(current ?? []), ...result.value.items]);
    setNext(result.value.next);
  };

  const shown = items ?? [];
  const allShownSelected = shown.length > 0 && shown.every((i) => selected.has(i.id));
  const toggle = (item: DocumentListItem) => {
    const nextSelection = new Map(selected);
    if (nextSelection.has(item.id)) nextSelection.delete(item.id);
    else nextSelection.set(item.id, item.title);
    onSelectionChange(nextSelection);
  };
  const toggleAll = () => {
    const nextSelection = new Map(selected);
    for (const item of shown) {
      if (allShownSelected) nextSelection.delete(item.id);
      else nextSelection.set(item.id, item.title);
    }
    onSelectionChange(nextSelection);
  };

  if (items === null) return <p className="loading">{t('app.loading')}</p>;
  return (
    <div className="doc-list">
      <div className="batch-filters" role="group" aria-label={t('batch.open')}>
        <label className="field field--inline">
          <span>{t('batch.filterType')}</span>
          <select value={type} onChange={(e) => setType(e.target.value as DocumentType | '')}>
            <option value="">{t('batch.any')}</option>
            {(Object.keys(documentTypeLabels) as DocumentType[]).map((k) => (
              <option key={k} value={k}>
                {typeLabel(k, t)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--inline">
          <span>{t('batch.filterUrgency')}</span>
          <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency | '')}>
            <option value="">{t('batch.any')}</option>
            {(Object.keys(urgencyLabels) as Urgency[]).map((k) => (
              <option key={k} value={k}>
                {urgencyLabel(k, t)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--inline">
          <span>{t('batch.filterDue')}</span>
          <input type="date" value={dueBy} onChange={(e) => setDueBy(e.target.value)} />
        </label>
      </div>
      <ListNotices fromReplica={fromReplica} error={error} />
      {shown.length === 0 ? (
        <EmptyState>{items.length === 0 ? empty : t('docs.noMatch')}</EmptyState>
      ) : (
        <table className="doc-table">
          <thead>
            <tr>
              <th scope="col">
                <input type="checkbox" aria-label={t('batch.selectAll')} checked={allShownSelected} onChange={toggleAll} />
              </th>
              <DocumentColumnHeaders />
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr key={item.id} className={item.urgency !== 'normal' ? 'doc-table__row--urgent' : undefined}>
                <td>
                  <input type="checkbox" aria-label={t('batch.select', { title: item.title })} checked={selected.has(item.id)} onChange={() => toggle(item)} />
                </td>
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
