/**
 * 关于 and 导出诊断信息: the versions and environment of this installation, and one button that packs
 * the logs for the administrator. In the desktop app the menu offers the same; in a browser (the
 * web host) this panel is the only way to reach it.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AboutInfo } from '../../../shared/api';
import { useApi } from '../../app/apiContext';
import { SectionPage } from '../../components/SectionPage';
import { describeError } from '../../i18n/errors';

const formatSize = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export function AboutPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const [about, setAbout] = useState<AboutInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api.diagnostics.about({}).then((result) => {
      if (!live) return;
      if (result.ok) setAbout(result.value);
      else setError(describeError(result.error, t));
    });
    return () => {
      live = false;
    };
  }, [api]);

  const exportDiagnostics = async (): Promise<void> => {
    setExporting(true);
    setExported(null);
    setError(null);
    const result = await api.diagnostics.export({});
    setExporting(false);
    if (result.ok) {
      setExported(t('about.exported', { path: result.value.path, count: result.value.entries.length, size: formatSize(result.value.sizeBytes) }));
    } else {
      setError(describeError(result.error, t));
    }
  };

  const runtime = about ? [about.electronVersion ? `Electron ${about.electronVersion}` : null, about.chromeVersion ? `Chromium ${about.chromeVersion}` : null, `Node.js ${about.nodeVersion}`].filter(Boolean).join(' · ') : '';

  return (
    <SectionPage title={t('about.title')} description={t('about.description')}>
      <div className="about">
        {about ? (
          <dl className="facts">
            <dt>{t('about.version')}</dt>
            <dd>{about.appVersion}</dd>
            <dt>{t('about.runtime')}</dt>
            <dd>{runtime}</dd>
            <dt>{t('about.platform')}</dt>
            <dd>
              {about.platform} / {about.arch}
            </dd>
            {about.serverUrl ? (
              <>
                <dt>{t('about.server')}</dt>
                <dd>{about.serverUrl}</dd>
              </>
            ) : null}
            {about.organisationName ? (
              <>
                <dt>{t('about.organisation')}</dt>
                <dd>{about.organisationName}</dd>
              </>
            ) : null}
            <dt>{t('about.deployment')}</dt>
            <dd>{about.deploymentFile ?? t('about.noDeployment')}</dd>
          </dl>
        ) : error ? null : (
          <p className="about__loading" role="status">
            {t('about.loading')}
          </p>
        )}
        <div className="about__export">
          <h2 className="about__subtitle">{t('about.exportTitle')}</h2>
          <p className="about__hint">{t('about.exportHint')}</p>
          {exported ? (
            <p className="notice notice--success" role="status">
              {exported}
            </p>
          ) : null}
          {error ? (
            <p className="notice notice--error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="button" className="button button--secondary" onClick={() => void exportDiagnostics()} disabled={exporting}>
            {exporting ? t('about.exporting') : t('about.export')}
          </button>
        </div>
      </div>
    </SectionPage>
  );
}
