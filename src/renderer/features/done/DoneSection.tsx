import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';

/** The 已办 (done) section of the main window. */
export function DoneSection() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('sections.done.label')} description={t('sections.done.description')}>
      <EmptyState>{t('sections.done.empty')}</EmptyState>
    </SectionPage>
  );
}
