import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingHours,
  DEFAULT_CALENDAR,
  isWithinWorkingTime,
  isWorkingDay,
  WorkingCalendarSchema,
  type WorkingCalendar,
  workingHoursBetween,
} from '#shared/domain/calendar';

const cal = DEFAULT_CALENDAR;

/** `'2026-11-27 16:00'` in Shanghai local time. */
function shanghai(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}

/** The Shanghai local date and time of `at`, as `['2026-11-27', '16:00:00.000']`. */
function localParts(at: Date): [string, string] {
  const iso = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 23)];
}

function isPeriodEndOnWorkingDay(at: Date): boolean {
  const [date, time] = localParts(at);
  return isWorkingDay(cal, date) && cal.periods.some((period) => time === `${period.end}:00.000`);
}

describe('working calendar: examples', () => {
  it('counts Friday 16:00 + 4 working hours to Monday 10:30 (2 h Friday, 2 h Monday)', () => {
    const due = addWorkingHours(cal, shanghai('2026-11-27 16:00'), 4);
    expect(due.toISOString()).toBe('2026-11-30T02:30:00.000Z');
    expect(workingHoursBetween(cal, shanghai('2026-11-27 16:00'), due)).toBe(4);
  });

  it('gives 沿街晾挂 (1 working day = 7 h) dispatched Tuesday 11:44 a deadline of Wednesday 11:44', () => {
    expect(addWorkingHours(cal, shanghai('2026-11-24 11:44'), 7).toISOString()).toBe('2026-11-25T03:44:00.000Z');
  });

  it('starts counting at 14:30 when a case starts in the lunch break', () => {
    expect(addWorkingHours(cal, shanghai('2026-11-24 12:30'), 1).toISOString()).toBe('2026-11-24T07:30:00.000Z');
  });

  it('starts counting at 08:30 next morning when a case starts in the evening', () => {
    expect(addWorkingHours(cal, shanghai('2026-11-24 20:00'), 1).toISOString()).toBe('2026-11-25T01:30:00.000Z');
  });

  it('starts counting on Monday when a case starts on a weekend', () => {
    expect(addWorkingHours(cal, shanghai('2026-11-28 10:00'), 1).toISOString()).toBe('2026-11-30T01:30:00.000Z');
  });

  it('ends a deadline that uses up a period exactly at the period end, not at the next start', () => {
    expect(addWorkingHours(cal, shanghai('2026-11-27 16:00'), 2).toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(addWorkingHours(cal, shanghai('2026-11-24 08:30'), 3.5).toISOString()).toBe('2026-11-24T04:00:00.000Z');
  });

  it('returns the start for zero hours inside working time and the next period start outside it', () => {
    expect(addWorkingHours(cal, shanghai('2026-11-24 09:00'), 0).toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(addWorkingHours(cal, shanghai('2026-11-24 12:00'), 0).toISOString()).toBe('2026-11-24T06:30:00.000Z');
    expect(addWorkingHours(cal, shanghai('2026-11-27 18:00'), 0).toISOString()).toBe('2026-11-30T00:30:00.000Z');
  });

  it('rolls a deadline started the day before National Day past the whole holiday week', () => {
    // Wednesday 30 Sep: 2 h; 1–7 Oct off; Thursday 8 Oct from 08:30.
    expect(addWorkingHours(cal, shanghai('2026-09-30 16:00'), 4).toISOString()).toBe('2026-10-08T02:30:00.000Z');
    expect(workingHoursBetween(cal, shanghai('2026-09-30 08:30'), shanghai('2026-10-08 08:30'))).toBe(7);
  });

  it('counts the make-up Saturday after National Day as a working day', () => {
    // 2 h on 30 Sep + 7 h on 8 Oct + 7 h on 9 Oct = 16 h, ending Friday 18:00; the 17th hour is Saturday 10 Oct.
    expect(addWorkingHours(cal, shanghai('2026-09-30 16:00'), 16).toISOString()).toBe('2026-10-09T10:00:00.000Z');
    expect(addWorkingHours(cal, shanghai('2026-09-30 16:00'), 17).toISOString()).toBe('2026-10-10T01:30:00.000Z');
    // An ordinary Saturday a week later is not worked.
    expect(addWorkingHours(cal, shanghai('2026-10-16 16:00'), 3).toISOString()).toBe('2026-10-19T01:30:00.000Z');
  });

  it('counts a make-up Sunday (20 Sep, for National Day) as a working day', () => {
    expect(addWorkingHours(cal, shanghai('2026-09-19 10:00'), 1).toISOString()).toBe('2026-09-20T01:30:00.000Z');
  });

  it.each([
    ['2026-11-27', true, 'a Friday'],
    ['2026-11-28', false, 'a Saturday'],
    ['2026-11-29', false, 'a Sunday'],
    ['2026-10-01', false, 'a Thursday on National Day'],
    ['2026-10-03', false, 'a Saturday on National Day'],
    ['2026-10-10', true, 'a make-up Saturday'],
    ['2026-09-20', true, 'a make-up Sunday'],
    ['2026-02-23', false, 'the Monday ending Spring Festival'],
    ['2026-01-04', true, 'the make-up Sunday after New Year'],
  ])('says %s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(cal, date)).toBe(expected);
  });

  it('rejects a local date that does not exist', () => {
    expect(() => isWorkingDay(cal, '2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay(cal, '2026-1-5')).toThrow(RangeError);
  });

  it.each([
    ['2026-11-24 08:30', true],
    ['2026-11-24 11:59', true],
    ['2026-11-24 12:00', false],
    ['2026-11-24 14:30', true],
    ['2026-11-24 18:00', false],
    ['2026-11-24 08:29', false],
    ['2026-11-28 10:00', false],
    ['2026-10-10 10:00', true],
    ['2026-10-05 10:00', false],
  ])('says %s (Shanghai) is within working time: %s', (local, expected) => {
    expect(isWithinWorkingTime(cal, shanghai(local))).toBe(expected);
  });

  it('returns 0 working hours when b is not after a', () => {
    const a = shanghai('2026-11-24 10:00');
    expect(workingHoursBetween(cal, a, a)).toBe(0);
    expect(workingHoursBetween(cal, a, shanghai('2026-11-23 10:00'))).toBe(0);
  });

  it('computes 2000 working hours by whole days and round-trips them', () => {
    const start = shanghai('2026-01-05 08:30');
    const due = addWorkingHours(cal, start, 2000);
    expect(isPeriodEndOnWorkingDay(due) || isWithinWorkingTime(cal, due)).toBe(true);
    expect(workingHoursBetween(cal, start, due)).toBe(2000);
  });

  it('rejects negative, infinite and NaN hours and invalid dates', () => {
    const start = shanghai('2026-11-24 10:00');
    expect(() => addWorkingHours(cal, start, -1)).toThrow(RangeError);
    expect(() => addWorkingHours(cal, start, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => addWorkingHours(cal, start, Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingHours(cal, new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('throws instead of looping forever when a calendar has no working day for ten years', () => {
    const neverWorks: WorkingCalendar = { ...cal, weekendDays: [0, 1, 2, 3, 4, 5, 6], workdays: [], holidays: [] };
    expect(() => addWorkingHours(neverWorks, shanghai('2026-01-01 10:00'), 1)).toThrow(/no working day in 3660 consecutive days/);
  });

  it('still finds a lone working day nine and a half years away', () => {
    const almostNever: WorkingCalendar = { ...cal, weekendDays: [0, 1, 2, 3, 4, 5, 6], workdays: ['2035-06-01'], holidays: [] };
    expect(addWorkingHours(almostNever, shanghai('2026-01-01 10:00'), 1).toISOString()).toBe('2035-06-01T01:30:00.000Z');
  });
});

describe('working calendar: properties', () => {
  const min = shanghai('2026-01-01 00:00');
  const max = shanghai('2026-12-31 23:59');
  const dayMs = 86_400_000;
  // Random instants rarely hit a boundary exactly, so half the instants are period starts/ends, midnight, ±1 ms.
  const boundary = fc
    .tuple(
      fc.integer({ min: 0, max: 364 }),
      fc.constantFrom('00:00', '08:30', '12:00', '14:30', '18:00'),
      fc.constantFrom(-1, 0, 0, 1),
    )
    .map(([day, time, nudgeMs]) => new Date(shanghai(`2026-01-01 ${time}`).getTime() + day * dayMs + nudgeMs));
  const instant = fc.oneof(fc.date({ min, max, noInvalidDate: true }), boundary);
  // Quarter hours keep h1 + h2 exact in binary floating point, so additivity can be asserted to the ms.
  const hours = fc.integer({ min: 0, max: 800 }).map((quarters) => quarters / 4);
  const positiveHours = fc.integer({ min: 1, max: 800 }).map((quarters) => quarters / 4);
  const numRuns = 300;

  it('is monotonic: more hours never give an earlier deadline', () => {
    fc.assert(
      fc.property(instant, hours, hours, (start, h1, h2) => {
        const [low, high] = h1 <= h2 ? [h1, h2] : [h2, h1];
        expect(addWorkingHours(cal, start, low).getTime()).toBeLessThanOrEqual(addWorkingHours(cal, start, high).getTime());
      }),
      { numRuns },
    );
  });

  it('is additive: adding h1 then h2 (> 0) equals adding h1 + h2, to the millisecond', () => {
    // h2 must be > 0: add(t, 0) moves a deadline that fell on a period end (12:00) to the next start
    // (14:30), while add(s, h1 + 0) keeps 12:00. Both are the same point in working time (see next test).
    fc.assert(
      fc.property(instant, hours, positiveHours, (start, h1, h2) => {
        const stepwise = addWorkingHours(cal, addWorkingHours(cal, start, h1), h2);
        expect(stepwise.getTime()).toBe(addWorkingHours(cal, start, h1 + h2).getTime());
      }),
      { numRuns },
    );
  });

  it('adds zero hours to a deadline without adding working time', () => {
    fc.assert(
      fc.property(instant, hours, (start, h) => {
        const due = addWorkingHours(cal, start, h);
        const normalised = addWorkingHours(cal, due, 0);
        expect(normalised.getTime()).toBeGreaterThanOrEqual(due.getTime());
        expect(workingHoursBetween(cal, due, normalised)).toBe(0);
      }),
      { numRuns },
    );
  });

  it('lands inside working time, or exactly on a working period end when hours > 0', () => {
    fc.assert(
      fc.property(instant, hours, (start, h) => {
        const due = addWorkingHours(cal, start, h);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        if (h === 0) expect(isWithinWorkingTime(cal, due)).toBe(true);
        else expect(isWithinWorkingTime(cal, due) || isPeriodEndOnWorkingDay(due)).toBe(true);
      }),
      { numRuns },
    );
  });

  it('gives the earliest deadline: one millisecond before it, the hours have not yet elapsed', () => {
    fc.assert(
      fc.property(instant, positiveHours, (start, h) => {
        const due = addWorkingHours(cal, start, h);
        expect(workingHoursBetween(cal, start, new Date(due.getTime() - 1))).toBeLessThan(h);
      }),
      { numRuns },
    );
  });

  it('round-trips: the working hours from start to add(start, h) are h, from any start', () => {
    // Holds outside working time too: the skipped time before the first period counts as zero.
    fc.assert(
      fc.property(instant, hours, (start, h) => {
        expect(Math.abs(workingHoursBetween(cal, start, addWorkingHours(cal, start, h)) - h)).toBeLessThan(1e-6);
      }),
      { numRuns },
    );
  });

  it('splits working hours additively at any point between a and c', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a = x, b = y, c = z] = [x, y, z].sort((p, q) => p.getTime() - q.getTime());
        const whole = workingHoursBetween(cal, a, c);
        expect(Math.abs(whole - (workingHoursBetween(cal, a, b) + workingHoursBetween(cal, b, c)))).toBeLessThan(1e-9);
        expect(whole).toBeLessThanOrEqual((c.getTime() - a.getTime()) / 3_600_000);
      }),
      { numRuns },
    );
  });

  it('counts no working hours backwards', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        if (b.getTime() <= a.getTime()) expect(workingHoursBetween(cal, a, b)).toBe(0);
        else expect(workingHoursBetween(cal, a, b)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns },
    );
  });
});

describe('WorkingCalendarSchema', () => {
  function issuePaths(candidate: unknown): string[] {
    const result = WorkingCalendarSchema.safeParse(candidate);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  }

  it('accepts the default calendar after a JSON round trip, unchanged', () => {
    expect(WorkingCalendarSchema.parse(JSON.parse(JSON.stringify(DEFAULT_CALENDAR)))).toEqual(DEFAULT_CALENDAR);
  });

  it('rejects overlapping periods', () => {
    const periods = [
      { start: '08:30', end: '12:00' },
      { start: '11:30', end: '18:00' },
    ];
    expect(issuePaths({ ...cal, periods })).toEqual(['periods.1.start']);
  });

  it('rejects unsorted periods', () => {
    const periods = [
      { start: '14:30', end: '18:00' },
      { start: '08:30', end: '12:00' },
    ];
    expect(issuePaths({ ...cal, periods })).toEqual(['periods.1.start']);
  });

  it('accepts periods that touch, since an end is excluded', () => {
    const periods = [
      { start: '08:30', end: '12:00' },
      { start: '12:00', end: '13:00' },
    ];
    expect(issuePaths({ ...cal, periods })).toEqual([]);
  });

  it.each([
    [{ start: '12:00', end: '08:30' }, 'periods.0.end'],
    [{ start: '08:30', end: '08:30' }, 'periods.0.end'],
    [{ start: '8:30', end: '12:00' }, 'periods.0.start'],
    [{ start: '08:30', end: '24:30' }, 'periods.0.end'],
  ])('rejects the period %o at %s', (period, path) => {
    expect(issuePaths({ ...cal, periods: [period] })).toContain(path);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-10-1', '2027-02-29'])('rejects the holiday %s', (date) => {
    expect(issuePaths({ ...cal, holidays: [date] })).toEqual(['holidays.0']);
  });

  it('accepts a leap day', () => {
    expect(issuePaths({ ...cal, holidays: ['2028-02-29'] })).toEqual([]);
  });

  it('rejects a date that is both a holiday and a workday', () => {
    expect(issuePaths({ ...cal, holidays: ['2026-10-10'] })).toEqual(['workdays.5']);
  });

  it('rejects a weekday outside 0–6, no periods and unknown keys', () => {
    expect(issuePaths({ ...cal, weekendDays: [7] })).toEqual(['weekendDays.0']);
    expect(issuePaths({ ...cal, periods: [] })).toEqual(['periods']);
    expect(issuePaths({ ...cal, holiday: [] })).toEqual(['']);
  });
});
