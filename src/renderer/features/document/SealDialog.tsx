/**
 * 用印: the clerk picks their certificate file (.p12) and types its password; main signs the frozen
 * PDF with the unit's red official seal and uploads it. The password lives in this dialog's state
 * only until the call returns, and is cleared whatever the outcome.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';
import { toBase64 } from './base64';
import { FormFooter } from './FormFooter';
import { describeError } from '../../i18n/errors';

export interface SealDialogProps {
  documentId: string;
  opinion: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function SealDialog({ documentId, opinion, onDone, onCancel }: SealDialogProps) {
  const { t } = useTranslation();
  const api = useApi();
  const titleId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setError(t('docs.seal.chooseFile'));
      return;
    }
    if (!password) {
      setError(t('docs.seal.enterPassword'));
      return;
    }
    setBusy(true);
    setError(null);
    const p12 = toBase64(new Uint8Array(await file.arrayBuffer()));
    const result = await api.sealing.seal({ id: documentId, p12, password, opinion: opinion.trim() || undefined });
    setPassword('');
    setBusy(false);
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    onDone(t('docs.seal.done', { name: result.value.signerName }));
  };

  return (
    <div className="dialog-backdrop">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onSubmit={(e) => void submit(e)}>
        <h2 id={titleId} className="dialog__title">
          {t('docs.seal.title')}
        </h2>
        <p className="dialog__hint">{t('docs.seal.hint')}</p>
        <label className="field">
          <span>{t('docs.seal.certificate')}</span>
          <input type="file" accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field">
          <span>{t('docs.seal.password')}</span>
          <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <FormFooter error={error} busy={busy} submitLabel={t('docs.seal.confirm')} busyLabel={t('docs.seal.sealing')} onCancel={onCancel} />
      </form>
    </div>
  );
}
