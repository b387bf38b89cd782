/**
 * Which box of the paper 处理笺 each step's opinion belongs in: 拟稿/核稿/会签/签发 on the 发文稿纸,
 * 登记/拟办/批示/承办 on the 收文处理笺. The server's PDF and the document view group the 流转记录
 * with this one rule, so they always agree.
 */
import type { InkDrawing, VoiceNote } from './opinion';
import type { HistoryEntry, WorkflowState } from './workflow';

/** The boxes of a 处理笺. */
export type SheetBoxName = 'draft' | 'review' | 'countersign' | 'signoff' | 'register' | 'propose' | 'instruct' | 'handle';

/** The boxes of each sheet, top to bottom, with their printed labels. */
export const sheetBoxes: Readonly<Record<'outgoing' | 'incoming', ReadonlyArray<{ box: SheetBoxName; label: string }>>> = {
  outgoing: [
    { box: 'draft', label: '拟稿' },
    { box: 'review', label: '核稿' },
    { box: 'countersign', label: '会签' },
    { box: 'signoff', label: '签发' },
  ],
  incoming: [
    { box: 'register', label: '登记' },
    { box: 'propose', label: '拟办' },
    { box: 'instruct', label: '批示' },
    { box: 'handle', label: '承办' },
  ],
};

/** The box a step's opinion goes in, by the step it was given at. */
const boxOfStep: Partial<Record<WorkflowState, SheetBoxName>> = {
  draft: 'draft',
  review: 'review',
  countersign: 'countersign',
  signoff: 'signoff',
  registering: 'register',
  proposing: 'propose',
  instructing: 'instruct',
  assigning: 'handle',
  handling: 'handle',
};

/** Steps about moving the paper rather than judging it: on the sheet only when they carry an opinion. */
const clerical = new Set(['remind', 'withdraw', 'transfer']);

/** One opinion as it goes onto the sheet. */
export interface SheetOpinion {
  readonly box: SheetBoxName;
  readonly actorName: string;
  /** The holder a delegate acted for (委托). */
  readonly onBehalfOfName?: string;
  /** ISO time of the step. */
  readonly at: string;
  /** What was done (同意, 退回, 批示 …). */
  readonly label: string;
  readonly text?: string;
  readonly ink?: InkDrawing;
  readonly voice?: VoiceNote;
}

/** The opinions of a 流转记录 in their boxes, oldest first. */
export function sheetOpinions(history: readonly HistoryEntry[]): SheetOpinion[] {
  const out: SheetOpinion[] = [];
  for (const entry of history) {
    const box = boxOfStep[entry.from];
    if (!box) continue;
    const text = [entry.opinion, entry.reason ? `${entry.label}理由：${entry.reason}` : undefined].filter(Boolean).join('\n');
    const hasContent = !!(text || entry.opinionInk || entry.opinionVoice);
    if (clerical.has(entry.action) && !hasContent) continue;
    out.push({
      box,
      actorName: entry.actorName,
      ...(entry.onBehalfOfName ? { onBehalfOfName: entry.onBehalfOfName } : {}),
      at: entry.at,
      label: entry.label,
      ...(text ? { text } : {}),
      ...(entry.opinionInk ? { ink: entry.opinionInk } : {}),
      ...(entry.opinionVoice ? { voice: entry.opinionVoice } : {}),
    });
  }
  return out;
}
