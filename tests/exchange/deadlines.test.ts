/** Sign-for deadlines by urgency, counted in working days of a time zone (shared, pure). */
import { describe, expect, it } from 'vitest';
import { dayIn, defaultSignForLimits, endOfWorkingDays, isDueDayPassed, isWorkingDay, lastPassedDueDay, signForDeadline, startOfDay, unitGroupOf } from '../../src/shared/domain/exchange';

const shanghai = { timeZone: 'Asia/Shanghai' };

describe('working days in the server time zone', () => {
  it('counts days in the zone, not in UTC', () => {
    // 2026-12-04 17:30 UTC is already Saturday 01:30 in Shanghai.
    const ms = Date.parse('2026-12-04T17:30:00Z');
    expect(dayIn(ms, 'UTC')).toBe('2026-12-04');
    expect(dayIn(ms, 'Asia/Shanghai')).toBe('2026-12-05');
    expect(startOfDay('2026-12-05', 'Asia/Shanghai')).toBe(Date.parse('2026-12-04T16:00:00Z'));
    expect(startOfDay('2026-03-30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T22:00:00Z'));
  });

  it('skips weekends and holidays and counts make-up working days', () => {
    expect(isWorkingDay('2026-12-04', shanghai)).toBe(true);
    expect(isWorkingDay('2026-12-05', shanghai)).toBe(false);
    expect(isWorkingDay('2026-10-01', { ...shanghai, holidays: ['2026-10-01'] })).toBe(false);
    expect(isWorkingDay('2026-10-10', { ...shanghai, workdays: ['2026-10-10'] })).toBe(true);
  });

  it('gives 加急 until the end of the next working day and 平件 three working days', () => {
    // Friday 15:00 in Shanghai: 加急 by the end of Monday, 平件 by the end of Wednesday.
    const friday = Date.parse('2026-12-04T07:00:00Z');
    expect(signForDeadline(friday, 'urgent', defaultSignForLimits, shanghai)).toBe(Date.parse('2026-12-07T16:00:00Z'));
    expect(signForDeadline(friday, 'normal', defaultSignForLimits, shanghai)).toBe(Date.parse('2026-12-09T16:00:00Z'));
    expect(signForDeadline(friday, 'extraUrgent', defaultSignForLimits, shanghai)).toBe(friday + 2 * 3_600_000);
    // A holiday Monday moves 加急 to Tuesday.
    expect(endOfWorkingDays(friday, 1, { ...shanghai, holidays: ['2026-12-07'] })).toBe(Date.parse('2026-12-08T16:00:00Z'));
    // Configured limits replace the defaults.
    expect(signForDeadline(friday, 'normal', { ...defaultSignForLimits, normal: { hours: 5 } }, shanghai)).toBe(friday + 5 * 3_600_000);
  });

  it('ends a document\'s 办理期限 with its day in the zone, a day off running to the next working day', () => {
    // Tuesday 00:30 in Shanghai (Monday 16:30 UTC): Monday's limit has passed, Tuesday's has not.
    const tuesday = Date.parse('2026-12-07T16:30:00Z');
    expect(lastPassedDueDay(tuesday, shanghai)).toBe('2026-12-07');
    expect(isDueDayPassed('2026-12-07', tuesday, shanghai)).toBe(true);
    expect(isDueDayPassed('2026-12-07', tuesday, { timeZone: 'UTC' })).toBe(false);
    // Monday 00:30: a limit on Saturday or Sunday runs to the end of Monday; Friday's has passed.
    const monday = Date.parse('2026-12-06T16:30:00Z');
    expect(lastPassedDueDay(monday, shanghai)).toBe('2026-12-04');
    expect(isDueDayPassed('2026-12-05', monday, shanghai)).toBe(false);
    // A holiday Friday: Thursday is the last limit passed by Monday.
    expect(lastPassedDueDay(monday, { ...shanghai, holidays: ['2026-12-04'] })).toBe('2026-12-03');
  });
});

describe('unit groups from the directory', () => {
  it('puts district governments and the city organs in their groups', () => {
    expect(unitGroupOf('禅城区人民政府')).toBe('districts');
    expect(unitGroupOf('市发展和改革委员会')).toBe('departments');
    expect(unitGroupOf('某某公司')).toBe('others');
  });
});
