/**
 * The parts every table of documents shares (待办 with its selection, 已办, 发文, 收文): the column
 * headers, a row's cells, and the notices above the table — one place, so the lists cannot drift.
 */
import { useTranslation } from 'react-i18next';
import type { DocumentListItem } from '../../../shared/http/documents';
import { formatTime, stateLabel, typeLabel, urgencyLabel } from './labels';
import { isOverdue } from './overdue';

/** 标题, 发文字号, 文种, 环节, 紧急程度, 办理期限, 更新时间. */
export function DocumentColumnHeaders() {
  const { t } = useTranslation();
  return (
    <>
      <th scope="col">{t('docs.column.title')}</th>
      <th scope="col">{t('docs.column.docNumber')}</th>
      <th scope="col">{t('docs.column.type')}</th>
      <th scope="col">{t('docs.column.state')}</th>
      <th scope="col">{t('docs.column.urgency')}</th>
      <th scope="col">{t('docs.column.dueDate')}</th>
      <th scope="col">{t('docs.column.updatedAt')}</th>
    </>
  );
}

/** One document's cells under DocumentColumnHeaders; the title opens it. */
export function DocumentRowCells({ item, onOpen }: { item: DocumentListItem; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <td>
        <button type="button" className="doc-table__open" onClick={() => onOpen(item.id)}>
          {item.title}
        </button>
      </td>
      <td className="doc-table__number">{item.docNumber ?? '—'}</td>
      <td>{typeLabel(item.type, t)}</td>
      <td>
        <span className={`state-tag state-tag--${item.state}`}>{stateLabel(item, t, i18n.language)}</span>
      </td>
      <td>
        <span className={`urgency urgency--${item.urgency}`}>{urgencyLabel(item.urgency, t)}</span>
      </td>
      <td>
        {item.dueDate ?? '—'}
        {isOverdue(item) && (
          <span className="overdue-tag" title={t('docs.overdueTitle', { date: item.dueDate })}>
            {t('docs.overdue')}
          </span>
        )}
      </td>
      <td className="doc-table__time">{formatTime(item.updatedAt)}</td>
    </>
  );
}

/** 本地副本 (the list is the replica's copy) and the last error, above a list. */
export function ListNotices({ fromReplica, error }: { fromReplica: boolean; error: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      {fromReplica ? (
        <p className="notice notice--warning" role="status">
          {t('docs.fromReplica')}
        </p>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
