/**
 * How long a receiving unit has to 签收 an exchanged document, by urgency: 特急 within 2 hours, 加急
 * within 1 working day, 平件 within 3 working days (the deployment's server config may change each),
 * working days counted in the server's time zone.
 */
import { z } from 'zod';
import type { Urgency } from '../documents/model';
import { endOfWorkingDays, type WorkingCalendar } from './workingDays';

const LimitSchema = z.union([
  z.object({ hours: z.number().positive().max(24 * 30) }).strict(),
  z.object({ workingDays: z.number().int().min(1).max(60) }).strict(),
]);
export type SignForLimit = z.infer<typeof LimitSchema>;

/** The deadlines part of the server config (`exchange.deadlines`). */
export const SignForLimitsSchema = z
  .object({ extraUrgent: LimitSchema, urgent: LimitSchema, normal: LimitSchema })
  .strict();
export type SignForLimits = z.infer<typeof SignForLimitsSchema>;

export const defaultSignForLimits: SignForLimits = {
  extraUrgent: { hours: 2 },
  urgent: { workingDays: 1 },
  normal: { workingDays: 3 },
};

/** The instant by which an item sent at `sentAt` with `urgency` must be signed for. */
export function signForDeadline(sentAt: number, urgency: Urgency, limits: SignForLimits, calendar: WorkingCalendar): number {
  const limit = limits[urgency];
  return 'hours' in limit ? sentAt + limit.hours * 3_600_000 : endOfWorkingDays(sentAt, limit.workingDays, calendar);
}

/** The limit in words for the UI and reminders (`2小时`, `1个工作日`). */
export function limitLabel(limit: SignForLimit): string {
  return 'hours' in limit ? `${limit.hours}小时` : `${limit.workingDays}个工作日`;
}
