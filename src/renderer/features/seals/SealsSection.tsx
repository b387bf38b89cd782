import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';

/** The 印章 (seals and certificates) section of the main window. */
export function SealsSection() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('sections.seals.label')} description={t('sections.seals.description')}>
      <EmptyState>{t('sections.seals.empty')}</EmptyState>
    </SectionPage>
  );
}
