/** 下载处理笺: the 发文稿纸 / 收文处理笺 the server renders with every step's opinion, as a PDF file. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';
import { fromBase64 } from '../document/base64';
import { describeError } from '../../i18n/errors';

export function SheetButton({ id, title, disabled, onError }: { id: string; title: string; disabled?: boolean; onError: (message: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    const result = await api.documents.sheet({ id });
    setBusy(false);
    if (!result.ok) {
      onError(describeError(result.error, t));
      return;
    }
    const blob = new Blob([fromBase64(result.value.base64).slice().buffer], { type: 'application/pdf' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${title}${t('app.inParentheses', { text: t('handwriting.sheetName') })}.pdf`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <button type="button" className="button button--secondary" onClick={() => void download()} disabled={busy || disabled}>
      {busy ? t('handwriting.sheetPreparing') : t('handwriting.sheet')}
    </button>
  );
}
