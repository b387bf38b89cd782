/**
 * 拟稿: a new 发文 with its 标题, 文种 (通知 by default), 主送 units from the directory, 密级 and 紧急程度.
 * 保存 creates it on the server and opens it, where the body is written in the editor.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DocumentTypeSchema, documentTypeLabels, SecrecyLevelSchema, UrgencySchema, type DocumentType, type SecrecyLevel, type Urgency } from '../../../shared/domain/documents/model';
import type { DirectoryUnit } from '../../../shared/http/directory';
import { useApi } from '../../app/apiContext';
import { secrecyLabel, urgencyLabel } from './labels';
import '../../styles/documents.css';

export interface NewDraftFormProps {
  onCreated: (id: string) => void;
  onCancel: () => void;
}

export function NewDraftForm({ onCreated, onCancel }: NewDraftFormProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<DocumentType>('notice');
  const [units, setUnits] = useState<DirectoryUnit[]>([]);
  const [recipients, setRecipients] = useState<string[]>([]);
  const [secrecy, setSecrecy] = useState<SecrecyLevel>('none');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [dueDate, setDueDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.directory.units({}).then((r) => {
      if (r.ok) setUnits(r.value.items);
      else setError(r.error.message);
    });
  }, [api]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError(t('docs.draft.titleRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await api.documents.create({
      kind: 'outgoing',
      title: title.trim(),
      type,
      mainRecipients: units.filter((u) => recipients.includes(u.id)).map((u) => ({ unitId: u.id, name: u.name })),
      secrecy: { level: secrecy },
      urgency,
      dueDate: dueDate || undefined,
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    onCreated(result.value.document.id);
  };

  return (
    <form className="panel draft-form" onSubmit={(e) => void submit(e)} aria-labelledby="draft-title">
      <h2 id="draft-title" className="panel__title">
        {t('docs.draft.title')}
      </h2>
      <label className="field">
        <span>{t('docs.field.title')}</span>
        <input type="text" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder={t('docs.draft.titlePlaceholder')} />
      </label>
      <div className="draft-form__row">
        <label className="field">
          <span>{t('docs.field.type')}</span>
          <select value={type} onChange={(e) => setType(DocumentTypeSchema.parse(e.target.value))}>
            {DocumentTypeSchema.options.map((option) => (
              <option key={option} value={option}>
                {documentTypeLabels[option]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('docs.field.secrecy')}</span>
          <select value={secrecy} onChange={(e) => setSecrecy(SecrecyLevelSchema.parse(e.target.value))}>
            {SecrecyLevelSchema.options.map((option) => (
              <option key={option} value={option}>
                {option === 'none' ? t('docs.secrecyNone') : secrecyLabel(option)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('docs.field.urgency')}</span>
          <select value={urgency} onChange={(e) => setUrgency(UrgencySchema.parse(e.target.value))}>
            {UrgencySchema.options.map((option) => (
              <option key={option} value={option}>
                {urgencyLabel(option)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('docs.field.dueDate')}</span>
          <input type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
        </label>
      </div>
      <fieldset className="field units-picker">
        <legend>{t('docs.field.mainRecipients')}</legend>
        {units.map((u) => (
          <label key={u.id} className="check">
            <input type="checkbox" checked={recipients.includes(u.id)} onChange={(e) => setRecipients(e.target.checked ? [...recipients, u.id] : recipients.filter((x) => x !== u.id))} />
            {u.name}
          </label>
        ))}
      </fieldset>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('docs.working') : t('docs.draft.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
          {t('docs.cancel')}
        </button>
      </div>
    </form>
  );
}
