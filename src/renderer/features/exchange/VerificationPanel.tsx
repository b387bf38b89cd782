/**
 * 签章验证: the server's check of every signature and seal of an exchanged document — 有效 / 无效 /
 * 已撤销 / 不受信任, who signed, when, which unit's seal, and whether anything but further signatures
 * was appended. Both ends of the exchange show it; the receiving side may 签收 only what is 有效.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeVerification } from '../../../shared/http/exchange';
import { useApi } from '../../app/apiContext';
import { formatTime } from '../document/labels';
import { describeError, describeProblems } from '../../i18n/errors';
import { joinClauses } from '../../i18n/terms';

export interface VerificationPanelProps {
  exchangeId: string;
  /** Told the result once known (the item view enables 签收 only when it is 有效). */
  onResult?: (verification: ExchangeVerification | null) => void;
  /** Changes when the item changed (re-check). */
  version?: string;
}

export function VerificationPanel({ exchangeId, onResult, version }: VerificationPanelProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [result, setResult] = useState<ExchangeVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The parent's callback may change every render; the check runs again only for a new item or version.
  const report = useRef(onResult);
  report.current = onResult;

  useEffect(() => {
    let live = true;
    setResult(null);
    setError(null);
    void api.exchange.verification({ id: exchangeId }).then((answer) => {
      if (!live) return;
      if (answer.ok) {
        setResult(answer.value);
        report.current?.(answer.value);
      } else {
        setError(describeError(answer.error, t));
        report.current?.(null);
      }
    });
    return () => {
      live = false;
    };
  }, [api, exchangeId, version]);

  return (
    <section className="verification" aria-label={t('exchangeDesk.verification')}>
      <h3>{t('exchangeDesk.verification')}</h3>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : !result ? (
        <p className="loading">{t('exchangeDesk.verifying')}</p>
      ) : (
        <>
          <p className={`verdict verdict--${result.verdict}`}>{t('exchangeDesk.verdictOverall', { verdict: t(`exchangeDesk.verdict.${result.verdict}`) })}</p>
          {describeProblems(result, t).map((problem) => (
            <p key={problem} className="verification__problem">
              {problem}
            </p>
          ))}
          <ol className="verification__signatures">
            {result.signatures.map((s) => (
              <li key={s.index} className={`signature-result signature-result--${s.verdict}`} aria-label={t('exchangeDesk.signatureLine', { index: s.index })}>
                <span className={`verdict verdict--${s.verdict}`}>{t(`exchangeDesk.verdict.${s.verdict}`)}</span>
                {s.signerName ? <span>{t('exchangeDesk.signer', { name: s.signerName })}</span> : null}
                {s.sealName ? <span>{t('exchangeDesk.seal', { name: s.sealName })}</span> : s.unitName ? <span>{t('exchangeDesk.unit', { name: s.unitName })}</span> : null}
                {s.signedAt ? <span>{t('exchangeDesk.signedAt', { time: formatTime(s.signedAt) })}</span> : null}
                <span>{s.onlySignaturesAppended ? t('exchangeDesk.onlySignatures') : t('exchangeDesk.otherChanges')}</span>
                {s.problems.length > 0 ? <span className="verification__problem">{joinClauses(describeProblems(s, t), t)}</span> : null}
              </li>
            ))}
          </ol>
          <p className="muted">{result.crlCount > 0 ? t('exchangeDesk.crls', { count: result.crlCount }) : t('exchangeDesk.noCrls')}</p>
        </>
      )}
    </section>
  );
}
