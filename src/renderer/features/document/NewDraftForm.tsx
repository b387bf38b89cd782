/**
 * 拟稿: a new 发文 with its 标题, 文种 (通知 by default), 主送 units from the directory, 密级 and 紧急程度.
 * 保存 creates it — online or offline: main gives it its id and queues its creation, so it opens at
 * once (marked 拟稿（待发送） until the server has it) and the body is written in the editor.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryUnit } from '../../../shared/http/directory';
import { useApi } from '../../app/apiContext';
import { DocumentFieldsInputs, type DocumentFieldValues } from './DocumentFieldsInputs';
import { FormFooter } from './FormFooter';
import { useFieldsSubmit } from './useFieldsSubmit';
import '../../styles/documents.css';
import { describeError } from '../../i18n/errors';

export interface NewDraftFormProps {
  onCreated: (id: string) => void;
  onCancel: () => void;
}

export function NewDraftForm({ onCreated, onCancel }: NewDraftFormProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [units, setUnits] = useState<DirectoryUnit[]>([]);
  const [values, setValues] = useState<DocumentFieldValues>({ title: '', type: 'notice', secrecy: 'none', urgency: 'normal', dueDate: '', recipients: [] });
  const { title, type, secrecy, urgency, dueDate, recipients } = values;
  const { busy, error, setError, submit } = useFieldsSubmit(
    title,
    () =>
      api.documents.create({
        kind: 'outgoing',
        title: title.trim(),
        type,
        mainRecipients: units.filter((u) => recipients.includes(u.id)).map((u) => ({ unitId: u.id, name: u.name })),
        secrecy: { level: secrecy },
        urgency,
        dueDate: dueDate || undefined,
      }),
    (created) => onCreated(created.document.id),
  );

  useEffect(() => {
    void api.directory.units({}).then((r) => {
      if (r.ok) setUnits(r.value.items);
      else setError(describeError(r.error, t));
    });
  }, [api]);

  return (
    <form className="panel draft-form" onSubmit={(e) => void submit(e)} aria-labelledby="draft-title">
      <h2 id="draft-title" className="panel__title">
        {t('docs.draft.title')}
      </h2>
      <DocumentFieldsInputs values={values} onChange={setValues} units={units} titlePlaceholder={t('docs.draft.titlePlaceholder')} />
      <FormFooter error={error} busy={busy} submitLabel={t('docs.draft.save')} busyLabel={t('docs.working')} onCancel={onCancel} />
    </form>
  );
}
