/**
 * The 修订 view of a document (button 修订): pick two versions of the body — by default the last two
 * steps' — and see what changed between them, attributed; the holder of the document 接受s or
 * 拒绝s each change or all at once. 接受 keeps the text and records the decision; 拒绝 reverts the
 * change in the live body through the editor's Yjs document (so it syncs like any edit) and records
 * it. 导出修订 saves the marked-up text as a PDF for the file.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { terms } from '../../i18n/terms';
import type { BodyVersion, ChangeDecision, RevisionSegment, RevisionsResponse } from '../../../shared/http/revisions';
import { useApi } from '../../app/apiContext';
import { revertChange } from './revertChange';
import { RevisionsText } from './RevisionsText';
import '../../styles/revisions.css';
import { describeError } from '../../i18n/errors';

export interface RevisionsPanelProps {
  documentId: string;
  /** Changes when the document does (a step closed a new version). */
  version: string;
  /** The editor's Yjs document; 拒绝 needs it (absent: the editor is not open). */
  bodyDoc: Y.Doc | null;
}

type Change = RevisionSegment & { blockId?: string };

function versionLabel(v: BodyVersion, t: (key: string, options?: Record<string, unknown>) => string): string {
  return t('revisions.versionLabel', { seq: v.seq, step: terms(t).state(v.step), name: v.actorName, time: new Date(v.createdAt).toLocaleString('zh-CN', { hour12: false }) });
}

export function RevisionsPanel({ documentId, version, bodyDoc }: RevisionsPanelProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [versions, setVersions] = useState<BodyVersion[] | null>(null);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [compared, setCompared] = useState<RevisionsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void api.revisions.versions({ documentId }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(describeError(r.error, t));
      setVersions(r.value.versions);
      const list = r.value.versions;
      // The last two steps' versions; with one, that one against the body now.
      if (list.length >= 2) setRange((c) => c ?? { from: list[list.length - 2]!.id, to: list[list.length - 1]!.id });
      else if (list.length === 1) setRange((c) => c ?? { from: list[0]!.id, to: 'current' });
    });
    return () => {
      live = false;
    };
  }, [api, documentId, open, version]);

  const compare = useCallback(async () => {
    if (!range) return;
    const r = await api.revisions.compare({ documentId, ...range });
    if (!r.ok) return setError(describeError(r.error, t));
    setError(null);
    setCompared(r.value);
  }, [api, documentId, range]);

  useEffect(() => {
    if (open) void compare();
  }, [open, compare, version]);

  const changes = useMemo<Change[]>(
    () => (compared?.paragraphs ?? []).flatMap((p) => p.segments.filter((s) => s.kind !== 'same').map((s) => ({ ...s, ...(p.blockId ? { blockId: p.blockId } : {}) }))),
    [compared],
  );
  const pending = changes.filter((c) => !c.decision);
  const mayDecide = (compared?.mayDecide ?? false) && bodyDoc !== null;

  async function decide(targets: Change[], decision: ChangeDecision): Promise<void> {
    if (targets.length === 0) return;
    setBusy(true);
    try {
      if (decision === 'rejected') {
        const failed = targets.filter((c) => !bodyDoc || !revertChange(bodyDoc, c.changeId!, c.text, c.blockId));
        if (failed.length > 0) setError(t('revisions.revertFailed'));
      }
      const r = await api.revisions.decide({ documentId, changeIds: targets.map((c) => c.changeId!), decision });
      if (!r.ok) setError(describeError(r.error, t));
      await compare();
    } finally {
      setBusy(false);
    }
  }

  async function exportPdf(): Promise<void> {
    if (!range) return;
    setBusy(true);
    try {
      const r = await api.revisions.exportPdf({ documentId, ...range });
      if (!r.ok) return setError(describeError(r.error, t));
      const bytes = Uint8Array.from(atob(r.value.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = t('revisions.pdfName');
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
        {t('revisions.open')}
      </button>
    );
  }
  return (
    <section className="panel revisions" aria-label={t('revisions.title')}>
      <h3 className="panel__title">
        {t('revisions.title')}
        <button type="button" className="link-button" onClick={() => setOpen(false)}>
          {t('revisions.close')}
        </button>
      </h3>
      {versions && versions.length === 0 ? <p className="muted">{t('revisions.noVersions')}</p> : null}
      {versions && versions.length > 0 && range ? (
        <div className="revisions__range">
          <label className="field">
            <span>{t('revisions.from')}</span>
            <select value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })}>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {versionLabel(v, t)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('revisions.to')}</span>
            <select value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })}>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {versionLabel(v, t)}
                </option>
              ))}
              <option value="current">{t('revisions.current')}</option>
            </select>
          </label>
          <button type="button" className="button button--secondary" onClick={() => void exportPdf()} disabled={busy}>
            {t('revisions.exportPdf')}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      {compared ? (
        <>
          <RevisionsText paragraphs={compared.paragraphs} />
          {changes.length === 0 ? <p className="muted">{t('revisions.noChanges')}</p> : null}
          {mayDecide && pending.length > 0 ? (
            <div className="revisions__all">
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void decide(pending, 'accepted')}>
                {t('revisions.acceptAll')}
              </button>
              <button type="button" className="button button--secondary" disabled={busy} onClick={() => void decide(pending, 'rejected')}>
                {t('revisions.rejectAll')}
              </button>
            </div>
          ) : null}
          {changes.length > 0 ? (
            <ul className="revisions__changes" aria-label={t('revisions.changes')}>
              {changes.map((change) => {
                const what = t(change.kind === 'insert' ? 'revisions.inserted' : 'revisions.deleted', { name: (change.personId && change.personName) || t('revisions.unknown') });
                return (
                  <li key={change.changeId} aria-label={`${what}“${change.text}”`} className="revisions__change">
                    <span className="revisions__swatch" style={{ background: change.color }} aria-hidden="true" />
                    <span>
                      {what}“{change.text}”
                    </span>
                    {change.decision ? (
                      <span className="revisions__decision">{t(`revisions.${change.decision}`)}</span>
                    ) : mayDecide ? (
                      <>
                        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void decide([change], 'accepted')}>
                          {t('revisions.accept')}
                        </button>
                        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void decide([change], 'rejected')}>
                          {t('revisions.reject')}
                        </button>
                      </>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
