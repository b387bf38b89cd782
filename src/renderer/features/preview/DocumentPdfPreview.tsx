/** The document view's preview: the document's current PDF, reloaded whenever the document changes. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';
import { PdfPreview } from './PdfPreview';
import { documentPdfSource } from './pdfSource';
import { describeError } from '../../i18n/errors';

export interface DocumentPdfPreviewProps {
  id: string;
  /** The document's `updatedAt`: a step or a seal changes it, and the PDF with it. */
  version: string;
}

export function DocumentPdfPreview({ id, version }: DocumentPdfPreviewProps) {
  const api = useApi();
  const { t } = useTranslation();
  const source = useMemo(() => {
    const base = documentPdfSource(api, id, (error) => describeError(error, t));
    return { ...base, key: `${base.key}@${version}` };
  }, [api, id, version, t]);
  return <PdfPreview source={source} />;
}
