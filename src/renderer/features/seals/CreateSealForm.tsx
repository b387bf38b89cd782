/**
 * 新建印章 (admins): a name, a kind, the certificate it is bound to (a PEM file of a person of the
 * unit, issued by the organisation's CA), and either the drawn seal (optional text below the star)
 * or an uploaded PNG. The server checks the certificate; its reason is shown when it refuses.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SealKindSchema, type SealKind, type SealView } from '../../../shared/http/seals';
import { useApi } from '../../app/apiContext';
import { OfficialSealSvg } from './SealGraphic';
import { describeError } from '../../i18n/errors';

function toBase64(bytes: ArrayBuffer): string {
  let binary = '';
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function CreateSealForm({ unitId, unitName, onCreated, onCancel }: { unitId: string; unitName: string; onCreated: (seal: SealView) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [name, setName] = useState(`${unitName}公章`);
  const [kind, setKind] = useState<SealKind>('official');
  const [bottomText, setBottomText] = useState('');
  const [certificate, setCertificate] = useState<File | null>(null);
  const [image, setImage] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!certificate) {
      setError(t('seals.create.needCertificate'));
      return;
    }
    setBusy(true);
    setError(null);
    const certificatePem = await certificate.text();
    const imagePngBase64 = image ? toBase64(await image.arrayBuffer()) : undefined;
    const result = await api.seals.create({
      unitId,
      name: name.trim(),
      kind,
      certificatePem,
      ...(bottomText.trim() ? { bottomText: bottomText.trim() } : {}),
      ...(imagePngBase64 ? { imagePngBase64 } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    onCreated(result.value);
  };

  return (
    <form className="seal-create" aria-label={t('seals.create.title')} onSubmit={(e) => void submit(e)}>
      <h2>{t('seals.create.title')}</h2>
      <label className="field">
        <span>{t('seals.create.name')}</span>
        <input type="text" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('seals.create.kind')}</span>
        <select value={kind} onChange={(e) => setKind(SealKindSchema.parse(e.target.value))}>
          {SealKindSchema.options.map((option) => (
            <option key={option} value={option}>
              {t(`seals.kind.${option}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('seals.create.bottomText')}</span>
        <input type="text" value={bottomText} maxLength={20} onChange={(e) => setBottomText(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('seals.create.certificate')}</span>
        <input type="file" accept=".pem,.crt,.cer,application/x-pem-file" onChange={(e) => setCertificate(e.target.files?.[0] ?? null)} />
      </label>
      <label className="field">
        <span>{t('seals.create.image')}</span>
        <input type="file" accept="image/png" onChange={(e) => setImage(e.target.files?.[0] ?? null)} />
      </label>
      {image ? null : <OfficialSealSvg unitName={unitName} bottomText={bottomText} size={96} label={t('seals.create.preview')} />}
      <div className="seal-card__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('seals.create.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('seals.create.cancel')}
        </button>
      </div>
      {error ? (
        <p className="notice notice--error" role="alert" style={{ gridColumn: '1 / -1' }}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
