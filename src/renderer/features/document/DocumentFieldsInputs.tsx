/**
 * The inputs for a document's facts (标题, 文种, 密级, 紧急程度, 办理期限, 主送), shared by 拟稿 and
 * 修改信息 so the two forms label and order them the same way — the e2e tests and a clerk's habits
 * both find the controls by these labels.
 */
import { useTranslation } from 'react-i18next';
import { DocumentTypeSchema, SecrecyLevelSchema, UrgencySchema, type DocumentType, type SecrecyLevel, type Urgency } from '../../../shared/domain/documents/model';
import type { DirectoryUnit } from '../../../shared/http/directory';
import { secrecyLabel, typeLabel, urgencyLabel } from './labels';

/** What the inputs edit; `dueDate` is '' when no 办理期限 is set, `recipients` holds unit ids. */
export interface DocumentFieldValues {
  title: string;
  type: DocumentType;
  secrecy: SecrecyLevel;
  urgency: Urgency;
  dueDate: string;
  recipients: readonly string[];
}

export interface DocumentFieldsInputsProps {
  values: DocumentFieldValues;
  onChange: (values: DocumentFieldValues) => void;
  /** The units offered as 主送 (the caller leaves out any that may not be picked). */
  units: readonly DirectoryUnit[];
  titlePlaceholder?: string;
}

/** The controlled field inputs; every change hands back the whole new set of values. */
export function DocumentFieldsInputs({ values, onChange, units, titlePlaceholder }: DocumentFieldsInputsProps) {
  const { t } = useTranslation();
  const set = (patch: Partial<DocumentFieldValues>) => onChange({ ...values, ...patch });
  const { recipients } = values;

  return (
    <>
      <label className="field">
        <span>{t('docs.field.title')}</span>
        <input type="text" value={values.title} maxLength={200} onChange={(e) => set({ title: e.target.value })} placeholder={titlePlaceholder} />
      </label>
      <div className="draft-form__row">
        <SelectField label={t('docs.field.type')} value={values.type} options={DocumentTypeSchema.options} optionLabel={(option) => typeLabel(option, t)} parse={(raw) => DocumentTypeSchema.parse(raw)} onChange={(type) => set({ type })} />
        <SelectField
          label={t('docs.field.secrecy')}
          value={values.secrecy}
          options={SecrecyLevelSchema.options}
          optionLabel={(option) => (option === 'none' ? t('docs.secrecyNone') : secrecyLabel(option, t))}
          parse={(raw) => SecrecyLevelSchema.parse(raw)}
          onChange={(secrecy) => set({ secrecy })}
        />
        <SelectField label={t('docs.field.urgency')} value={values.urgency} options={UrgencySchema.options} optionLabel={(option) => urgencyLabel(option, t)} parse={(raw) => UrgencySchema.parse(raw)} onChange={(urgency) => set({ urgency })} />
        <label className="field">
          <span>{t('docs.field.dueDate')}</span>
          <input type="date" value={values.dueDate} onChange={(e) => set({ dueDate: e.target.value })} />
        </label>
      </div>
      <fieldset className="field units-picker">
        <legend>{t('docs.field.mainRecipients')}</legend>
        {units.map((u) => (
          <label key={u.id} className="check">
            <input type="checkbox" checked={recipients.includes(u.id)} onChange={(e) => set({ recipients: e.target.checked ? [...recipients, u.id] : recipients.filter((x) => x !== u.id) })} />
            {u.name}
          </label>
        ))}
      </fieldset>
    </>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: readonly T[];
  optionLabel: (option: T) => string;
  /** Turns the DOM's string back into a T (the schema's parse), so a foreign value cannot slip in. */
  parse: (raw: string) => T;
  onChange: (value: T) => void;
}

/** A labelled select over one of the domain's enums. */
function SelectField<T extends string>({ label, value, options, optionLabel, parse, onChange }: SelectFieldProps<T>) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(parse(e.target.value))}>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </label>
  );
}
