/**
 * The marked-up body of the 修订 view: insertions underlined in their author's colour, deletions
 * struck through, each with its author's name on hover (title) and in accessible text, so a
 * screen reader says who changed what. Pure presentation (the bench renders it too).
 */
import { useTranslation } from 'react-i18next';
import type { RevisionParagraph, RevisionSegment } from '../../../shared/http/revisions';

function Mark({ segment }: { segment: RevisionSegment }) {
  const { t } = useTranslation();
  if (segment.kind === 'same') return <>{segment.text}</>;
  // No person id: the server does not know who (its name then is 未知, for its Chinese PDF); say so in the interface language.
  const who = (segment.personId && segment.personName) || t('revisions.unknown');
  const what = segment.kind === 'insert' ? t('revisions.inserted', { name: who }) : t('revisions.deleted', { name: who });
  const decided = segment.decision ? t(`revisions.${segment.decision}`) : '';
  const title = decided ? `${what}${t('app.inParentheses', { text: decided })}` : what;
  const style = { color: segment.kind === 'insert' ? segment.color : undefined, textDecorationColor: segment.color };
  const Tag = segment.kind === 'insert' ? 'ins' : 'del';
  return (
    <Tag className={`revision revision--${segment.kind}${segment.decision ? ` revision--${segment.decision}` : ''}`} style={style} title={title} data-change={segment.changeId}>
      {segment.text}
      <span className="visually-hidden">{t('app.inParentheses', { text: title })}</span>
    </Tag>
  );
}

export function RevisionsText({ paragraphs }: { paragraphs: readonly RevisionParagraph[] }) {
  return (
    <div className="revisions__text">
      {paragraphs.map((paragraph, i) => (
        <p key={paragraph.blockId ?? i} className={`revisions__paragraph revisions__paragraph--${paragraph.kind}`}>
          {paragraph.segments.map((segment, j) => (
            <Mark key={segment.changeId ?? `s${j}`} segment={segment} />
          ))}
        </p>
      ))}
    </div>
  );
}
