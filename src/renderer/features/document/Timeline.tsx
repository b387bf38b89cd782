/** 流转记录: every step of a document — who, what, the opinion or reason, to whom, when. */
import { useTranslation } from 'react-i18next';
import { SYSTEM_ACTOR, type HistoryEntry } from '../../../shared/domain/documents/workflow';
import { formatTime } from './labels';
import { joinList, termInLanguage } from '../../i18n/terms';
import { describeReason } from '../../i18n/errors';
import { InkImage } from '../signoff/InkImage';
import { VoiceNotePlayer } from '../signoff';

/** `unitNames`: unit id → name, to say where a 分发 went; `documentId` lets a 语音签批 entry fetch its recording. */
export function Timeline({ history, unitNames, documentId }: { history: readonly HistoryEntry[]; unitNames: ReadonlyMap<string, string>; documentId?: string }) {
  const { t, i18n } = useTranslation();
  if (history.length === 0) return <p className="muted">{t('docs.history.empty')}</p>;
  return (
    <ol className="timeline" aria-label={t('docs.history.title')}>
      {history.map((entry, index) => (
        <li key={`${entry.at}-${index}`} className={`timeline__item timeline__item--${entry.action}`}>
          <div className="timeline__head">
            <span className="timeline__actor">{entry.actor === SYSTEM_ACTOR.id ? t('docs.history.system') : entry.actorName}</span>
            {entry.onBehalfOfName ? <span className="timeline__behalf">{t('docs.history.onBehalfOf', { name: entry.onBehalfOfName })}</span> : null}
            <span className="timeline__action">{termInLanguage(entry.label, i18n.language)}</span>
            <time className="timeline__time" dateTime={entry.at}>
              {formatTime(entry.at)}
            </time>
          </div>
          {entry.opinion ? <p className="timeline__opinion">{t('docs.history.opinion', { text: entry.opinion })}</p> : null}
          {entry.opinionInk ? <InkImage drawing={entry.opinionInk} label={t('handwriting.inHistory', { name: entry.actorName })} className="ink-image timeline__ink" /> : null}
          {entry.opinionVoice && documentId ? <VoiceNotePlayer documentId={documentId} voice={entry.opinionVoice} speaker={entry.actorName} /> : null}
          {entry.reason ? <p className="timeline__reason">{t('docs.history.reason', { text: describeReason(entry, t) })}</p> : null}
          {entry.units && entry.units.length > 0 ? (
            <p className="timeline__targets">{t('docs.history.toUnits', { names: joinList(entry.units.map((id) => unitNames.get(id) ?? id), t) })}</p>
          ) : entry.targetNames && entry.targetNames.length > 0 ? (
            <p className="timeline__targets">{t('docs.history.to', { names: joinList(entry.targetNames, t) })}</p>
          ) : null}
          {entry.docNumber ? <p className="timeline__targets">{t('docs.history.number', { number: entry.docNumber })}</p> : null}
        </li>
      ))}
    </ol>
  );
}
