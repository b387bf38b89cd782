/**
 * One exchange item opened: the document as it prints (the pdf.js preview of the sealed PDF as
 * sent), the verification of each signature and seal, and — for the receiving clerk — 签收 (only
 * when everything is 有效) or 退回 with a reason.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeItem } from '../../../shared/http/documents';
import type { ExchangeVerification } from '../../../shared/http/exchange';
import { useApi } from '../../app/apiContext';
import { fromBase64 } from '../document/base64';
import { exchangeStatusLabel, formatTime, urgencyLabel } from '../document/labels';
import { PdfPreview, type PdfSource } from '../preview';
import { VerificationPanel } from './VerificationPanel';
import { describeError, describeReason } from '../../i18n/errors';

export interface ExchangeItemViewProps {
  item: ExchangeItem;
  box: 'incoming' | 'outgoing';
  onBack: () => void;
  onChanged: () => void;
}

export function ExchangeItemView({ item, box, onBack, onChanged }: ExchangeItemViewProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [verification, setVerification] = useState<ExchangeVerification | null>(null);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);

  const source = useMemo<PdfSource>(
    () => ({
      key: `exchange:${item.id}`,
      fetch: async () => {
        const result = await api.exchange.pdf({ id: item.id });
        if (!result.ok) throw new Error(describeError(result.error, t));
        return { bytes: fromBase64(result.value.base64), sha256: result.value.sha256, fromReplica: false };
      },
    }),
    [api, item.id],
  );

  const act = async (action: 'receive' | 'return') => {
    if (action === 'return' && !reason.trim()) {
      setMessage({ tone: 'error', text: t('docs.exchange.reasonRequired') });
      return;
    }
    setBusy(true);
    setMessage(null);
    const result = await api.exchange.act({ id: item.id, action, reason: action === 'return' ? reason.trim() : undefined });
    setBusy(false);
    if (!result.ok) return setMessage({ tone: 'error', text: describeError(result.error, t) });
    const { command } = result.value;
    if (command.status === 'rejected') return setMessage({ tone: 'error', text: t('docs.rejected', { reason: describeReason(command, t) }) });
    if (command.status === 'pending') return setMessage({ tone: 'info', text: t('docs.queued') });
    setReturning(false);
    onChanged();
  };

  const canAct = box === 'incoming' && item.status === 'pending';
  const verified = verification?.verdict === 'valid';
  return (
    <article className="exchange-view" aria-label={item.title}>
      <button type="button" className="link-button" onClick={onBack}>
        {t('exchangeDesk.back')}
      </button>
      <h2>{item.title}</h2>
      <p className="exchange-item__meta">
        <span>{item.docNumber ?? '—'}</span>
        <span>{urgencyLabel(item.urgency, t)}</span>
        <span>{box === 'incoming' ? t('docs.exchange.from', { unit: item.fromUnitName }) : t('docs.exchange.to', { unit: item.toUnitName })}</span>
        <span>{t('docs.exchange.sent', { name: item.sentByName, time: formatTime(item.sentAt) })}</span>
        <span className={`receipt__status receipt--${item.status}`}>{exchangeStatusLabel(item.status, t)}</span>
      </p>
      <div className="exchange-view__body">
        <PdfPreview source={source} />
        <div className="exchange-view__side">
          <VerificationPanel exchangeId={item.id} onResult={setVerification} version={item.status} />
          {canAct ? (
            <div className="exchange-item__actions">
              {verification && !verified ? (
                <p className="notice notice--error" role="alert">
                  {t('exchangeDesk.cannotReceive')}
                </p>
              ) : null}
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
                  <button type="button" className="button button--primary" disabled={busy || !verified} onClick={() => void act('receive')}>
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
        </div>
      </div>
    </article>
  );
}
