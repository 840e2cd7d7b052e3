import { describe, expect, it } from 'vitest';
import { isTimely, localDayBounds, minutesByLocalDay, onDutyAt, OUTSIDE_GAP_CAP_MS, summarizeTrack } from '#shared/domain/duty/track';

const at = (hhmm: string, day = '2026-05-12') => new Date(`${day}T${hhmm}:00.000+08:00`).toISOString();

describe('duty track rules (考勤 · 轨迹)', () => {
  it('accepts client times within the last 24 h and at most 5 min ahead', () => {
    const now = new Date('2026-05-12T04:00:00.000Z');
    expect(isTimely(new Date(now.getTime() - 24 * 3600_000), now)).toBe(true);
    expect(isTimely(new Date(now.getTime() - 24 * 3600_000 - 1), now)).toBe(false);
    expect(isTimely(new Date(now.getTime() + 5 * 60_000), now)).toBe(true);
    expect(isTimely(new Date(now.getTime() + 5 * 60_000 + 1), now)).toBe(false);
  });

  it('is on duty at an instant inside a span (ends included), or after the start of an open one', () => {
    const spans = [{ start: at('08:00'), end: at('12:00') }, { start: at('14:00') }];
    expect(onDutyAt(spans, new Date(at('08:00')))).toBe(true);
    expect(onDutyAt(spans, new Date(at('12:00')))).toBe(true);
    expect(onDutyAt(spans, new Date(at('13:00')))).toBe(false);
    expect(onDutyAt(spans, new Date(at('07:59')))).toBe(false);
    expect(onDutyAt(spans, new Date(at('23:00')))).toBe(true);
  });

  it('bounds a local day in Asia/Shanghai and splits a span at local midnight', () => {
    expect(localDayBounds('2026-05-12').start.toISOString()).toBe('2026-05-11T16:00:00.000Z');
    expect(localDayBounds('2026-05-12').end.toISOString()).toBe('2026-05-12T16:00:00.000Z');
    expect(minutesByLocalDay(new Date(at('22:30')), new Date(at('01:15', '2026-05-13')))).toEqual([
      { day: '2026-05-12', minutes: 90 },
      { day: '2026-05-13', minutes: 75 },
    ]);
    expect(minutesByLocalDay(new Date(at('08:00')), new Date(at('08:00')))).toEqual([]);
  });

  it('sums distance within spans only, clips minutes on duty to the day, and caps each gap outside the area', () => {
    // Three points 0.001° of latitude apart (~111 m each) in one span, then one in the next span.
    const points = [
      { at: at('08:00'), lat: 26.879, lng: 112.613 },
      { at: at('08:01'), lat: 26.880, lng: 112.613 },
      { at: at('08:30'), lat: 26.881, lng: 112.613 },
      { at: at('14:10'), lat: 26.9, lng: 112.7 },
    ];
    const spans = [{ start: at('07:00', '2026-05-11'), end: at('12:00') }, { start: at('14:00') }];
    const { start, end } = localDayBounds('2026-05-12');
    const outside = (p: { lat: number }) => p.lat < 26.8795; // the first point only
    const summary = summarizeTrack({ points, spans, from: start, to: end, now: new Date(at('15:00')), inside: (p) => !outside(p) });
    expect(summary.distanceMetres).toBeGreaterThan(215);
    expect(summary.distanceMetres).toBeLessThan(230); // not the jump to the next span (~9 km)
    expect(summary.minutesOnDuty).toBe(12 * 60 + 60); // 00:00–12:00 (the span began the day before) + 14:00–15:00 (open, until now)
    expect(summary.minutesOutsideArea).toBe(1); // 08:00 → 08:01 after the outside point
    const far = summarizeTrack({ points: [points[0]!, { ...points[2]!, at: at('09:00') }], spans, from: start, to: end, now: new Date(at('15:00')), inside: () => false });
    expect(far.minutesOutsideArea).toBe(OUTSIDE_GAP_CAP_MS / 60_000);
    expect(summarizeTrack({ points, spans, from: start, to: end, now: new Date(at('15:00')) }).minutesOutsideArea).toBe(0);
  });
});
