/** How document facts read in the interface (the domain's own Chinese terms, from src/shared). */
import {
  documentTypeLabels,
  secrecyLevelLabels,
  urgencyLabels,
  type DocumentType,
  type SecrecyLevel,
  type Urgency,
} from '../../../shared/domain/documents/model';

export const typeLabel = (type: DocumentType): string => documentTypeLabels[type];
/** 平件 for normal: the list shows a word in every row, not a blank. */
export const urgencyLabel = (urgency: Urgency): string => urgencyLabels[urgency] || '平件';
export const secrecyLabel = (level: string): string => secrecyLevelLabels[level as SecrecyLevel] || '非密';

/** `2026-11-22T05:14:00Z` → `2026-11-22 13:14` in the person's time zone. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export const commandStatusLabels = { pending: '待发送', sent: '已发送', rejected: '被拒绝' } as const;
export const exchangeStatusLabels = { pending: '待签收', received: '已签收', returned: '已退回', withdrawn: '已撤回' } as const;
