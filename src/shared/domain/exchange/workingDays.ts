/**
 * Working days in a named time zone (the server's): Monday to Friday, minus listed holidays, plus
 * listed make-up working days (调休). Pure: only ECMAScript's Intl, so the server and the client
 * count the same days for the same zone.
 */

/** A calendar day `YYYY-MM-DD`. */
export type CalendarDay = string;

export interface WorkingCalendar {
  /** IANA zone, e.g. `Asia/Shanghai`. */
  readonly timeZone: string;
  /** Days off that fall on weekdays (法定节假日). */
  readonly holidays?: readonly CalendarDay[];
  /** Weekend days worked (调休上班). */
  readonly workdays?: readonly CalendarDay[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is a zone this runtime knows (a config check). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The calendar day of instant `ms` in `timeZone`. */
export function dayIn(ms: number, timeZone: string): CalendarDay {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The zone's offset from UTC at instant `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (ms % 1000));
}

/** The instant local midnight starts `day` in `timeZone` (offsets re-checked once around a change). */
export function startOfDay(day: CalendarDay, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d);
  const first = naive - offsetAt(naive, timeZone);
  return naive - offsetAt(first, timeZone);
}

/** The day after `day`. */
export function nextDay(day: CalendarDay): CalendarDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Whether `day` is a working day of `calendar`. */
export function isWorkingDay(day: CalendarDay, calendar: WorkingCalendar): boolean {
  if (calendar.workdays?.includes(day)) return true;
  if (calendar.holidays?.includes(day)) return false;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The end of the `n`-th working day after instant `ms` (the day of `ms` itself not counted): "within
 * one working day" of something sent on Friday afternoon ends when Monday ends. Bounded: a calendar
 * with no working day for a year stops there.
 */
export function endOfWorkingDays(ms: number, n: number, calendar: WorkingCalendar): number {
  let day = dayIn(ms, calendar.timeZone);
  let counted = 0;
  for (let step = 0; counted < n && step < 366 + n * 7; step += 1) {
    day = nextDay(day);
    if (isWorkingDay(day, calendar)) counted += 1;
  }
  return startOfDay(nextDay(day), calendar.timeZone);
}

/** The day before `day`. */
export function previousDay(day: CalendarDay): CalendarDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * The latest 办理期限 (a plain calendar day) that has passed at instant `now`, counted in the
 * calendar's zone as exchange counts its deadlines. A limit ends when its day ends there, and a limit
 * that falls on a day off runs to the end of the next working day (期限届满日为节假日的，顺延) — so
 * every date up to the last working day before today has passed, and none after it. Being one day,
 * it can filter a store by `due_date <= ?`. Bounded: a year back at most.
 */
export function lastPassedDueDay(now: number, calendar: WorkingCalendar): CalendarDay {
  let day = previousDay(dayIn(now, calendar.timeZone));
  for (let step = 0; step < 366 && !isWorkingDay(day, calendar); step += 1) day = previousDay(day);
  return day;
}

/** Whether the 办理期限 `dueDate` (`YYYY-MM-DD`) has passed at `now` (see `lastPassedDueDay`). */
export function isDueDayPassed(dueDate: CalendarDay, now: number, calendar: WorkingCalendar): boolean {
  return dueDate <= lastPassedDueDay(now, calendar);
}
