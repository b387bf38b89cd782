import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';

/** The 发文 (outgoing documents) section of the main window. */
export function OutgoingSection() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('sections.outgoing.label')} description={t('sections.outgoing.description')}>
      <EmptyState>{t('sections.outgoing.empty')}</EmptyState>
    </SectionPage>
  );
}
