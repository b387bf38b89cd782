/**
 * One document: its facts, the body (collaborative editor), the opinion box 意见 and the actions the
 * server says this person may take now, the PDF, the receipts of each receiving unit, the 流转记录
 * and our own commands still waiting (待发送), sent (已发送) or refused (被拒绝, with the reason).
 */
import { ApprovalConsistency } from '../batch/ApprovalConsistency';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryUnit } from '../../../shared/http/directory';
import type { AuditResponse } from '../../../shared/http/documents';
import type { WorkflowAction } from '../../../shared/domain/documents/workflow';
import type { LocalDocument, Session } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { fromBase64 } from './base64';
import { AttachmentsPanel } from './AttachmentsPanel';
import { BodyEditor } from './BodyEditor';
import type * as Y from 'yjs';
import { RevisionsPanel } from '../revisions/RevisionsPanel';
import { CoDraftersPanel } from './CoDraftersPanel';
import { actionLabel, commandSummary, exchangeStatusLabel, formatTime, secrecyText, stateLabel, typeLabel, urgencyLabel } from './labels';
import { EditFieldsForm } from './EditFieldsForm';
import { exportFrameOf } from './exportFrame';
import { chosenFor, NextHolderPicker, type NextHolderChoice } from './NextHolderPicker';
import { SealDialog } from './SealDialog';
import { Timeline } from './Timeline';
import { useApiEvent } from './useApiEvent';
import { DocumentPdfPreview } from '../preview';
import { UnitPicker } from '../exchange/UnitPicker';
import { VerificationPanel } from '../exchange/VerificationPanel';
import { HandwrittenOpinion, keepVoice, OpinionsPanel, PhrasePicker, SheetButton, VoiceSignoff, type VoiceRecording } from '../signoff';
import type { InkDrawing } from '../../../shared/domain/documents/opinion';
import '../../styles/documents.css';
import { describeError, describeProblems, describeReason } from '../../i18n/errors';
import { joinClauses, joinList } from '../../i18n/terms';

/** States in which the body may still change (the server's room rule agrees). */
const textMayChange = new Set(['draft', 'review', 'countersign', 'signoff', 'registering', 'proposing']);

export interface DocumentViewProps {
  id: string;
  onBack: () => void;
}

export function DocumentView({ id, onBack }: DocumentViewProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [local, setLocal] = useState<LocalDocument | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [units, setUnits] = useState<DirectoryUnit[]>([]);
  const [opinion, setOpinion] = useState('');
  /** Who each action goes to, as the person changed it (untouched: the server's default). */
  const [nextHolders, setNextHolders] = useState<NextHolderChoice>({});
  const [ink, setInk] = useState<InkDrawing | null>(null);
  const [dispatchUnits, setDispatchUnits] = useState<string[] | null>(null);
  const [busy, setBusy] = useState<WorkflowAction | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error' | 'info'; text: string } | null>(null);
  // The step that was saved while the server could not be told (待发送): its notice follows it.
  const [queuedClientId, setQueuedClientId] = useState<string | null>(null);
  const [sealing, setSealing] = useState(false);
  const [audit, setAudit] = useState<AuditResponse | null>(null);
  const [pdfBusy, setPdfBusy] = useState(false);
  const [editingFields, setEditingFields] = useState(false);
  /** 语音签批: the recording that goes with the next action; the key resets the recorder after it went. */
  const [voice, setVoice] = useState<{ recording: VoiceRecording | null; key: number }>({ recording: null, key: 0 });
  /** Waits for the body's last edits to be stored: a step must not overtake the text it hands on. */
  const flushBody = useRef<() => Promise<void>>(() => Promise.resolve());
  const setFlush = useCallback((flush: () => Promise<void>) => {
    flushBody.current = flush;
  }, []);
  /** The body's Yjs document (the 修订 view's 拒绝 reverts changes in it). */
  const [bodyDoc, setBodyDoc] = useState<Y.Doc | null>(null);

  /** Reads overlap (events, our own steps); only the latest one may set what is shown. */
  const loadSeq = useRef(0);
  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    const result = await api.documents.get({ id });
    if (seq !== loadSeq.current) return;
    if (!result.ok) {
      setLoadError(describeError(result.error, t));
      return;
    }
    setLoadError(null);
    setLocal(result.value);
    if (!result.value.fromReplica) {
      const trail = await api.documents.audit({ id });
      setAudit(trail.ok ? trail.value : null);
    }
  }, [api, id]);

  useEffect(() => {
    void load();
    void api.session.current({}).then((r) => r.ok && setSession(r.value));
    void api.directory.units({}).then((r) => r.ok && setUnits(r.value.items));
  }, [api, load]);

  useApiEvent('documentsChanged', (payload) => {
    if (payload.ids.includes(id)) void load();
  });
  // Our commands change status (待发送 → 已发送 / 被拒绝) as the outbox works: show it.
  useApiEvent('outboxChanged', () => void load());

  // 待发送 becomes 已办理 (or 被拒绝, with the reason) when the outbox delivers the queued step; the
  // notice said 已保存，待发送 beside a record already showing 已发送.
  const queuedCommand = queuedClientId ? local?.commands.find((c) => c.clientId === queuedClientId) : undefined;
  useEffect(() => {
    if (!queuedCommand || queuedCommand.status === 'pending') return;
    setQueuedClientId(null);
    setMessage(
      queuedCommand.status === 'rejected'
        ? { tone: 'error', text: t('docs.rejected', { reason: describeReason(queuedCommand, t) }) }
        : { tone: 'success', text: t('docs.done', { action: commandSummary(queuedCommand, t) }) },
    );
  }, [queuedCommand, t]);

  const me = session?.user;
  const view = local?.document;
  const unitNames = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const otherUnits = useMemo(() => units.filter((u) => view && u.id !== view.unitId), [units, view]);

  if (loadError && !local) {
    return (
      <div className="doc-view">
        <button type="button" className="link-button" onClick={onBack}>
          {t('docs.back')}
        </button>
        <p className="notice notice--error" role="alert">
          {loadError}
        </p>
      </div>
    );
  }
  if (!local || !view) return <p className="loading">{t('app.loading')}</p>;

  const fields = view.fields;
  // A queued 附件 upload does not hold the person back: it goes out ahead of any later step; nor does
  // the creation of a draft made offline (its body is written meanwhile and follows it).
  const pending = local.commands.filter((c) => c.status === 'pending' && c.kind !== 'document.attachment' && c.kind !== 'document.create');
  const iHold = !!me && view.holders.includes(me.id);
  // 协同拟稿人 write the body with the drafter while it is at 拟稿 (the server's room rule agrees).
  const iCoDraft = !!me && view.state === 'draft' && (view.coDrafters ?? []).some((person) => person.id === me.id);
  const editable = (iHold || iCoDraft) && textMayChange.has(view.state) && pending.length === 0;
  const actions = view.availableActions;
  const showUnits = actions.some((a) => a.action === 'dispatch');
  const defaultUnits = [...fields.mainRecipients, ...fields.ccRecipients].flatMap((r) => (r.unitId ? [r.unitId] : []));
  const chosenUnits = dispatchUnits ?? defaultUnits;
  // The exchange item whose seals' verification this document shows (issue 20), if it was exchanged.
  const exchangedAs = view.sourceExchangeId ?? view.receipts[0]?.exchangeId;

  const act = async (action: WorkflowAction) => {
    setMessage(null);
    if (action === 'seal') {
      await flushBody.current();
      setSealing(true);
      return;
    }
    const text = opinion.trim();
    if (action === 'return' && !text) {
      setMessage({ tone: 'error', text: t('docs.returnNeedsReason') });
      return;
    }
    const available = actions.find((a) => a.action === action);
    const to = available?.recipients ? chosenFor(nextHolders, available) : [];
    if (available?.recipients?.required && to.length === 0) {
      setMessage({ tone: 'error', text: t('nextHolder.choose', { action: available.label }) });
      return;
    }
    if (action === 'dispatch' && chosenUnits.length === 0) {
      setMessage({ tone: 'error', text: t('docs.chooseUnits') });
      return;
    }
    setBusy(action);
    await flushBody.current();
    const kept = voice.recording && action !== 'return' ? await keepVoice(api, id, voice.recording) : null;
    if (kept && !kept.ok) {
      setBusy(null);
      setMessage({ tone: 'error', text: describeError(kept.error, t) });
      return;
    }
    const result = await api.documents.act({
      id,
      action,
      opinion: action === 'return' ? undefined : text || undefined,
      ink: action === 'return' ? undefined : (ink ?? undefined),
      voice: kept?.value,
      reason: action === 'return' ? text : undefined,
      to: to.length > 0 ? [...to] : undefined,
      units: action === 'dispatch' ? chosenUnits : undefined,
    });
    setBusy(null);
    if (!result.ok) {
      setMessage({ tone: 'error', text: describeError(result.error, t) });
      return;
    }
    const { command, document } = result.value;
    if (document) {
      // Newer than any read still on its way.
      loadSeq.current += 1;
      setLocal(document);
    }
    if (command.status === 'rejected') {
      setMessage({ tone: 'error', text: t('docs.rejected', { reason: describeReason(command, t) }) });
      return;
    }
    setOpinion('');
    setNextHolders({});
    setInk(null);
    setVoice((v) => ({ recording: null, key: v.key + 1 }));
    setMessage(command.status === 'pending' ? { tone: 'info', text: t('docs.queued') } : { tone: 'success', text: t('docs.done', { action: commandSummary(command, t) }) });
    setQueuedClientId(command.status === 'pending' ? command.clientId : null);
    void load();
  };

  const downloadPdf = async () => {
    setPdfBusy(true);
    const result = await api.documents.pdf({ id });
    setPdfBusy(false);
    if (!result.ok) {
      setMessage({ tone: 'error', text: describeError(result.error, t) });
      return;
    }
    const blob = new Blob([fromBase64(result.value.base64).slice().buffer], { type: 'application/pdf' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${view.docNumber ? `${view.docNumber} ` : ''}${view.title}.pdf`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const recipients = (list: typeof fields.mainRecipients) => (list.length > 0 ? joinList(list.map((r) => r.name), t) : '—');

  return (
    <article className="doc-view" aria-labelledby="doc-title">
      <div className="doc-view__bar">
        <button type="button" className="link-button" onClick={onBack}>
          {t('docs.back')}
        </button>
        <div className="doc-view__bar-tools">
          <button type="button" className="button button--secondary" onClick={() => void downloadPdf()} disabled={pdfBusy || local.fromReplica}>
            {pdfBusy ? t('docs.pdfPreparing') : t('docs.downloadPdf')}
          </button>
          <SheetButton id={id} title={view.title} disabled={local.fromReplica} onError={(text) => setMessage({ tone: 'error', text })} />
        </div>
      </div>

      {local.fromReplica ? (
        <p className="notice notice--warning" role="status">
          {t('docs.fromReplica')}
        </p>
      ) : null}

      <header className="doc-view__header">
        <div className="doc-view__tags">
          <span className="kind-tag">{view.kind === 'outgoing' ? t('sections.outgoing.label') : t('sections.incoming.label')}</span>
          <span className="kind-tag kind-tag--type">{typeLabel(view.type, t)}</span>
          <span className={`state-tag state-tag--${view.state}`}>{stateLabel(view, t, i18n.language)}</span>
          {fields.urgency !== 'normal' ? <span className={`urgency urgency--${fields.urgency}`}>{urgencyLabel(fields.urgency, t)}</span> : null}
          {fields.secrecy.level !== 'none' ? <span className="secrecy-tag">{secrecyText(fields.secrecy, t)}</span> : null}
          {view.sealed ? <span className="sealed-tag">{t('docs.sealed')}</span> : null}
        </div>
        <h2 id="doc-title" className="doc-view__title">
          {view.title}
        </h2>
        <p className="doc-view__number">{view.docNumber ?? t('docs.notNumbered')}</p>
      </header>

      <div className="doc-view__grid">
        <div className="doc-view__main">
          <section className="panel" aria-labelledby="doc-facts">
            <h3 id="doc-facts" className="panel__title">
              {t('docs.facts')}
              {editable && !editingFields && !local.fromReplica ? (
                <button type="button" className="panel__action" onClick={() => setEditingFields(true)}>
                  {t('docs.edit.open')}
                </button>
              ) : null}
            </h3>
            {editingFields ? (
              <EditFieldsForm
                view={view}
                units={units}
                onCancel={() => setEditingFields(false)}
                onSaved={(saved) => {
                  setLocal(saved);
                  setEditingFields(false);
                  setMessage({ tone: 'success', text: t('docs.edit.saved') });
                }}
              />
            ) : (
            <dl className="facts-grid">
              <dt>{t('docs.field.issuingOrgan')}</dt>
              <dd>{fields.issuingOrgan || '—'}</dd>
              <dt>{t('docs.field.mainRecipients')}</dt>
              <dd>{recipients(fields.mainRecipients)}</dd>
              <dt>{t('docs.field.ccRecipients')}</dt>
              <dd>{recipients(fields.ccRecipients)}</dd>
              <dt>{t('docs.field.secrecy')}</dt>
              <dd>{fields.secrecy.level === 'none' ? t('docs.secrecyNone') : secrecyText(fields.secrecy, t)}</dd>
              <dt>{t('docs.field.urgency')}</dt>
              <dd>{urgencyLabel(fields.urgency, t)}</dd>
              <dt>{t('docs.field.dueDate')}</dt>
              <dd>{fields.dueDate ?? '—'}</dd>
              <dt>{t('docs.field.holders')}</dt>
              <dd>{view.holderNames.length > 0 ? joinList(view.holderNames, t) : '—'}</dd>
              {view.signedOffBy ? (
                <>
                  <dt>{t('docs.field.signedOffBy')}</dt>
                  <dd>
                    {view.signedOffBy.name} · {formatTime(view.signedOffBy.at)}
                  </dd>
                </>
              ) : null}
              <ApprovalConsistency approval={view.approval} />
            </dl>
            )}
          </section>

          <DocumentPdfPreview id={view.id} version={view.updatedAt} />
          {/* Issue 20: what was exchanged shows its seals' verification here too (收文: as signed for; 发文: as sent). */}
          {exchangedAs ? <VerificationPanel exchangeId={exchangedAs} version={view.updatedAt} /> : null}

          <section className="panel" aria-labelledby="doc-body-title">
            <h3 id="doc-body-title" className="panel__title">
              {t('docs.body')}
              {editable ? <span className="panel__hint">{t('docs.bodyEditable')}</span> : null}
            </h3>
            {me ? <CoDraftersPanel view={view} meId={me.id} onSaved={setLocal} /> : null}
            {me ? (
              <BodyEditor
                key={view.id}
                documentId={view.id}
                editable={editable}
                bootstrap={view.state === 'draft' && view.drafterId === me.id}
                username={me.name}
                userId={me.id}
                onDocReady={setBodyDoc}
                onFlushReady={setFlush}
                title={view.title}
                mainRecipients={fields.mainRecipients.map((r) => r.name)}
                exportFrame={exportFrameOf(view)}
              />
            ) : null}
            <RevisionsPanel key={`revisions-${view.id}`} documentId={view.id} version={view.updatedAt} bodyDoc={bodyDoc} />
          </section>

          <OpinionsPanel kind={view.kind} history={view.history} />

          <section className="panel panel--handling" aria-labelledby="doc-handling">
            <h3 id="doc-handling" className="panel__title">
              {t('docs.handling')}
            </h3>
            {actions.length === 0 ? (
              <p className="muted">{iHold ? t('docs.noActionsNow') : t('docs.notHolder', { names: joinList(view.holderNames, t) || '—' })}</p>
            ) : (
              <>
                <label className="field">
                  <span>{t('docs.opinion')}</span>
                  <textarea rows={3} value={opinion} onChange={(e) => setOpinion(e.target.value)} placeholder={t('docs.opinionPlaceholder')} />
                </label>
                <NextHolderPicker actions={actions} choice={nextHolders} fromReplica={local.fromReplica} onChange={(action, ids) => setNextHolders((c) => ({ ...c, [action]: ids }))} />
                <PhrasePicker onPick={(phrase) => setOpinion((current) => current + phrase)} disabled={busy !== null} />
                <HandwrittenOpinion value={ink} onChange={setInk} disabled={busy !== null} />
                <VoiceSignoff key={voice.key} onChange={(recording) => setVoice((v) => ({ ...v, recording }))} disabled={busy !== null} />
                {showUnits ? (
                  <UnitPicker units={otherUnits} chosen={chosenUnits} onChange={setDispatchUnits} legend={t('docs.dispatchTo')} />
                ) : null}
                <div className="action-bar" role="group" aria-label={t('docs.actions')}>
                  {actions.map((a) => (
                    <button
                      key={a.action}
                      type="button"
                      className={`button ${a.action === 'return' || a.action === 'withdraw' ? 'button--secondary' : 'button--primary'}`}
                      disabled={busy !== null || pending.length > 0}
                      onClick={() => void act(a.action)}
                    >
                      {busy === a.action ? t('docs.working') : actionLabel(a.action, t)}
                    </button>
                  ))}
                </div>
              </>
            )}
            {message ? (
              <p className={`notice notice--${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
                {message.text}
              </p>
            ) : null}
            {local.commands.length > 0 ? (
              <div className="commands">
                <h4 className="commands__title">{t('docs.commands')}</h4>
                <ul className="commands__list">
                  {local.commands.map((c) => (
                    <li key={c.clientId} className={`command command--${c.status}`}>
                      <span className="command__status">{t(`docs.commandStatus.${c.status}`)}</span>
                      <span className="command__summary">{commandSummary(c, t)}</span>
                      <time className="command__time" dateTime={c.createdAt}>
                        {formatTime(c.createdAt)}
                      </time>
                      {c.status === 'rejected' && c.reason ? <span className="command__reason">{t('docs.rejectedReason', { reason: describeReason(c, t) })}</span> : null}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>
        </div>

        <aside className="doc-view__side">
          <AttachmentsPanel
            documentId={view.id}
            attachments={fields.attachments}
            canEdit={editable}
            online={!local.fromReplica}
            onChanged={(changed) => {
              // Newer than any read still on its way.
              loadSeq.current += 1;
              setLocal(changed);
            }}
          />
          {view.receipts.length > 0 ? (
            <section className="panel" aria-labelledby="doc-receipts">
              <h3 id="doc-receipts" className="panel__title">
                {t('docs.receipts')}
              </h3>
              <ul className="receipts">
                {view.receipts.map((r) => (
                  <li key={r.exchangeId} className={`receipt receipt--${r.status}`}>
                    <span className="receipt__unit">{r.unitName}</span>
                    <span className="receipt__status">{exchangeStatusLabel(r.status, t)}</span>
                    {r.handledByName ? (
                      <span className="receipt__who">
                        {r.handledByName} · {r.handledAt ? formatTime(r.handledAt) : ''}
                      </span>
                    ) : null}
                    {r.reason ? <span className="receipt__reason">{t('docs.history.reason', { text: r.reason })}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section className="panel" aria-labelledby="doc-history">
            <h3 id="doc-history" className="panel__title">
              {t('docs.history.title')}
            </h3>
            <Timeline history={view.history} unitNames={unitNames} documentId={view.id} />
          </section>
          {audit ? (
            <section className="panel" aria-labelledby="doc-audit">
              <h3 id="doc-audit" className="panel__title">
                {t('docs.audit.title')}
              </h3>
              <p className={audit.valid ? 'audit audit--valid' : 'audit audit--invalid'}>
                {audit.valid ? t('docs.audit.valid', { count: audit.entries.length }) : t('docs.audit.invalid', { problems: joinClauses(describeProblems(audit, t), t) })}
              </p>
            </section>
          ) : null}
        </aside>
      </div>

      {sealing ? (
        <SealDialog
          documentId={id}
          opinion={opinion}
          onCancel={() => setSealing(false)}
          onDone={(text) => {
            setSealing(false);
            setOpinion('');
            setMessage({ tone: 'success', text });
            void load();
          }}
        />
      ) : null}
    </article>
  );
}
