/** Progress and per-item results of a bulk exchange action (批量签收, 全部撤回). */
import { useTranslation } from 'react-i18next';
import type { ExchangeItem } from '../../../shared/http/documents';
import type { BatchOutcome } from './batch';

export interface BatchRun {
  readonly label: string;
  readonly total: number;
  readonly outcomes: readonly BatchOutcome[];
  /** What each item's success is called (已签收, 已撤回). */
  readonly success: string;
}

export function BatchProgress({ run, items }: { run: BatchRun; items: readonly ExchangeItem[] }) {
  const { t } = useTranslation();
  const byId = new Map(items.map((i) => [i.id, i]));
  const done = run.outcomes.length;
  return (
    <div className="batch-progress">
      <progress max={run.total} value={done} aria-label={t('exchangeDesk.progressOf', { label: run.label })} />
      <p role="status">{t('exchangeDesk.progressText', { done, total: run.total })}</p>
      <ul aria-label={t('exchangeDesk.resultsOf', { label: run.label })} className="batch-results">
        {run.outcomes.map((o) => {
          const item = byId.get(o.id);
          const values = { title: item?.title ?? o.id, unit: item ? `${item.fromUnitName} → ${item.toUnitName}` : '' };
          return (
            <li key={o.id} className={o.ok ? 'batch-results__ok' : 'batch-results__failed'}>
              {o.ok
                ? t('exchangeDesk.resultOk', { ...values, status: o.detail === 'pending' ? t('exchangeDesk.queued') : run.success })
                : t('exchangeDesk.resultFailed', { ...values, reason: o.detail })}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
