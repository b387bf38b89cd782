import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';

/** The 待办 (to-do) section of the main window. */
export function TodoSection() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('sections.todo.label')} description={t('sections.todo.description')}>
      <EmptyState>{t('sections.todo.empty')}</EmptyState>
    </SectionPage>
  );
}
