/**
 * 催办 by itself: a bounded background job that reminds the holders of documents past their 办理期限
 * (`fields.dueDate`). DOMAIN.md makes 催办 mandatory; people forget to press the button, so the
 * server does it once per document per day.
 *
 * Each reminder is written like the manual `remind` action: one 流转记录 entry (actor 系统), one
 * audit entry in the same transaction, a new change number so the holders' lists refresh. The
 * workflow state does not change. "Once per day" is kept in `document_overdue_reminders`
 * (documents-003), so a restart or a second instance on the same store does not remind twice.
 *
 * Days are the server's, counted as exchange counts them (`exchange.timeZone`, `holidays`, `workdays`
 * of the server config; `lastPassedDueDay` in the shared working-day rule): a 办理期限 has passed
 * once its day has ended in the server's zone — not UTC's, which in 北京时间 ends eight hours late —
 * and one that falls on a day off runs to the end of the next working day. The system reminds on
 * working days only: nobody is at the desk on a Sunday to read it.
 */
import { SYSTEM_ACTOR, workflowActionLabels, workingStates, type HistoryEntry } from '../../shared/domain/documents';
import { errorText } from '../../shared/errors';
import { dayIn, isDueDayPassed, isWorkingDay, lastPassedDueDay, type WorkingCalendar } from '../../shared/domain/exchange';
import { appendAudit } from '../audit/auditLog';
import type { ServerDeps } from '../deps';
import { exchangeSettings } from '../exchange/config';
import type { ChangeFeed } from './changeFeed';
import { loadDocument, saveDocument } from './repository';

/** The system's identity in 流转记录 and the audit chain. */

/** Default pause between runs. */
export const DEFAULT_OVERDUE_INTERVAL_MS = 10 * 60 * 1000;

/** Most documents looked at per run (the next run continues; every loop here is bounded). */
const BATCH = 500;

/** Steps on which someone is working on the document (shared `workingStates`, as the manual 催办). */
const remindableStates = [...workingStates];

export interface OverdueReminderOptions {
  /** Pause between runs in ms. Default 10 minutes. */
  intervalMs?: number;
}

export interface OverdueReminders {
  /** Reminds every overdue document not yet reminded on `now`'s day (the server's); resolves to the reminded ids. */
  runOnce(now: number): Promise<string[]>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** The server's working-day calendar (the `exchange` section of its config; defaults there). */
export const serverCalendar = (deps: Pick<ServerDeps, 'exchange'>): WorkingCalendar => exchangeSettings(deps.exchange).calendar;

/**
 * Creates the job. With `start`, the first run comes after one interval (a freshly started server
 * does not write before anyone asked), then every interval until `stop()`.
 */
export function createOverdueReminders(
  deps: Pick<ServerDeps, 'db' | 'now' | 'log' | 'exchange'>,
  feed: ChangeFeed | undefined,
  options: OverdueReminderOptions & { start?: boolean } = {},
): OverdueReminders {
  const log = deps.log.child({ module: 'overdue-reminders' });
  const calendar = serverCalendar(deps);
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function remindOne(id: string, now: number, day: string): Promise<boolean> {
    return deps.db.transaction(async (tx) => {
      const doc = await loadDocument(tx, id);
      if (!doc?.fields.dueDate || !isDueDayPassed(doc.fields.dueDate, now, calendar)) return false;
      const { workflow } = doc;
      const targets = workflow.holders.filter((h) => !workflow.answered.includes(h));
      if (!remindableStates.includes(workflow.state) || targets.length === 0) return false;
      // The marker row is the once-per-day rule: a second run (or instance) finds it and stops.
      const marked = await tx.run('INSERT INTO document_overdue_reminders (document_id, day, reminded_at) VALUES (?, ?, ?) ON CONFLICT (document_id, day) DO NOTHING', [
        id,
        day,
        now,
      ]);
      if (marked.changes !== 1) return false;
      // The reason is kept in 流转记录 in Chinese, with its key so the English interface words it.
      const reason = { dueDate: doc.fields.dueDate };
      const entry: HistoryEntry = {
        at: new Date(now).toISOString(),
        actor: SYSTEM_ACTOR.id,
        actorName: SYSTEM_ACTOR.name,
        action: 'remind',
        label: workflowActionLabels.remind,
        from: workflow.state,
        to: workflow.state,
        reason: errorText('workflow.pastDue', reason).message,
        reasonKey: 'workflow.pastDue',
        reasonParams: reason,
        targets,
      };
      // Like `stay` in the state machine: same state, next version, one more 流转记录 entry.
      const next = { ...doc, workflow: { ...workflow, version: workflow.version + 1, history: [...workflow.history, entry] }, updatedAt: now };
      await saveDocument(tx, next, workflow.version);
      await appendAudit(tx, { documentId: id, at: now, actorId: SYSTEM_ACTOR.id, actorName: SYSTEM_ACTOR.name, action: 'remind', payload: entry });
      return true;
    });
  }

  async function run(now: number): Promise<string[]> {
    const day = dayIn(now, calendar.timeZone);
    if (!isWorkingDay(day, calendar)) return [];
    const rows = await deps.db.all<{ id: string }>(
      `SELECT d.id FROM documents d WHERE d.due_date IS NOT NULL AND d.due_date <= ? AND d.state IN (${remindableStates.map(() => '?').join(', ')})
         AND NOT EXISTS (SELECT 1 FROM document_overdue_reminders r WHERE r.document_id = d.id AND r.day = ?)
       ORDER BY d.due_date, d.id LIMIT ${BATCH}`,
      [lastPassedDueDay(now, calendar), ...remindableStates, day],
    );
    const reminded: string[] = [];
    for (const { id } of rows) {
      try {
        if (await remindOne(id, now, day)) reminded.push(id);
      } catch (error) {
        // Someone acted at the same moment (409) or the row is bad: skip it, the next run retries.
        log.warn('overdue reminder skipped', { documentId: id, error });
      }
    }
    if (reminded.length > 0) {
      feed?.notify();
      log.info('overdue reminders sent', { documents: reminded.length, day });
    }
    return reminded;
  }

  function runOnce(now: number): Promise<string[]> {
    const p = run(now);
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    running = settled.finally(() => {
      if (running === settled) running = undefined;
    });
    return p;
  }

  const intervalMs = options.intervalMs ?? DEFAULT_OVERDUE_INTERVAL_MS;
  const timer = options.start
    ? setInterval(() => {
        if (stopped || running) return;
        running = run(deps.now())
          .catch((error: unknown) => log.error('overdue reminder run failed', { error }))
          .finally(() => {
            running = undefined;
          });
      }, intervalMs)
    : undefined;
  // The job never keeps the process alive on its own.
  timer?.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
