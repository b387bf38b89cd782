/**
 * Bulk exchange actions (批量签收, 全部撤回): one command per item, one after another, so each item
 * gets its own result and the progress moves as each is decided. Bounded by the list given.
 */
import type { Result } from '../../../shared/api/result';
import type { ErrorText } from '../../../shared/errors';

export interface BatchOutcome {
  readonly id: string;
  readonly ok: boolean;
  /** 'applied' | 'pending' (queued offline) when ok; the reason when not. */
  readonly detail: string;
}

type CommandAnswer = Result<{ command: { status: string; reason?: string | undefined; reasonKey?: string | undefined; reasonParams?: ErrorText['params'] } }>;

/** Runs `act` for every id in order, reporting after each; never throws. `describe` words a refusal in the person's language. */
export async function runBatch(ids: readonly string[], act: (id: string) => Promise<CommandAnswer>, onProgress: (outcomes: BatchOutcome[]) => void, describe: (error: ErrorText) => string = (error) => error.message): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const id of ids) {
    let outcome: BatchOutcome;
    try {
      const answer = await act(id);
      if (!answer.ok) outcome = { id, ok: false, detail: describe(answer.error) };
      else if (answer.value.command.status === 'rejected') {
        // The server's refusal, worded by its key like any error.
        const { reason, reasonKey, reasonParams } = answer.value.command;
        outcome = { id, ok: false, detail: describe({ message: reason ?? '', ...(reasonKey ? { key: reasonKey } : {}), ...(reasonParams ? { params: reasonParams } : {}) }) };
      }
      else outcome = { id, ok: true, detail: answer.value.command.status === 'pending' ? 'pending' : 'applied' };
    } catch (error) {
      outcome = { id, ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
    outcomes.push(outcome);
    onProgress([...outcomes]);
  }
  return outcomes;
}

/** `12 分钟` / `3 小时 5 分钟` from minutes, through the caller's translations. */
export function durationText(minutes: number, t: (key: string, values: Record<string, number>) => string): string {
  if (minutes < 60) return t('exchangeDesk.minutes', { count: minutes });
  return t('exchangeDesk.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
