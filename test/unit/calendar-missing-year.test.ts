import { describe, expect, it } from 'vitest';
import { BUILT_IN_CALENDAR_YEARS, missingCalendarYear } from '#shared/domain/calendar';
import { CALENDAR_METRIC, metricRecord, putMetric } from '#shared/observability/metrics';

/** An instant given as Shanghai local time, e.g. `'2026-12-01 00:00:00'`. */
const shanghai = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);

describe('the calendar year a city must set now (missingCalendarYear)', () => {
  const set2026 = [2026];

  it('asks for next year from December 1, 00:00 Asia/Shanghai, and not a second before', () => {
    expect(missingCalendarYear(shanghai('2026-11-30 23:59:59'), set2026)).toBeUndefined();
    expect(missingCalendarYear(shanghai('2026-12-01 00:00:00'), set2026)).toBe(2027);
    // The same instants in UTC: Shanghai's December starts on November 30 at 16:00 UTC.
    expect(missingCalendarYear(new Date('2026-11-30T15:59:59.999Z'), set2026)).toBeUndefined();
    expect(missingCalendarYear(new Date('2026-11-30T16:00:00Z'), set2026)).toBe(2027);
    expect(missingCalendarYear(shanghai('2026-12-31 23:59:59'), set2026)).toBe(2027);
  });

  it('keeps asking across the year boundary: a year that has begun without its calendar is missing too', () => {
    // 2027-01-01 00:00 Shanghai is still 2026 in UTC.
    expect(new Date(shanghai('2027-01-01 00:00:00')).getUTCFullYear()).toBe(2026);
    expect(missingCalendarYear(shanghai('2027-01-01 00:00:00'), set2026)).toBe(2027);
    expect(missingCalendarYear(shanghai('2027-06-15 12:00:00'), set2026)).toBe(2027);
    // The current year before the next one.
    expect(missingCalendarYear(shanghai('2027-12-05 09:00:00'), set2026)).toBe(2027);
  });

  it('is satisfied once the year is set, and asks again the next December', () => {
    expect(missingCalendarYear(shanghai('2026-12-01 00:00:00'), [2026, 2027])).toBeUndefined();
    expect(missingCalendarYear(shanghai('2027-11-30 23:59:59'), [2026, 2027])).toBeUndefined();
    expect(missingCalendarYear(shanghai('2027-12-01 00:00:00'), [2026, 2027])).toBe(2028);
    expect(missingCalendarYear(shanghai('2028-12-01 08:00:00'), [2027, 2028, 2029])).toBeUndefined();
  });

  it('counts the built-in year (2026) as set, and uses the calendar offset given', () => {
    expect(BUILT_IN_CALENDAR_YEARS).toEqual([2026]);
    expect(missingCalendarYear(shanghai('2026-07-01 10:00:00'), BUILT_IN_CALENDAR_YEARS)).toBeUndefined();
    // A city at UTC+0: its December starts 8 hours after Shanghai's.
    expect(missingCalendarYear(new Date('2026-11-30T23:59:59Z'), set2026, 0)).toBeUndefined();
    expect(missingCalendarYear(new Date('2026-12-01T00:00:00Z'), set2026, 0)).toBe(2027);
    expect(() => missingCalendarYear(new Date('nope'), set2026)).toThrow(RangeError);
  });
});

describe('the CalendarYearMissing metric (embedded metric format)', () => {
  it('is one JSON line CloudWatch reads as CityGrid/CalendarYearMissing by stack', () => {
    const lines: string[] = [];
    putMetric(metricRecord(CALENDAR_METRIC, 1, { Stack: 'CityGrid-prod' }, new Date('2026-12-01T01:00:00Z')), (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({
      _aws: { Timestamp: Date.parse('2026-12-01T01:00:00Z'), CloudWatchMetrics: [{ Namespace: 'CityGrid', Dimensions: [['Stack']], Metrics: [{ Name: 'CalendarYearMissing', Unit: 'Count' }] }] },
      Stack: 'CityGrid-prod',
      CalendarYearMissing: 1,
    });
  });
});
