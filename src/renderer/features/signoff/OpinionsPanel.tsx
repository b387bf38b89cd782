/**
 * 处理笺: the opinions as on the paper 公文处理笺: every step's opinion — typed, handwritten (as vectors), spoken
 * (its length) — in the box of its step (拟稿/核稿/会签/签发, or 登记/拟办/批示/承办), with who gave
 * it and when, in the order given. The same grouping as the server's 处理笺 PDF.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../shared/domain/documents/workflow';
import { sheetBoxes, sheetOpinions } from '../../../shared/domain/documents/sheetOpinions';
import { formatTime } from '../document/labels';
import { InkImage } from './InkImage';
import { termInLanguage, terms } from '../../i18n/terms';

const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function OpinionsPanel({ kind, history }: { kind: 'outgoing' | 'incoming'; history: readonly HistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  const opinions = useMemo(() => sheetOpinions(history), [history]);
  return (
    <section className="panel" aria-labelledby="doc-opinions">
      <h3 id="doc-opinions" className="panel__title">
        {t('handwriting.opinions')}
      </h3>
      <table className="opinion-sheet">
        <tbody>
          {sheetBoxes[kind].map(({ box }) => {
            const label = terms(t).sheetBox(box);
            const inBox = opinions.filter((o) => o.box === box);
            return (
              <tr key={box}>
                <th scope="row" className="opinion-sheet__label">
                  {label}
                </th>
                <td className="opinion-sheet__cell">
                  {inBox.length === 0 ? <span className="muted">—</span> : null}
                  {inBox.map((o, i) => (
                    <div key={`${o.at}-${i}`} className="opinion-sheet__entry">
                      {o.text ? <p className="opinion-sheet__text">{o.text}</p> : null}
                      {o.ink ? <InkImage drawing={o.ink} label={t('handwriting.inHistory', { name: o.actorName })} className="ink-image opinion-sheet__ink" /> : null}
                      {o.voice ? <p className="opinion-sheet__voice">{t('handwriting.voice', { duration: duration(o.voice.durationMs) })}</p> : null}
                      <p className="opinion-sheet__sign">
                        {termInLanguage(o.label, i18n.language)} · {o.actorName}
                        {o.onBehalfOfName ? t('docs.history.onBehalfOf', { name: o.onBehalfOfName }) : ''} · <time dateTime={o.at}>{formatTime(o.at)}</time>
                      </p>
                    </div>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
