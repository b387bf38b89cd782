/**
 * 附件 of one document: each file with 下载 (a blob: URL, so nothing leaves the app but the file the
 * person asked for); 添加附件 and 删除 only while this person holds the document and its text may
 * change — the server decides the same and its refusal is shown in its own words.
 */
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalDocument } from '../../../shared/api';
import type { Attachment } from '../../../shared/domain/documents/model';
import { useApi } from '../../app/apiContext';
import { fromBase64, toBase64 } from './base64';
import { describeError } from '../../i18n/errors';

/** The server takes at most 50 MB per attachment; refused here before the file is read. */
const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export interface AttachmentsPanelProps {
  documentId: string;
  attachments: readonly Attachment[];
  /** The person holds the document and its text may change: 添加附件 and 删除 are offered. */
  canEdit: boolean;
  /**
   * Removing needs the server: off while shown from the replica. Adding works offline (queued with
   * the file kept locally, sent on reconnect); 下载 offline gives the copy kept on this computer.
   */
  online: boolean;
  /** The document as the server answered after an add or a removal. */
  onChanged: (document: LocalDocument) => void;
}

export function AttachmentsPanel({ documentId, attachments, canEdit, online, onChanged }: AttachmentsPanelProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error' | 'info'; text: string } | null>(null);

  const add = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared at once so the same file can be chosen again after a refusal.
    event.target.value = '';
    if (!file) return;
    setMessage(null);
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setMessage({ tone: 'error', text: t('attachments.tooLarge') });
      return;
    }
    setBusy('add');
    setMessage({ tone: 'info', text: t('attachments.adding') });
    const base64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    const result = await api.attachments.add({ documentId, name: file.name, base64 });
    setBusy(null);
    if (!result.ok) {
      setMessage({ tone: 'error', text: describeError(result.error, t) });
      return;
    }
    onChanged(result.value);
    const queued = !result.value.document.fields.attachments.some((a) => a.name === file.name);
    setMessage(queued ? { tone: 'info', text: t('attachmentsOffline.queued', { name: file.name }) } : { tone: 'success', text: t('attachments.added', { name: file.name }) });
  };

  const download = async (sha256: string, fallbackName: string) => {
    setMessage(null);
    setBusy(sha256);
    const result = await api.attachments.get({ documentId, sha256 });
    setBusy(null);
    if (!result.ok) {
      setMessage({ tone: 'error', text: describeError(result.error, t) });
      return;
    }
    const blob = new Blob([fromBase64(result.value.base64).slice().buffer], { type: 'application/octet-stream' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = result.value.name || fallbackName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const remove = async (sha256: string, name: string) => {
    setMessage(null);
    setBusy(sha256);
    const result = await api.attachments.remove({ documentId, sha256 });
    setBusy(null);
    if (!result.ok) {
      setMessage({ tone: 'error', text: describeError(result.error, t) });
      return;
    }
    onChanged(result.value);
    setMessage({ tone: 'success', text: t('attachments.removed', { name }) });
  };

  return (
    <section className="panel" aria-labelledby="doc-attachments">
      <h3 id="doc-attachments" className="panel__title">
        {t('attachments.title')}
      </h3>
      {attachments.length === 0 ? (
        <p className="muted">{t('attachments.empty')}</p>
      ) : (
        <ul className="attachments" aria-labelledby="doc-attachments">
          {attachments.map((a) => (
            <li key={a.sha256 ?? a.name} className="attachment">
              <span className="attachment__name">{a.name}</span>
              {a.sha256 ? (
                <span className="attachment__tools">
                  <button
                    type="button"
                    className="link-button"
                    aria-label={t('attachments.downloadName', { name: a.name })}
                    disabled={busy !== null}
                    onClick={() => void download(a.sha256 ?? '', a.name)}
                  >
                    {t('attachments.download')}
                  </button>
                  {canEdit ? (
                    <button
                      type="button"
                      className="link-button"
                      aria-label={t('attachments.removeName', { name: a.name })}
                      disabled={busy !== null || !online}
                      onClick={() => void remove(a.sha256 ?? '', a.name)}
                    >
                      {busy === a.sha256 ? t('attachments.removing') : t('attachments.remove')}
                    </button>
                  ) : null}
                </span>
              ) : (
                <span className="muted">{t('attachments.notUploaded')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <label className="field">
          <span>{t('attachments.add')}</span>
          <input type="file" aria-label={t('attachments.add')} disabled={busy !== null} onChange={(e) => void add(e)} />
        </label>
      ) : null}
      {message ? (
        <p className={`notice notice--${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
