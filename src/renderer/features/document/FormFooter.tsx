/**
 * The end of every document form and dialog: the error (announced via role="alert") and the
 * submit/取消 buttons, both disabled while the call is under way so it cannot be sent twice.
 */
import { useTranslation } from 'react-i18next';

export interface FormFooterProps {
  error: string | null;
  busy: boolean;
  /** The submit button's label when idle (e.g. 保存, 确认用印). */
  submitLabel: string;
  /** The submit button's label while busy. */
  busyLabel: string;
  onCancel: () => void;
}

/** Error notice plus the primary submit and the 取消 button. */
export function FormFooter({ error, busy, submitLabel, busyLabel, onCancel }: FormFooterProps) {
  const { t } = useTranslation();
  return (
    <>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
          {t('docs.cancel')}
        </button>
      </div>
    </>
  );
}
