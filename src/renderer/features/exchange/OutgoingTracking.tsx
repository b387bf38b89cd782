/**
 * 发件 tracked per document and per receiving unit: 待签收 / 已签收 (who, when, how long it took) /
 * 已退回 (why) / 已撤回, overdue by urgency, 催收 and 撤回 per unit or all at once, and the
 * verification of what was sent.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeItem } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { exchangeStatusLabel, formatTime, urgencyLabel } from '../document/labels';
import { BatchProgress, type BatchRun } from './BatchProgress';
import { durationText, runBatch } from './batch';
import { VerificationPanel } from './VerificationPanel';
import { describeError, describeReason } from '../../i18n/errors';

interface SentDocument {
  readonly documentId: string;
  readonly title: string;
  readonly docNumber?: string;
  readonly urgency: ExchangeItem['urgency'];
  readonly items: ExchangeItem[];
}

function groupByDocument(items: readonly ExchangeItem[]): SentDocument[] {
  const groups = new Map<string, SentDocument>();
  for (const item of items) {
    let group = groups.get(item.documentId);
    if (!group) {
      group = { documentId: item.documentId, title: item.title, ...(item.docNumber ? { docNumber: item.docNumber } : {}), urgency: item.urgency, items: [] };
      groups.set(item.documentId, group);
    }
    group.items.push(item);
  }
  return [...groups.values()];
}

function UnitRow({ item, onChanged }: { item: ExchangeItem; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: 'withdraw' | 'remind') => {
    setBusy(true);
    setError(null);
    const result = await api.exchange.act({ id: item.id, action });
    setBusy(false);
    if (!result.ok) setError(describeError(result.error, t));
    else if (result.value.command.status === 'rejected') setError(t('docs.rejected', { reason: describeReason(result.value.command, t) }));
    else onChanged();
  };
  return (
    <li className={`receipt receipt--${item.status}`} aria-label={item.toUnitName}>
      <span className="receipt__unit">{item.toUnitName}</span>
      <span className="receipt__status">{exchangeStatusLabel(item.status, t)}</span>
      {item.overdue ? <span className="overdue-badge">{t('exchangeDesk.overdue')}</span> : null}
      {item.handledByName ? <span className="receipt__who">{t('docs.exchange.handled', { name: item.handledByName, time: item.handledAt ? formatTime(item.handledAt) : '' })}</span> : null}
      {item.signForMinutes !== undefined ? <span>{t('exchangeDesk.signFor', { duration: durationText(item.signForMinutes, t) })}</span> : null}
      {item.status === 'pending' && item.dueAt ? <span className="muted">{t('exchangeDesk.dueAt', { time: formatTime(item.dueAt) })}</span> : null}
      {item.reminderCount ? <span className="muted">{t('exchangeDesk.reminded', { count: item.reminderCount, time: item.remindedAt ? formatTime(item.remindedAt) : '' })}</span> : null}
      {item.status === 'pending' ? (
        <span className="receipt__actions">
          <button type="button" className="link-button" disabled={busy} aria-label={`${t('exchangeDesk.remind')} ${item.toUnitName}`} onClick={() => void act('remind')}>
            {t('exchangeDesk.remind')}
          </button>
          <button type="button" className="link-button" disabled={busy} aria-label={`${t('exchangeDesk.withdraw')} ${item.toUnitName}`} onClick={() => void act('withdraw')}>
            {t('exchangeDesk.withdraw')}
          </button>
        </span>
      ) : null}
      {item.reason ? <span className="receipt__reason">{t('docs.history.reason', { text: item.reason })}</span> : null}
      {error ? (
        <span className="notice notice--error" role="alert">
          {error}
        </span>
      ) : null}
    </li>
  );
}

function SentDocumentCard({ doc, onChanged }: { doc: SentDocument; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [showVerification, setShowVerification] = useState(false);
  const [run, setRun] = useState<BatchRun | null>(null);
  const count = (status: ExchangeItem['status']) => doc.items.filter((i) => i.status === status).length;
  const pending = doc.items.filter((i) => i.status === 'pending');

  const withdrawAll = async () => {
    const label = t('exchangeDesk.batchWithdraw');
    const ids = pending.map((i) => i.id);
    setRun({ label, total: ids.length, outcomes: [], success: exchangeStatusLabel('withdrawn', t) });
    await runBatch(ids, (id) => api.exchange.act({ id, action: 'withdraw' }), (outcomes) => setRun({ label, total: ids.length, outcomes, success: exchangeStatusLabel('withdrawn', t) }), (error) => describeError(error, t));
    onChanged();
  };

  return (
    <li className="exchange-item exchange-sent" aria-label={doc.title}>
      <div className="exchange-item__title">
        {doc.urgency !== 'normal' ? <span className={`urgency urgency--${doc.urgency}`}>{urgencyLabel(doc.urgency, t)}</span> : null}
        <span>{doc.title}</span>
        <span className="muted">{doc.docNumber ?? ''}</span>
      </div>
      <p className="exchange-item__meta">
        {t('exchangeDesk.summary', { pending: count('pending'), received: count('received'), returned: count('returned'), withdrawn: count('withdrawn') })}
      </p>
      <div className="exchange-item__actions">
        {pending.length > 0 ? (
          <button type="button" className="button button--secondary" disabled={run !== null && run.outcomes.length < run.total} onClick={() => void withdrawAll()}>
            {t('exchangeDesk.batchWithdraw')}
          </button>
        ) : null}
        <button type="button" className="link-button" aria-expanded={showVerification} onClick={() => setShowVerification((v) => !v)}>
          {showVerification ? t('exchangeDesk.hideVerification') : t('exchangeDesk.showVerification')}
        </button>
      </div>
      {run ? <BatchProgress run={run} items={doc.items} /> : null}
      {showVerification && doc.items[0] ? <VerificationPanel exchangeId={doc.items[0].id} /> : null}
      <ul className="receipts" aria-label={t('exchangeDesk.units')}>
        {doc.items.map((item) => (
          <UnitRow key={item.id} item={item} onChanged={onChanged} />
        ))}
      </ul>
    </li>
  );
}

export function OutgoingTracking({ items, onChanged }: { items: readonly ExchangeItem[]; onChanged: () => void }) {
  const docs = useMemo(() => groupByDocument(items), [items]);
  return (
    <ul className="exchange-list">
      {docs.map((doc) => (
        <SentDocumentCard key={doc.documentId} doc={doc} onChanged={onChanged} />
      ))}
    </ul>
  );
}
