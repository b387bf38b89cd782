import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';

/** The 消息 (messages) section of the main window. */
export function MessagesSection() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('sections.messages.label')} description={t('sections.messages.description')}>
      <EmptyState>{t('sections.messages.empty')}</EmptyState>
    </SectionPage>
  );
}
