/**
 * How document facts read in the interface: the domain's words in the interface language
 * (src/renderer/i18n/terms.ts; the Chinese ones are src/shared's).
 */
import type { TFunction } from 'i18next';
import type { DocumentCommand } from '../../../shared/api/documents.contract';
import { PENDING_DRAFT_LABEL, WorkflowActionSchema, workflowStateLabels, type DocumentType, type Urgency, type WorkflowAction, type WorkflowState } from '../../../shared/domain/documents';
import { SecrecyLevelSchema } from '../../../shared/domain/documents/model';
import { terms, termInLanguage, type ExchangeStatus } from '../../i18n/terms';

export const typeLabel = (type: DocumentType, t: TFunction): string => terms(t).type(type);
/** 平件 / Normal for normal: the list shows a word in every row, not a blank. */
export const urgencyLabel = (urgency: Urgency, t: TFunction): string => terms(t).urgency(urgency);
export const secrecyLabel = (level: string, t: TFunction): string => {
  const parsed = SecrecyLevelSchema.safeParse(level);
  return terms(t).secrecy(parsed.success ? parsed.data : 'none');
};
/** 密级 with its 保密期限 as GB/T 9704 writes it (秘密★1年), the level in the interface language. */
export const secrecyText = (secrecy: { level: string; period?: string | undefined }, t: TFunction): string =>
  `${secrecyLabel(secrecy.level, t)}${secrecy.period ? `★${secrecy.period}` : ''}`;
export const exchangeStatusLabel = (status: ExchangeStatus, t: TFunction): string => terms(t).exchangeStatus(status);
export const actionLabel = (action: WorkflowAction, t: TFunction): string => terms(t).action(action);

/**
 * A document's step as the interface says it: the step's word, unless the row carries a label of
 * its own: 拟稿（待发送） for a draft still on this computer is worded here, any other shown as it came.
 */
export function stateLabel(item: { state: WorkflowState; stateLabel: string }, t: TFunction, language: string): string {
  if (item.stateLabel === PENDING_DRAFT_LABEL) return t('docs.pendingDraft');
  return item.stateLabel === workflowStateLabels[item.state] ? terms(t).state(item.state) : termInLanguage(item.stateLabel, language, 'state');
}

/** `2026-11-22T05:14:00Z` → `2026-11-22 13:14` in the person's time zone. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const exchangeActions = new Set(['receive', 'return', 'withdraw', 'remind']);

/** A summary's action code as a word: the exchange's 签收 … or the workflow's terms; an unknown code as it came. */
function actionWord(key: string, action: string, t: TFunction): string {
  if (key.startsWith('exchange')) return exchangeActions.has(action) ? t(`docs.summary.exchangeAction.${action}`) : action;
  const parsed = WorkflowActionSchema.safeParse(action);
  return parsed.success ? terms(t).action(parsed.data) : action;
}

/**
 * What a command of ours did, in the interface language: main sends a key with codes and the
 * person's own text (summaryKey/summaryParams); a command without one (an older main) shows main's
 * Chinese line as it came.
 */
export function commandSummary(command: Pick<DocumentCommand, 'summary' | 'summaryKey' | 'summaryParams'>, t: TFunction): string {
  const key = command.summaryKey;
  if (!key) return command.summary;
  const params = command.summaryParams ?? {};
  const words = {
    ...params,
    action: actionWord(key, params.action ?? '', t),
    voice: params.voice ? t('docs.summary.voice', { duration: params.voice }) : '',
  };
  return t(`docs.summary.${key}`, words);
}
