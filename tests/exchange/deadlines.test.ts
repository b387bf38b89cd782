/** Sign-for deadlines by urgency, counted in working days of a time zone (shared, pure). */
import { describe, expect, it } from 'vitest';
import { dayIn, defaultSignForLimits, endOfWorkingDays, isWorkingDay, signForDeadline, startOfDay, unitGroupOf } from '../../src/shared/domain/exchange';

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
});

describe('unit groups from the directory', () => {
  it('puts district governments and the city organs in their groups', () => {
    expect(unitGroupOf('禅城区人民政府')).toBe('districts');
    expect(unitGroupOf('市发展和改革委员会')).toBe('departments');
    expect(unitGroupOf('某某公司')).toBe('others');
  });
});
