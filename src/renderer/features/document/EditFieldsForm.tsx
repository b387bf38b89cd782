/**
 * 修改信息: the holder of a step where the text may still change corrects the document's facts
 * (标题, 文种, 密级, 紧急程度, 办理期限, 主送). Sent with the version seen, so a change made meanwhile
 * by someone else is refused (409) rather than overwritten.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryUnit } from '../../../shared/http/directory';
import type { DocumentView } from '../../../shared/http/documents';
import type { LocalDocument } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { DocumentFieldsInputs, type DocumentFieldValues } from './DocumentFieldsInputs';
import { FormFooter } from './FormFooter';
import { useFieldsSubmit } from './useFieldsSubmit';

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
  const [values, setValues] = useState<DocumentFieldValues>({
    title: view.title,
    type: fields.type,
    secrecy: fields.secrecy.level,
    urgency: fields.urgency,
    dueDate: fields.dueDate ?? '',
    recipients: fields.mainRecipients.flatMap((r) => (r.unitId ? [r.unitId] : [])),
  });
  const { title, type, secrecy, urgency, dueDate, recipients } = values;
  const { busy, error, submit } = useFieldsSubmit(
    title,
    () =>
      api.documents.update({
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
    }),
    onSaved,
  );

  return (
    <form className="edit-fields" onSubmit={(e) => void submit(e)} aria-label={t('docs.edit.title')}>
      <DocumentFieldsInputs values={values} onChange={setValues} units={units.filter((u) => u.id !== view.unitId)} />
      <FormFooter error={error} busy={busy} submitLabel={t('docs.edit.save')} busyLabel={t('docs.working')} onCancel={onCancel} />
    </form>
  );
}
