import { describe, expect, it } from 'vitest';
import { addWorkingHours, DEFAULT_CALENDAR } from '#shared/domain/calendar';
import { deadlineClock, hoursLeft, limitHours } from '#shared/domain/cases/deadline';
import { DEFAULT_CATALOGUE } from '#shared/domain/reference/default-catalogue';

const shanghai = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

describe('the deadline clock of a case: working hours, or clock hours when urgent', () => {
  it('counts an urgent case\'s hours day and night, a normal case\'s on the working calendar', () => {
    const saturdayNight = shanghai('2026-11-28 22:00');
    expect(deadlineClock(DEFAULT_CALENDAR, 'urgent').add(saturdayNight, 2)).toEqual(shanghai('2026-11-29 00:00'));
    expect(deadlineClock(DEFAULT_CALENDAR, 'normal').add(saturdayNight, 2)).toEqual(addWorkingHours(DEFAULT_CALENDAR, saturdayNight, 2));
    expect(deadlineClock(DEFAULT_CALENDAR, 'normal').add(saturdayNight, 2)).toEqual(shanghai('2026-11-30 10:30'));
    expect(deadlineClock(DEFAULT_CALENDAR, undefined).between(shanghai('2026-11-24 09:00'), shanghai('2026-11-24 15:00'))).toBe(3.5);
    expect(deadlineClock(DEFAULT_CALENDAR, 'urgent').between(shanghai('2026-11-24 09:00'), shanghai('2026-11-24 15:00'))).toBe(6);
  });

  it('takes urgentHours for urgent cases (the working-hour figure where a category has none)', () => {
    expect(limitHours({ timeLimit: { workingHours: 7, urgentHours: 2 } }, 'urgent')).toBe(2);
    expect(limitHours({ timeLimit: { workingHours: 7, urgentHours: 2 } }, 'normal')).toBe(7);
    expect(limitHours({ timeLimit: { workingHours: 7 } }, 'urgent')).toBe(7);
  });

  it('gives no time left once the deadline has passed', () => {
    const dueAt = shanghai('2026-11-25 09:00').toISOString();
    expect(hoursLeft(DEFAULT_CALENDAR, { dueAt }, shanghai('2026-11-24 15:00'))).toBe(3.5);
    expect(hoursLeft(DEFAULT_CALENDAR, { dueAt }, shanghai('2026-11-25 10:00'))).toBe(0);
    expect(hoursLeft(DEFAULT_CALENDAR, { dueAt: undefined }, shanghai('2026-11-25 10:00'))).toBe(0);
  });

  it('sets urgent limits in the default catalogue for hazards, 2 h for a missing manhole cover, never longer than the ordinary limit', () => {
    expect(DEFAULT_CATALOGUE.find((c) => c.code === 'C0101')!.timeLimit).toEqual({ workingHours: 2, urgentHours: 2 });
    const urgent = DEFAULT_CATALOGUE.filter((c) => c.timeLimit.urgentHours !== undefined);
    expect(urgent.length).toBeGreaterThanOrEqual(8);
    for (const c of urgent) expect(c.timeLimit.urgentHours!).toBeLessThanOrEqual(c.timeLimit.workingHours);
  });
});
