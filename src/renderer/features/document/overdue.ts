/** 已超期: whether a list row is past its 办理期限 and still waiting on someone (DOMAIN.md: 催办). */
import { workingStates, type WorkflowState } from '../../../shared/domain/documents/workflow';

/** The person's calendar day of `now` as `YYYY-MM-DD` (办理期限 is a plain date). */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * 已超期 as the server decides it (`overdue`: its working days and time zone, the rule of its 催办);
 * from an older server, whether `dueDate` is before the person's today and the document is still on
 * a working step (shared `workingStates`).
 */
export function isOverdue(item: { dueDate?: string | undefined; state: WorkflowState; overdue?: boolean | undefined }, now: Date = new Date()): boolean {
  if (item.overdue !== undefined) return item.overdue;
  return !!item.dueDate && item.dueDate < localDay(now) && workingStates.has(item.state);
}
