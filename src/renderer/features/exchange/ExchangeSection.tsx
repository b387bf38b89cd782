/**
 * 交换: documents between units. 收件 lists what other units sent to ours, each to open (the document
 * as it prints and its seals' verification), 签收 (which starts our 收文; many at once with 批量签收)
 * or 退回 with a reason; 发件 tracks what we sent per document and per receiving unit (see
 * OutgoingTracking). A box comes a page at a time; 加载更多 brings the next.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeItem } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';
import { exchangeStatusLabel, formatTime, urgencyLabel } from '../document/labels';
import { useApiEvent } from '../document/useApiEvent';
import { BatchProgress, type BatchRun } from './BatchProgress';
import { runBatch } from './batch';
import { ExchangeItemView } from './ExchangeItemView';
import { OutgoingTracking } from './OutgoingTracking';
import '../../styles/documents.css';
import '../../styles/exchange.css';
import { describeError, describeReason } from '../../i18n/errors';
import { LoadMoreButton } from '../../components/LoadMoreButton';

type Box = 'incoming' | 'outgoing';

/** Pages re-read when the box changes (every loop bounded; beyond this, 加载更多 again). */
const MAX_RELOAD_PAGES = 20;

interface RowProps {
  item: ExchangeItem;
  box: Box;
  onChanged: () => void;
  onOpen: () => void;
  selected: boolean;
  onSelect: (selected: boolean) => void;
}

function ExchangeRow({ item, box, onChanged, onOpen, selected, onSelect }: RowProps) {
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
      setMessage({ tone: 'error', text: describeError(result.error, t) });
      return;
    }
    const { command } = result.value;
    if (command.status === 'rejected') setMessage({ tone: 'error', text: t('docs.rejected', { reason: describeReason(command, t) }) });
    else if (command.status === 'pending') setMessage({ tone: 'info', text: t('docs.queued') });
    else {
      setReturning(false);
      onChanged();
    }
  };

  const counterpart = box === 'incoming' ? item.fromUnitName : item.toUnitName;
  return (
    <li className={`exchange-item exchange-item--${item.status}`} aria-label={item.title}>
      {box === 'incoming' && item.status === 'pending' ? (
        <input type="checkbox" className="exchange-item__select" aria-label={t('exchangeDesk.select', { title: item.title })} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
      ) : null}
      <div className="exchange-item__main">
        <div className="exchange-item__title">
          {item.urgency !== 'normal' ? <span className={`urgency urgency--${item.urgency}`}>{urgencyLabel(item.urgency, t)}</span> : null}
          <span>{item.title}</span>
          <button type="button" className="link-button" aria-label={t('exchangeDesk.openLabel', { title: item.title })} onClick={onOpen}>
            {t('exchangeDesk.open')}
          </button>
        </div>
        <div className="exchange-item__meta">
          <span>{item.docNumber ?? '—'}</span>
          <span>{box === 'incoming' ? t('docs.exchange.from', { unit: counterpart }) : t('docs.exchange.to', { unit: counterpart })}</span>
          <span>{t('docs.exchange.sent', { name: item.sentByName, time: formatTime(item.sentAt) })}</span>
        </div>
        <div className="exchange-item__status">
          <span className={`receipt__status receipt--${item.status}`}>{exchangeStatusLabel(item.status, t)}</span>
          {item.handledByName ? <span>{t('docs.exchange.handled', { name: item.handledByName, time: item.handledAt ? formatTime(item.handledAt) : '' })}</span> : null}
          {item.overdue ? <span className="overdue-badge">{t('exchangeDesk.overdue')}</span> : null}
          {item.reminderCount ? <span className="muted">{t('exchangeDesk.reminded', { count: item.reminderCount, time: item.remindedAt ? formatTime(item.remindedAt) : '' })}</span> : null}
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
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [run, setRun] = useState<BatchRun | null>(null);

  const [next, setNext] = useState<string | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  // How many pages the clerk has opened: a change re-reads that many, so an item on page 2 being
  // signed for does not send the clerk back to page 1.
  const pages = useRef(1);
  const loadSeq = useRef(0);

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    const read: ExchangeItem[] = [];
    let cursor: string | undefined;
    let replica = false;
    for (let page = 0; page < Math.min(pages.current, MAX_RELOAD_PAGES); page += 1) {
      const result = await api.exchange.list({ box, cursor });
      if (seq !== loadSeq.current) return;
      if (!result.ok) {
        setError(describeError(result.error, t));
        setItems((current) => current ?? []);
        return;
      }
      read.push(...result.value.items);
      replica = result.value.fromReplica;
      cursor = result.value.next;
      if (!cursor) break;
    }
    setError(null);
    setItems(read);
    setNext(cursor);
    setFromReplica(replica);
  }, [api, box]);

  const loadMore = async () => {
    if (!next) return;
    const seq = loadSeq.current;
    setLoadingMore(true);
    const result = await api.exchange.list({ box, cursor: next });
    setLoadingMore(false);
    // A re-read started meanwhile has the newer list; this page would repeat or miss items.
    if (seq !== loadSeq.current) return;
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    pages.current += 1;
    setItems((current) => {
      const known = new Set((current ?? []).map((i) => i.id));
      return [...(current ?? []), ...result.value.items.filter((i) => !known.has(i.id))];
    });
    setNext(result.value.next);
  };

  useEffect(() => {
    pages.current = 1;
    setItems(null);
    setNext(undefined);
    setSelected(new Set());
    setRun(null);
    setOpenId(null);
    void load();
  }, [load]);
  // Main names the box that changed; the other tab re-reads when it is shown.
  useApiEvent('exchangeChanged', (payload) => {
    if (payload.box === box) void load();
  });

  const pendingIds = (items ?? []).filter((i) => i.status === 'pending').map((i) => i.id);
  const allSelected = pendingIds.length > 0 && pendingIds.every((id) => selected.has(id));
  const batchRunning = run !== null && run.outcomes.length < run.total;

  /** 批量签收: each selected item signed for in turn (the server verifies each), with progress. */
  const receiveSelected = async () => {
    const ids = pendingIds.filter((id) => selected.has(id));
    const label = t('exchangeDesk.batchReceive');
    const success = exchangeStatusLabel('received', t);
    setRun({ label, total: ids.length, outcomes: [], success });
    const outcomes = await runBatch(ids, (id) => api.exchange.act({ id, action: 'receive' }), (done) => setRun({ label, total: ids.length, outcomes: done, success }), (error) => describeError(error, t));
    setSelected(new Set(outcomes.filter((o) => !o.ok).map((o) => o.id)));
    void load();
  };

  const opened = openId ? items?.find((i) => i.id === openId) : undefined;
  if (opened) {
    return (
      <SectionPage title={t('sections.exchange.label')} description={t('sections.exchange.description')}>
        <ExchangeItemView item={opened} box={box} onBack={() => setOpenId(null)} onChanged={() => void load()} />
      </SectionPage>
    );
  }

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
      ) : box === 'outgoing' ? (
        <OutgoingTracking items={items} onChanged={() => void load()} />
      ) : (
        <>
          {pendingIds.length > 0 ? (
            <div className="exchange-toolbar">
              <label className="check">
                <input type="checkbox" checked={allSelected} onChange={(e) => setSelected(e.target.checked ? new Set(pendingIds) : new Set())} />
                {t('exchangeDesk.selectAll')}
              </label>
              <button type="button" className="button button--primary" disabled={selected.size === 0 || batchRunning} onClick={() => void receiveSelected()}>
                {t('exchangeDesk.batchReceive')}
                {selected.size > 0 ? t('app.inParentheses', { text: selected.size }) : ''}
              </button>
            </div>
          ) : null}
          {run ? <BatchProgress run={run} items={items} /> : null}
          <ul className="exchange-list">
            {items.map((item) => (
              <ExchangeRow
                key={item.id}
                item={item}
                box={box}
                onChanged={() => void load()}
                onOpen={() => setOpenId(item.id)}
                selected={selected.has(item.id)}
                onSelect={(on) =>
                  setSelected((current) => {
                    const next = new Set(current);
                    if (on) next.add(item.id);
                    else next.delete(item.id);
                    return next;
                  })
                }
              />
            ))}
          </ul>
        </>
      )}
      {items && next ? <LoadMoreButton loading={loadingMore} onLoadMore={() => void loadMore()} /> : null}
    </SectionPage>
  );
}
