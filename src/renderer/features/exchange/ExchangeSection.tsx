/**
 * 交换: documents between units. 收件 lists what other units sent to ours, each to 签收 (which
 * starts our 收文) or 退回 with a reason; 发件 lists what we sent, per receiving unit: who signed
 * for it and when, or why it came back.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeItem } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';
import { exchangeStatusLabels, formatTime, urgencyLabel } from '../document/labels';
import { useApiEvent } from '../document/useApiEvent';
import '../../styles/documents.css';

type Box = 'incoming' | 'outgoing';

function ExchangeRow({ item, box, onChanged }: { item: ExchangeItem; box: Box; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info' | 'success'; text: string } | null>(null);

  const act = async (action: 'receive' | 'return') => {
    if (action === 'return' && !reason.trim()) {
      setMessage({ tone: 'error', text: t('docs.exchange.reasonRequired') });
      return;
    }
    setBusy(true);
    setMessage(null);
    const result = await api.exchange.act({ id: item.id, action, reason: action === 'return' ? reason.trim() : undefined });
    setBusy(false);
    if (!result.ok) {
      setMessage({ tone: 'error', text: result.error.message });
      return;
    }
    const { command } = result.value;
    if (command.status === 'rejected') setMessage({ tone: 'error', text: t('docs.rejected', { reason: command.reason ?? '' }) });
    else if (command.status === 'pending') setMessage({ tone: 'info', text: t('docs.queued') });
    else {
      setReturning(false);
      onChanged();
    }
  };

  const counterpart = box === 'incoming' ? item.fromUnitName : item.toUnitName;
  return (
    <li className={`exchange-item exchange-item--${item.status}`} aria-label={item.title}>
      <div className="exchange-item__main">
        <div className="exchange-item__title">
          {item.urgency !== 'normal' ? <span className={`urgency urgency--${item.urgency}`}>{urgencyLabel(item.urgency)}</span> : null}
          <span>{item.title}</span>
        </div>
        <div className="exchange-item__meta">
          <span>{item.docNumber ?? '—'}</span>
          <span>{box === 'incoming' ? t('docs.exchange.from', { unit: counterpart }) : t('docs.exchange.to', { unit: counterpart })}</span>
          <span>{t('docs.exchange.sent', { name: item.sentByName, time: formatTime(item.sentAt) })}</span>
        </div>
        <div className="exchange-item__status">
          <span className={`receipt__status receipt--${item.status}`}>{exchangeStatusLabels[item.status]}</span>
          {item.handledByName ? <span>{t('docs.exchange.handled', { name: item.handledByName, time: item.handledAt ? formatTime(item.handledAt) : '' })}</span> : null}
          {item.reason ? <span className="receipt__reason">{t('docs.history.reason', { text: item.reason })}</span> : null}
        </div>
      </div>
      {box === 'incoming' && item.status === 'pending' ? (
        <div className="exchange-item__actions">
          {returning ? (
            <>
              <label className="field">
                <span>{t('docs.exchange.reason')}</span>
                <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <button type="button" className="button button--secondary" disabled={busy} onClick={() => void act('return')}>
                {t('docs.exchange.confirmReturn')}
              </button>
              <button type="button" className="link-button" onClick={() => setReturning(false)}>
                {t('docs.cancel')}
              </button>
            </>
          ) : (
            <>
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void act('receive')}>
                {t('docs.exchange.receive')}
              </button>
              <button type="button" className="button button--secondary" disabled={busy} onClick={() => setReturning(true)}>
                {t('docs.exchange.return')}
              </button>
            </>
          )}
        </div>
      ) : null}
      {message ? (
        <p className={`notice notice--${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </li>
  );
}

export function ExchangeSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [box, setBox] = useState<Box>('incoming');
  const [items, setItems] = useState<ExchangeItem[] | null>(null);
  const [fromReplica, setFromReplica] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await api.exchange.list({ box });
    if (!result.ok) {
      setError(result.error.message);
      setItems((current) => current ?? []);
      return;
    }
    setError(null);
    setItems(result.value.items);
    setFromReplica(result.value.fromReplica);
  }, [api, box]);

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);
  // Main names the box that changed; the other tab re-reads when it is shown.
  useApiEvent('exchangeChanged', (payload) => {
    if (payload.box === box) void load();
  });

  return (
    <SectionPage title={t('sections.exchange.label')} description={t('sections.exchange.description')}>
      <div className="tabs" role="tablist" aria-label={t('sections.exchange.label')}>
        {(['incoming', 'outgoing'] as const).map((b) => (
          <button key={b} type="button" role="tab" aria-selected={box === b} className="tabs__tab" onClick={() => setBox(b)}>
            {t(`docs.exchange.${b}`)}
          </button>
        ))}
      </div>
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
      {items === null ? (
        <p className="loading">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <EmptyState>{t('sections.exchange.empty')}</EmptyState>
      ) : (
        <ul className="exchange-list">
          {items.map((item) => (
            <ExchangeRow key={item.id} item={item} box={box} onChanged={() => void load()} />
          ))}
        </ul>
      )}
    </SectionPage>
  );
}
