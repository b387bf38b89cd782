import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../../shared/api';

/** 在线 / 离线 / 连接中, announced politely to screen readers when it changes. */
export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const { t } = useTranslation();
  return (
    <div
      className={`connection connection--${state}`}
      role="status"
      aria-label={t('connection.label')}
      title={state === 'offline' ? t('connection.offlineHint') : undefined}
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__text">{t(`connection.${state}`)}</span>
    </div>
  );
}
