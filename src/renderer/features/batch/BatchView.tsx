/**
 * The batch view of 批量签批. Before signing: the documents the person may approve (the others listed
 * with why), each with its preview (pdf.js), earlier opinions and due date, 上一份/下一份 (and the
 * arrow keys), its own opinion or the common one, or taken out of the batch; the common opinion with
 * 常用语, the saved handwritten signature, and the certificate (a .p12 file and its password, or a
 * UKey and its PIN) entered once. While signing: a progress bar (n of N, time left) and each
 * document's result, 重试失败项 at the end. The secret goes to main with 开始签批 and is cleared here.
 */
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchSecret, BatchStatus, SkippedDocument } from '../../../shared/api/batchSignoff.contract';
import type { InkDrawing } from '../../../shared/domain/documents/opinion';
import type { DocumentView as DocumentViewData } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { useConnectionState } from '../../app/useConnectionState';
import { toBase64 } from '../document/base64';
import { useApiEvent } from '../document/useApiEvent';
import { DocumentPdfPreview } from '../preview';
import { InkImage, InkPad, PhrasePicker } from '../signoff';
import { loadSavedSignature, saveSignature } from './savedSignature';
import './batch.css';
import { describeError, describeReason } from '../../i18n/errors';
import { termInLanguage } from '../../i18n/terms';

export interface BatchViewProps {
  /** A new batch of these documents… */
  documents?: Array<{ id: string; title: string }>;
  /** …or an existing one to resume. */
  batchId?: string;
  onClose: () => void;
}

interface Candidate {
  id: string;
  title: string;
  dueDate?: string;
}

export function BatchView({ documents, batchId, onClose }: BatchViewProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [eligible, setEligible] = useState<Candidate[] | null>(documents ? null : []);
  const [skipped, setSkipped] = useState<SkippedDocument[]>([]);
  const [index, setIndex] = useState(0);
  const [views, setViews] = useState<Record<string, DocumentViewData>>({});
  const [own, setOwn] = useState<Record<string, string>>({});
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const [common, setCommon] = useState('同意');
  const [useInk, setUseInk] = useState(false);
  const [ink, setInk] = useState<InkDrawing | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [kind, setKind] = useState<'p12' | 'pkcs11'>('p12');
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [ukeys, setUkeys] = useState<Array<{ name: string; path: string }>>([]);
  const [ukeyModule, setUkeyModule] = useState('');
  const [status, setStatus] = useState<BatchStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Signed documents queued while offline go out by themselves when the server is back: say so.
  const connection = useConnectionState();

  useEffect(() => {
    void loadSavedSignature(api).then((saved) => setInk(saved));
    // The UKey drivers come from the deployment; the window only picks one of them.
    void api.batchSignoff.ukeys({}).then((result) => {
      if (!result.ok) return;
      setUkeys(result.value.modules);
      setUkeyModule((chosen) => chosen || (result.value.modules[0]?.path ?? ''));
    });
  }, [api]);

  // A new batch: which documents may be approved; the others with why.
  useEffect(() => {
    if (!documents) return;
    let live = true;
    void api.batchSignoff.prepare({ ids: documents.map((d) => d.id) }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setError(describeError(result.error, t));
        setEligible([]);
        return;
      }
      setEligible(result.value.eligible);
      setSkipped(result.value.skipped);
    });
    return () => {
      live = false;
    };
  }, [api, documents]);

  // Resuming: the batch as main saved it.
  useEffect(() => {
    if (!batchId) return;
    void api.batchSignoff.status({ batchId }).then((result) => {
      if (result.ok) setStatus(result.value);
      else setError(describeError(result.error, t));
    });
  }, [api, batchId]);

  useApiEvent('batchSignoffChanged', (payload) => {
    setStatus((current) => (current && current.batch.id !== payload.batch.id ? current : payload));
  });

  const current = eligible?.[index];
  useEffect(() => {
    if (!current || views[current.id]) return;
    void api.documents.get({ id: current.id }).then((result) => {
      if (result.ok) setViews((v) => ({ ...v, [current.id]: result.value.document }));
    });
  }, [api, current, views]);

  const move = useCallback((delta: number) => setIndex((i) => Math.max(0, Math.min((eligible?.length ?? 1) - 1, i + delta))), [eligible]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select')) return;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') {
      event.preventDefault();
      move(1);
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(-1);
    }
  };

  const secret = async (): Promise<BatchSecret | null> => {
    if (kind === 'p12') {
      if (!file) {
        setError(t('batch.certFile'));
        return null;
      }
      return { kind: 'p12', p12: toBase64(new Uint8Array(await file.arrayBuffer())), password };
    }
    if (!ukeyModule) {
      setError(t('batch.noUkeyModules'));
      return null;
    }
    return { kind: 'pkcs11', module: ukeyModule, pin: password };
  };

  const start = async () => {
    if (!eligible) return;
    const items = eligible.filter((d) => !removed.has(d.id)).map((d) => ({ id: d.id, title: d.title, opinion: (own[d.id]?.trim() || common).trim() }));
    const s = await secret();
    if (!s) return;
    setBusy(true);
    setError(null);
    const result = await api.batchSignoff.start({ items, secret: s, ...(useInk && ink ? { ink } : {}) });
    setBusy(false);
    setPassword('');
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    setStatus(result.value);
  };

  const resume = async (retryFailed: boolean) => {
    if (!status) return;
    const needsSecret = status.batch.items.some((i) => i.state === 'pending' || i.state === 'fetched' || (retryFailed && i.state === 'failed'));
    const s = needsSecret ? await secret() : null;
    if (needsSecret && !s) return;
    setBusy(true);
    setError(null);
    const result = await api.batchSignoff.resume({ batchId: status.batch.id, retryFailed, ...(s ? { secret: s } : {}) });
    setBusy(false);
    setPassword('');
    if (!result.ok) setError(describeError(result.error, t));
    else setStatus(result.value);
  };

  const credentials = (
    <fieldset className="signoff-batch-secret">
      <legend>{t('batch.certKind')}</legend>
      <label className="field field--inline">
        <input type="radio" name="batch-kind" checked={kind === 'p12'} onChange={() => setKind('p12')} />
        <span>{t('batch.p12')}</span>
      </label>
      <label className="field field--inline">
        <input type="radio" name="batch-kind" checked={kind === 'pkcs11'} onChange={() => setKind('pkcs11')} />
        <span>{t('batch.ukey')}</span>
      </label>
      {kind === 'p12' ? (
        <>
          <label className="field">
            <span>{t('batch.certFile')}</span>
            <input type="file" accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <label className="field">
            <span>{t('batch.certPassword')}</span>
            <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
        </>
      ) : (
        <>
          {ukeys.length === 0 ? (
            <p role="note">{t('batch.noUkeyModules')}</p>
          ) : (
            <label className="field">
              <span>{t('batch.ukeyModule')}</span>
              <select value={ukeyModule} onChange={(e) => setUkeyModule(e.target.value)}>
                {ukeys.map((m) => (
                  <option key={m.path} value={m.path}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field">
            <span>{t('batch.ukeyPin')}</span>
            <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
        </>
      )}
    </fieldset>
  );

  const header = (
    <div className="signoff-batch__header">
      <h1>{t('batch.title')}</h1>
      <button type="button" className="button button--secondary" onClick={onClose}>
        {t('batch.close')}
      </button>
    </div>
  );
  const alert = error ? (
    <p className="notice notice--error" role="alert">
      {error}
    </p>
  ) : null;

  if (status) {
    const { done, failed, total } = status;
    const actions = !status.running && (status.needsSecret || failed > 0);
    return (
      <div className="signoff-batch">
        {header}
        {actions ? null : alert}
        <div role="progressbar" aria-label={t('batch.progress')} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done + failed} aria-valuetext={t('batch.progressText', { done: done + failed, total })} className="signoff-batch-progress">
          <div className="signoff-batch-progress__bar" style={{ width: `${total ? ((done + failed) / total) * 100 : 0}%` }} />
        </div>
        <p className="signoff-batch-progress__text">
          {t('batch.progressText', { done: done + failed, total })}
          {status.etaMs !== undefined && status.running ? `\u3000${t('batch.eta', { seconds: Math.ceil(status.etaMs / 1000) })}` : ''}
        </p>
        {status.paused || (connection === 'offline' && done + failed < total) ? <p role="status">{t('batch.paused')}</p> : null}
        <ol className="signoff-batch-results" aria-label={t('batch.title')}>
          {status.batch.items.map((item) => (
            <li key={item.documentId} aria-label={item.title}>
              <span className="signoff-batch-results__title">{item.title}</span>
              <span className={`signoff-batch-results__state signoff-batch-results__state--${item.state}`}>
                {item.state === 'done' ? t('batch.ok') : item.state === 'failed' ? t('batch.failed', { reason: describeReason(item, t) }) : item.state === 'pending' ? t('batch.waiting') : t('batch.working')}
              </span>
            </li>
          ))}
        </ol>
        {actions ? (
          <div className="signoff-batch-actions">
            {credentials}
            {alert}
            {status.needsSecret ? <p role="status">{t('batch.needsSecret')}</p> : null}
            {status.needsSecret ? (
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void resume(false)}>
                {t('batch.continue')}
              </button>
            ) : null}
            {failed > 0 ? (
              <button type="button" className="button button--secondary" disabled={busy} onClick={() => void resume(true)}>
                {t('batch.retry')}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    );
  }

  if (eligible === null) return <p className="loading">{t('app.loading')}</p>;
  const view = current ? views[current.id] : undefined;
  const opinions = (view?.history ?? []).filter((h) => h.opinion || h.opinionInk);
  const included = eligible.filter((d) => !removed.has(d.id)).length;
  return (
    <div className="signoff-batch" onKeyDown={onKeyDown} tabIndex={-1}>
      {header}
      {skipped.length > 0 ? (
        <section className="signoff-batch-skipped" aria-label={t('batch.skipped')}>
          <h2>{t('batch.skipped')}</h2>
          <ul>
            {skipped.map((s) => (
              <li key={s.id}>{t('batch.skippedItem', { title: s.title, reason: describeReason(s, t) })}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {current ? (
        <section className="signoff-batch-review" aria-label={current.title}>
          <div className="signoff-batch-review__nav">
            <button type="button" className="button button--secondary" disabled={index === 0} onClick={() => move(-1)}>
              {t('batch.previous')}
            </button>
            <span>{t('batch.reviewing', { index: index + 1, count: eligible.length })}</span>
            <button type="button" className="button button--secondary" disabled={index >= eligible.length - 1} onClick={() => move(1)}>
              {t('batch.next')}
            </button>
          </div>
          <h2>{current.title}</h2>
          <p>{current.dueDate ? t('batch.dueDate', { date: current.dueDate }) : t('batch.noDueDate')}</p>
          <div className="signoff-batch-review__body">
            <div className="signoff-batch-review__preview">{view ? <DocumentPdfPreview id={current.id} version={view.updatedAt} /> : <p className="loading">{t('app.loading')}</p>}</div>
            <div className="signoff-batch-review__side">
              <h3>{t('batch.earlierOpinions')}</h3>
              {opinions.length === 0 ? (
                <p>{t('batch.noOpinions')}</p>
              ) : (
                <ul>
                  {opinions.map((h, i) => (
                    <li key={`${h.at}-${i}`}>
                      {termInLanguage(h.label, i18n.language)}{'\u3000'}{h.actorName}：{h.opinion ?? ''}
                      {h.opinionInk ? <InkImage drawing={h.opinionInk} label={t('handwriting.inHistory', { name: h.actorName })} className="signoff-batch-ink" /> : null}
                    </li>
                  ))}
                </ul>
              )}
              {removed.has(current.id) ? (
                <>
                  <p role="status">{t('batch.removed')}</p>
                  <button type="button" className="button button--secondary" onClick={() => setRemoved((r) => new Set([...r].filter((id) => id !== current.id)))}>
                    {t('batch.restore')}
                  </button>
                </>
              ) : (
                <>
                  <label className="field">
                    <span>{t('batch.ownOpinion')}</span>
                    <textarea rows={3} value={own[current.id] ?? ''} onChange={(e) => setOwn((o) => ({ ...o, [current.id]: e.target.value }))} />
                  </label>
                  <button type="button" className="button button--secondary" onClick={() => setRemoved((r) => new Set([...r, current.id]))}>
                    {t('batch.remove')}
                  </button>
                </>
              )}
            </div>
          </div>
        </section>
      ) : null}
      <section className="signoff-batch-common" aria-label={t('batch.common')}>
        <label className="field">
          <span>{t('batch.common')}</span>
          <textarea rows={2} value={common} onChange={(e) => setCommon(e.target.value)} />
        </label>
        <PhrasePicker onPick={(phrase) => setCommon(phrase)} />
        <label className="field field--inline">
          <input type="checkbox" checked={useInk} disabled={!ink} onChange={(e) => setUseInk(e.target.checked)} />
          <span>{t('batch.useInk')}</span>
        </label>
        {ink ? <InkImage drawing={ink} label={t('batch.inkSaved')} className="signoff-batch-ink" /> : null}
        <button type="button" className="button button--secondary" onClick={() => setDrawing(true)}>
          {ink ? t('batch.redrawInk') : t('batch.drawInk')}
        </button>
        {drawing ? (
          <InkPad
            initial={null}
            onDone={(d) => {
              setDrawing(false);
              setInk(d);
              setUseInk(d !== null);
              void saveSignature(api, d).then((failure) => {
                if (failure) setError(describeError(failure, t));
              });
            }}
            onCancel={() => setDrawing(false)}
          />
        ) : null}
        {credentials}
        {/* Beside 开始签批: a refused password or PIN is read where the person just typed it. */}
        {alert}
        <p>{t('batch.count', { count: included })}</p>
        <button type="button" className="button button--primary" disabled={busy || included === 0} onClick={() => void start()}>
          {t('batch.start')}
        </button>
      </section>
    </div>
  );
}
