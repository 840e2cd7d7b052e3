import * as z from '#shared/validation/zod';

/**
 * The working calendar (工作日历). Case deadlines in digital urban management are counted in WORKING
 * hours, so a case dispatched on Friday afternoon does not fall due over the weekend or a public holiday.
 *
 * Local time comes from a fixed UTC offset, not a time-zone database: Asia/Shanghai is UTC+8 all year
 * (China has observed no daylight saving time since 1991), so the offset is exact and the module stays
 * pure, with no Date library.
 *
 * Conventions every function here shares:
 * - Working time is half-open: the period 08:30–12:00 contains 08:30 but not 12:00.
 * - A deadline is the EARLIEST instant at which the hours have elapsed, so one that uses up exactly the
 *   rest of a period falls on the period's end (Friday 16:00 + 2 h is Friday 18:00, not Monday 08:30).
 * - Zero hours normalises: a start inside working time is returned as is, any other start moves to the
 *   next period start. Time outside working time counts as zero, so this changes no working-hour sums.
 * - Periods lie within one local day (no overnight shifts).
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Ten years and a leap day or two: no real city goes that long without a working day, a calendar that does is broken. */
const MAX_DAYS_WITHOUT_WORK = 3660;

const LocalTime = z.lazy(() => z.string().check(z.regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM between 00:00 and 24:00')));
/** `YYYY-MM-DD` that exists in the calendar (zod checks month lengths and leap years). */
const LocalDate = z.lazy(() => z.iso.date());

/** One stretch of office hours on a working day, local time, `start` included and `end` excluded. */
const WorkingPeriodSchema = z.lazy(() => z.strict(z.object({ start: LocalTime, end: LocalTime })).check(z.refine((period) => period.start < period.end, { message: 'start must be before end', path: ['end'] })));

/** Validates a city's stored calendar; build one with it (as {@link DEFAULT_CALENDAR} is) rather than by hand. */
export const WorkingCalendarSchema = z.lazy(() => z.strict(z.object({
    /** Minutes east of UTC; 480 for China (UTC+8, no DST). */
    timeZoneOffsetMinutes: z.number().check(z.int(), z.gte(-12 * 60), z.lte(14 * 60)),
    periods: z.array(WorkingPeriodSchema).check(z.minLength(1), z.superRefine((periods, ctx) => {
        periods.forEach((period, index) => {
          const previous = periods[index - 1];
          if (previous && previous.end > period.start) {
            ctx.addIssue({ code: 'custom', message: 'periods must be sorted and must not overlap', path: [index, 'start'] });
          }
        });
      })),
    /** 0 = Sunday … 6 = Saturday. */
    weekendDays: z.array(z.number().check(z.int(), z.gte(0), z.lte(6))),
    /** Local dates off work (放假), whatever day of the week they fall on. */
    holidays: z.array(LocalDate),
    /** Weekend dates worked to make up for a holiday (调休上班). */
    workdays: z.array(LocalDate),
  })).check(z.superRefine((calendar, ctx) => {
    // A date in both lists is a data-entry mistake, not a rule; refuse it rather than pick a winner silently.
    const holidays = new Set(calendar.holidays);
    calendar.workdays.forEach((date, index) => {
      if (holidays.has(date)) {
        ctx.addIssue({ code: 'custom', message: `${date} is both a holiday and a workday`, path: ['workdays', index] });
      }
    });
  })));

/** A city's working calendar: plain JSON, so it can be stored as data and edited without a deployment. */
export type WorkingCalendar = z.infer<typeof WorkingCalendarSchema>;

/**
 * China's default: 08:30–12:00 and 14:30–18:00, Saturday and Sunday off, and the 2026 public holidays and
 * make-up working days from the State Council notice of 2025-11-04 (国务院办公厅关于2026年部分节假日安排的通知).
 * Cities with other office hours, and every city from 2027 on, must store their own calendar: the State
 * Council publishes each year's dates only in the preceding November. Checked against the schema by
 * test/unit/calendar.test.ts, not at every cold start.
 */
export const DEFAULT_CALENDAR: WorkingCalendar = {
  timeZoneOffsetMinutes: 480,
  periods: [
    { start: '08:30', end: '12:00' },
    { start: '14:30', end: '18:00' },
  ],
  weekendDays: [0, 6],
  holidays: [
    ...['2026-01-01', '2026-01-02', '2026-01-03'], // 元旦 New Year
    ...['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'], // 春节 Spring Festival…
    ...['2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'], // …nine days
    ...['2026-04-04', '2026-04-05', '2026-04-06'], // 清明节 Qingming
    ...['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'], // 劳动节 Labour Day
    ...['2026-06-19', '2026-06-20', '2026-06-21'], // 端午节 Dragon Boat
    ...['2026-09-25', '2026-09-26', '2026-09-27'], // 中秋节 Mid-Autumn
    ...['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'], // 国庆节 National Day
  ],
  workdays: [
    '2026-01-04', // Sunday, for New Year
    '2026-02-14', // Saturday, for Spring Festival
    '2026-02-28', // Saturday, for Spring Festival
    '2026-05-09', // Saturday, for Labour Day
    '2026-09-20', // Sunday, for National Day
    '2026-10-10', // Saturday, for National Day
  ],
};

/** One year's holidays and make-up working days, as a city stores them (`PUT /v1/admin/calendar/{year}`). */
export interface CalendarYear {
  year: number;
  holidays: string[];
  workdays: string[];
}

/**
 * `base` with each stored year's holidays and make-up days in place of the base's dates of that year;
 * years nobody stored keep the base's dates (the built-in ones for 2026, none later).
 */
export function withCalendarYears(base: WorkingCalendar, years: readonly CalendarYear[]): WorkingCalendar {
  const stored = new Set(years.map((y) => String(y.year)));
  const keep = (date: string) => !stored.has(date.slice(0, 4));
  return z.parse(WorkingCalendarSchema, {
    ...base,
    holidays: [...base.holidays.filter(keep), ...years.flatMap((y) => y.holidays)].sort(),
    workdays: [...base.workdays.filter(keep), ...years.flatMap((y) => y.workdays)].sort(),
  });
}

/** The years whose holidays the built-in calendar carries (2026): set without anyone storing them. */
export const BUILT_IN_CALENDAR_YEARS: readonly number[] = [...new Set(DEFAULT_CALENDAR.holidays.map((date) => Number(date.slice(0, 4))))];

/**
 * The calendar year a city must set now, if any: holidays of a year nobody set count as working days, so
 * deadlines in it run through its holidays. The State Council publishes a year's dates in the preceding
 * November, so from December 1 (local time: UTC+8 for China) the next year is due; a year that has begun
 * without its calendar is due too. `setYears`: the stored years and {@link BUILT_IN_CALENDAR_YEARS}.
 * Returns the earliest missing year (the current one before the next), or undefined.
 */
export function missingCalendarYear(now: Date, setYears: Iterable<number>, timeZoneOffsetMinutes = DEFAULT_CALENDAR.timeZoneOffsetMinutes): number | undefined {
  const local = new Date(instantMs(now, 'now') + timeZoneOffsetMinutes * MINUTE_MS);
  const year = local.getUTCFullYear();
  const set = new Set(setYears);
  if (!set.has(year)) return year;
  if (local.getUTCMonth() === 11 && !set.has(year + 1)) return year + 1;
  return undefined;
}

/** The calendar in the shape the arithmetic needs: periods in ms after local midnight, lists as sets. */
interface CompiledCalendar {
  offsetMs: number;
  periods: { startMs: number; endMs: number }[];
  weekendDays: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

function compile(calendar: WorkingCalendar): CompiledCalendar {
  const periods = calendar.periods.map((period) => ({ startMs: timeOfDayMs(period.start), endMs: timeOfDayMs(period.end) }));
  // The arithmetic relies on these; an unvalidated calendar that breaks them would give wrong deadlines or never end.
  if (periods.length === 0) throw new Error('Working calendar has no working periods, so no deadline can ever fall due');
  periods.forEach((period, index) => {
    const previous = periods[index - 1];
    if (period.endMs <= period.startMs || (previous && previous.endMs > period.startMs)) {
      throw new Error('Working calendar periods must each start before they end, be sorted and not overlap');
    }
  });
  return {
    offsetMs: calendar.timeZoneOffsetMinutes * MINUTE_MS,
    periods,
    weekendDays: new Set(calendar.weekendDays),
    holidays: new Set(calendar.holidays),
    workdays: new Set(calendar.workdays),
  };
}

function timeOfDayMs(hhmm: string): number {
  const [hours = Number.NaN, minutes = Number.NaN] = hhmm.split(':').map(Number);
  const ms = hours * HOUR_MS + minutes * MINUTE_MS;
  if (!Number.isInteger(ms) || ms < 0 || ms > DAY_MS) throw new Error(`Working calendar time is not HH:MM: ${hhmm}`);
  return ms;
}

/** Days since 1970-01-01 (local dates are counted like UTC ones once the offset is applied). */
function dayIndexOfLocalDate(localDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Date.UTC rolls 2026-02-30 over to March; the round trip catches it.
  if (Number.isNaN(ms) || localDateOfDayIndex(ms / DAY_MS) !== localDate) {
    throw new RangeError(`Not a YYYY-MM-DD date: ${localDate}`);
  }
  return ms / DAY_MS;
}

function localDateOfDayIndex(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Holidays win over make-up workdays (the schema refuses a date in both), which win over weekends. */
function isWorkingDayIndex(calendar: CompiledCalendar, day: number): boolean {
  const date = localDateOfDayIndex(day);
  if (calendar.holidays.has(date)) return false;
  if (calendar.workdays.has(date)) return true;
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return !calendar.weekendDays.has(weekday);
}

function instantMs(at: Date, name: string): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

/** Whether `localDate` (`YYYY-MM-DD`, the calendar's local time) is a working day. */
export function isWorkingDay(calendar: WorkingCalendar, localDate: string): boolean {
  return isWorkingDayIndex(compile(calendar), dayIndexOfLocalDate(localDate));
}

/** Whether `at` lies inside a working period of a working day (period starts included, ends excluded). */
export function isWithinWorkingTime(calendar: WorkingCalendar, at: Date): boolean {
  const compiled = compile(calendar);
  const local = instantMs(at, 'at') + compiled.offsetMs;
  const day = Math.floor(local / DAY_MS);
  const sinceMidnight = local - day * DAY_MS;
  return (
    isWorkingDayIndex(compiled, day) &&
    compiled.periods.some((period) => sinceMidnight >= period.startMs && sinceMidnight < period.endMs)
  );
}

/**
 * The deadline `hours` working hours after `start`: the earliest instant by which that much working time
 * has elapsed, counted from `start` or, outside working time, from the next period start. It may fall on
 * a period end (a deadline at 12:00 is the end of the morning); with `hours` = 0 it is `start` itself
 * inside working time, else the next period start. Hours are rounded to the millisecond. Walks day by
 * day, so 2000 hours cost a few hundred steps.
 *
 * @throws RangeError for an invalid Date or for `hours` negative or not finite.
 * @throws Error when the calendar has no working day in 3660 consecutive days (a misconfiguration that
 *   would otherwise loop forever).
 */
export function addWorkingHours(calendar: WorkingCalendar, start: Date, hours: number): Date {
  const startMs = instantMs(start, 'start');
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be a finite number >= 0, got ${hours}`);
  const compiled = compile(calendar);
  let remaining = Math.round(hours * HOUR_MS);
  const local = startMs + compiled.offsetMs;
  let day = Math.floor(local / DAY_MS);
  let countFrom = local - day * DAY_MS; // ms after local midnight; only the first day starts mid-day
  let daysWithoutWork = 0;
  for (;;) {
    if (isWorkingDayIndex(compiled, day)) {
      daysWithoutWork = 0;
      for (const period of compiled.periods) {
        if (countFrom >= period.endMs) continue;
        const begin = Math.max(countFrom, period.startMs);
        const available = period.endMs - begin;
        // `<=`: hours that use up the period exactly end at its end, the earliest instant they have elapsed.
        if (remaining <= available) return new Date(day * DAY_MS + begin + remaining - compiled.offsetMs);
        remaining -= available;
      }
    } else if (++daysWithoutWork >= MAX_DAYS_WITHOUT_WORK) {
      throw new Error(
        `Working calendar has no working day in ${MAX_DAYS_WITHOUT_WORK} consecutive days up to ` +
          `${localDateOfDayIndex(day)}: check its weekendDays, holidays and workdays`,
      );
    }
    day += 1;
    countFrom = 0;
  }
}

/**
 * Working hours in [`a`, `b`): the time inside working periods between the two instants. Returns 0 when
 * `b` <= `a` (never a negative duration), so "hours used so far" is 0 before a case starts.
 *
 * @throws RangeError for an invalid Date.
 */
export function workingHoursBetween(calendar: WorkingCalendar, a: Date, b: Date): number {
  const aMs = instantMs(a, 'a');
  const bMs = instantMs(b, 'b');
  if (bMs <= aMs) return 0;
  const compiled = compile(calendar);
  const from = aMs + compiled.offsetMs;
  const to = bMs + compiled.offsetMs;
  let workingMs = 0;
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day += 1) {
    if (!isWorkingDayIndex(compiled, day)) continue;
    const midnight = day * DAY_MS;
    for (const period of compiled.periods) {
      const overlap = Math.min(to, midnight + period.endMs) - Math.max(from, midnight + period.startMs);
      if (overlap > 0) workingMs += overlap;
    }
  }
  return workingMs / HOUR_MS;
}
