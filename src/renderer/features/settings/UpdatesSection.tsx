/**
 * 检查更新 in 设置: asks main to look for an update, shows the download as a progress bar while it
 * runs and then offers 重启并更新. In a browser the answer is that the page updates with the server.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateStatus } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { describeError } from '../../i18n/errors';

const size = (bytes: number): string => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export function UpdatesSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [status, setStatus] = useState<UpdateStatus>({ state: 'idle' });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const offStatus = api.on('updateStatus', (next) => setStatus(next));
    const offProgress = api.on('updateProgress', (progress) =>
      setStatus((current) => (current.state === 'downloading' ? { ...current, progress } : current)),
    );
    void api.updates.status({}).then((result) => {
      if (live && result.ok) setStatus(result.value);
    });
    return () => {
      live = false;
      offStatus();
      offProgress();
    };
  }, [api]);

  const check = async (): Promise<void> => {
    setError(null);
    setStatus({ state: 'checking' });
    const result = await api.updates.check({});
    if (result.ok) setStatus(result.value);
    else {
      setStatus({ state: 'idle' });
      setError(describeError(result.error, t));
    }
  };

  const restart = async (): Promise<void> => {
    const result = await api.updates.restart({});
    if (!result.ok) setError(describeError(result.error, t));
  };

  const describe = (): string | null => {
    switch (status.state) {
      case 'unsupported':
        return t('settings.browserUpdates');
      case 'disabled':
        return describeError(status, t);
      case 'checking':
        return t('settings.checking');
      case 'current':
        return t('settings.current', { version: status.version });
      case 'downloading':
        return t('settings.downloading', { version: status.version });
      case 'downloaded':
        return t('settings.downloaded', { version: status.version });
      case 'failed':
        return t('settings.updateFailed', { message: describeError(status, t) });
      case 'idle':
        return null;
    }
  };
  const text = describe();
  const percent = status.state === 'downloading' ? Math.round(status.progress?.percent ?? 0) : 0;

  return (
    <section className="settings__updates" aria-labelledby="settings-updates-title">
      <h2 id="settings-updates-title" className="about__subtitle">
        {t('settings.updatesTitle')}
      </h2>
      {text ? (
        <p className={status.state === 'failed' ? 'notice notice--warning' : 'notice notice--info'} role="status">
          {text}
        </p>
      ) : null}
      {status.state === 'downloading' ? (
        <div className="settings__progress">
          <progress max={100} value={percent} aria-label={t('settings.progressLabel')} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} />
          {status.progress ? (
            <small>
              {t('settings.progressDetail', { percent, done: size(status.progress.transferred), total: size(status.progress.total), speed: size(status.progress.bytesPerSecond) })}
            </small>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        {status.state === 'downloaded' ? (
          <button type="button" className="button button--primary" onClick={() => void restart()}>
            {t('settings.restartAndUpdate')}
          </button>
        ) : (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void check()}
            disabled={status.state === 'checking' || status.state === 'downloading' || status.state === 'unsupported' || status.state === 'disabled'}
          >
            {t('settings.checkUpdates')}
          </button>
        )}
      </div>
    </section>
  );
}
