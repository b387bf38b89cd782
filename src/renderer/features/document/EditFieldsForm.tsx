/**
 * 修改信息: the holder of a step where the text may still change corrects the document's facts
 * (标题, 文种, 密级, 紧急程度, 办理期限, 主送). Sent with the version seen, so a change made meanwhile
 * by someone else is refused (409) rather than overwritten.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DocumentTypeSchema, documentTypeLabels, SecrecyLevelSchema, UrgencySchema } from '../../../shared/domain/documents/model';
import type { DirectoryUnit } from '../../../shared/http/directory';
import type { DocumentView } from '../../../shared/http/documents';
import type { LocalDocument } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { secrecyLabel, urgencyLabel } from './labels';

export interface EditFieldsFormProps {
  view: DocumentView;
  units: readonly DirectoryUnit[];
  onSaved: (document: LocalDocument) => void;
  onCancel: () => void;
}

export function EditFieldsForm({ view, units, onSaved, onCancel }: EditFieldsFormProps) {
  const { t } = useTranslation();
  const api = useApi();
  const fields = view.fields;
  const [title, setTitle] = useState(view.title);
  const [type, setType] = useState(fields.type);
  const [secrecy, setSecrecy] = useState(fields.secrecy.level);
  const [urgency, setUrgency] = useState(fields.urgency);
  const [dueDate, setDueDate] = useState(fields.dueDate ?? '');
  const [recipients, setRecipients] = useState(fields.mainRecipients.flatMap((r) => (r.unitId ? [r.unitId] : [])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError(t('docs.draft.titleRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await api.documents.update({
      id: view.id,
      fields: {
        title: title.trim(),
        type,
        // A period only makes sense with a level; dropping the level drops it.
        secrecy: secrecy === 'none' ? { level: 'none' } : { ...fields.secrecy, level: secrecy },
        urgency,
        ...(dueDate ? { dueDate } : {}),
        mainRecipients: units.filter((u) => recipients.includes(u.id)).map((u) => ({ unitId: u.id, name: u.name })),
        version: view.version,
      },
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    onSaved(result.value);
  };

  return (
    <form className="edit-fields" onSubmit={(e) => void submit(e)} aria-label={t('docs.edit.title')}>
      <label className="field">
        <span>{t('docs.field.title')}</span>
        <input type="text" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
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
        {units
          .filter((u) => u.id !== view.unitId)
          .map((u) => (
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
          {busy ? t('docs.working') : t('docs.edit.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
          {t('docs.cancel')}
        </button>
      </div>
    </form>
  );
}
