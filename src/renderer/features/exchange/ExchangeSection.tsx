import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';

/** The 交换 (exchange between units) section of the main window. */
export function ExchangeSection() {
  const { t } = useTranslation();
  return (
    <SectionPage title={t('sections.exchange.label')} description={t('sections.exchange.description')}>
      <EmptyState>{t('sections.exchange.empty')}</EmptyState>
    </SectionPage>
  );
}
