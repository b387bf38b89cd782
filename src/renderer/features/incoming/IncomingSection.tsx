import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';

/** The 收文 (incoming documents) section of the main window. */
export function IncomingSection() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('sections.incoming.label')} description={t('sections.incoming.description')}>
      <EmptyState>{t('sections.incoming.empty')}</EmptyState>
    </SectionPage>
  );
}
