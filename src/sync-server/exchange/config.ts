/**
 * The exchange part of the server config (`xietong server --config FILE`, key `exchange`): how long
 * each urgency may wait for 签收, the working-day calendar in the server's time zone, and where to
 * refresh CRLs from.
 */
import { z } from 'zod';
import { defaultSignForLimits, isKnownTimeZone, SignForLimitsSchema, type SignForLimits, type WorkingCalendar } from '../../shared/domain/exchange';

const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD');

export const ExchangeConfigSchema = z
  .object({
    /** IANA zone of the working days; default the server process's zone. */
    timeZone: z.string().refine(isKnownTimeZone, '未知的时区').optional(),
    holidays: z.array(DaySchema).max(1000).optional(),
    workdays: z.array(DaySchema).max(1000).optional(),
    deadlines: SignForLimitsSchema.partial().optional(),
    /** http(s) URLs of published CRLs (`xietong ca crl` output), fetched at start and every `crlRefreshMinutes`. */
    crlUrls: z.array(z.string().url().refine((u) => /^https?:\/\//.test(u), '只支持 http 或 https')).max(20).optional(),
    crlRefreshMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
    /** How often the server looks for overdue items to 催收 (minutes). */
    reminderIntervalMinutes: z.number().int().min(1).max(24 * 60).optional(),
  })
  .strict();
export type ExchangeConfigInput = z.infer<typeof ExchangeConfigSchema>;

/** The server config file: sections per module (only `exchange` so far). */
export const ServerConfigFileSchema = z.object({ exchange: ExchangeConfigSchema.optional() }).strict();

export interface ExchangeSettings {
  readonly calendar: WorkingCalendar;
  readonly deadlines: SignForLimits;
  readonly crlUrls: readonly string[];
  readonly crlRefreshMs: number;
  readonly reminderIntervalMs: number;
}

/** The settings with every default filled in. */
export function exchangeSettings(input: ExchangeConfigInput | undefined): ExchangeSettings {
  return {
    calendar: {
      timeZone: input?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      holidays: input?.holidays ?? [],
      workdays: input?.workdays ?? [],
    },
    deadlines: { ...defaultSignForLimits, ...(input?.deadlines ?? {}) },
    crlUrls: input?.crlUrls ?? [],
    crlRefreshMs: (input?.crlRefreshMinutes ?? 60) * 60_000,
    reminderIntervalMs: (input?.reminderIntervalMinutes ?? 10) * 60_000,
  };
}
