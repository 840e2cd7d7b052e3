import turfDistance from '@turf/distance';
import { localDay } from '#shared/domain/cases/counters';
import type { DutySpan, TrackPoint } from './model.ts';

/** A time a phone sends (上班/下班, a track point) may lie this far back… */
export const MAX_AGE_MS = 24 * 3600_000;
/** …and this far ahead of the server's clock (phones' clocks drift). */
export const MAX_AHEAD_MS = 5 * 60_000;
/** A gap between two points counts at most this long outside the area (a phone that went quiet is not "outside" for hours). */
export const OUTSIDE_GAP_CAP_MS = 5 * 60_000;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Whether a client's time is within the accepted window around `now`. */
export const isTimely = (at: Date, now: Date) => at.getTime() >= now.getTime() - MAX_AGE_MS && at.getTime() <= now.getTime() + MAX_AHEAD_MS;

/** Whether a span covers the instant (start ≤ t ≤ end; an open span covers everything after its start). */
export const covers = (span: Pick<DutySpan, 'start' | 'end'>, at: number) => Date.parse(span.start) <= at && (span.end === undefined || Date.parse(span.end) >= at);

/** Whether the person was on duty at `at`, given their spans around it. */
export const onDutyAt = (spans: ReadonlyArray<Pick<DutySpan, 'start' | 'end'>>, at: Date) => spans.some((s) => covers(s, at.getTime()));

/** The instants a local (Asia/Shanghai) day begins and ends: `[start, end)`. */
export function localDayBounds(day: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${day}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** Minutes to two decimals (counters add them up over a year). */
const minutes = (ms: number) => Math.round(ms / 600) / 100;

/** A stretch of time split at local midnights: the minutes on each local day it touches. */
export function minutesByLocalDay(start: Date, end: Date): Array<{ day: string; minutes: number }> {
  const parts: Array<{ day: string; minutes: number }> = [];
  for (let from = start.getTime(); from < end.getTime(); ) {
    const day = localDay(new Date(from));
    const until = Math.min(end.getTime(), localDayBounds(day).end.getTime());
    parts.push({ day, minutes: minutes(until - from) });
    from = until;
  }
  return parts;
}

export interface TrackSummary {
  distanceMetres: number;
  minutesOnDuty: number;
  minutesOutsideArea: number;
}

/**
 * A day's figures from its points and the spans that overlap it (pure: unit-tested).
 * - minutesOnDuty: the spans clipped to `[from, to)` (an open span runs until `now`).
 * - distanceMetres: great-circle distances between consecutive points of the same span, summed.
 * - minutesOutsideArea: for consecutive points of the same span, the time between them when the first
 *   lies outside the area, each gap capped at {@link OUTSIDE_GAP_CAP_MS}; 0 when the person has no area.
 */
export function summarizeTrack(input: {
  points: ReadonlyArray<Pick<TrackPoint, 'at' | 'lat' | 'lng'>>;
  spans: ReadonlyArray<Pick<DutySpan, 'start' | 'end'>>;
  from: Date;
  to: Date;
  now: Date;
  /** Whether a point is inside the person's area; absent: the person has no area. */
  inside?: ((point: { lat: number; lng: number }) => boolean) | undefined;
}): TrackSummary {
  let onDutyMs = 0;
  for (const span of input.spans) {
    const start = Math.max(Date.parse(span.start), input.from.getTime());
    const end = Math.min(span.end ? Date.parse(span.end) : input.now.getTime(), input.to.getTime());
    if (end > start) onDutyMs += end - start;
  }
  const sorted = [...input.points].sort((a, b) => a.at.localeCompare(b.at));
  const spanOf = (at: string) => input.spans.findIndex((s) => covers(s, Date.parse(at)));
  let metres = 0;
  let outsideMs = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [a, b] = [sorted[i]!, sorted[i + 1]!];
    const span = spanOf(a.at);
    if (span < 0 || span !== spanOf(b.at)) continue;
    metres += turfDistance([a.lng, a.lat], [b.lng, b.lat], { units: 'meters' });
    if (input.inside && !input.inside(a)) outsideMs += Math.min(Date.parse(b.at) - Date.parse(a.at), OUTSIDE_GAP_CAP_MS);
  }
  return { distanceMetres: Math.round(metres), minutesOnDuty: minutes(onDutyMs), minutesOutsideArea: minutes(outsideMs) };
}
