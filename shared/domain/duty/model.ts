import type { LatLng } from '#shared/domain/geo/coordinates';
import type { Role } from '#shared/domain/roles';
import type { CounterDelta } from '#shared/domain/cases/ports';

/**
 * 考勤 · 轨迹 — on duty and track points of field staff (supervisors and handlers). "Position" names a
 * job post elsewhere (岗位评价); GPS data here is "track points".
 */

/** One stretch on duty (上班 → 下班): `end` absent while it lasts. */
export interface DutySpan {
  userId: string;
  start: string;
  end?: string | undefined;
  startLocation: LatLng;
  endLocation?: LatLng | undefined;
}

/** One GPS fix a phone sent while its owner was on duty. */
export interface TrackPoint {
  userId: string;
  at: string;
  lat: number;
  lng: number;
  accuracyMetres?: number | undefined;
}

/** A position with its time: the last one known of a person on duty. */
export interface TimedPoint extends LatLng {
  at: string;
}

/** One person on duty now (the roster the command center reads). */
export interface RosterEntry {
  userId: string;
  displayName: string;
  roles: Role[];
  departmentId?: string | undefined;
  /** The start of the current span. */
  since: string;
  /** The newest accepted track point, or the place of 上班 until one arrives. */
  lastPoint: TimedPoint;
}

/** What the duty use cases store and read (shared/data/duty-store.ts on the single table). */
export interface DutyStore {
  /** The person's roster entry (strongly consistent): present exactly while they are on duty. */
  rosterEntry(userId: string): Promise<RosterEntry | undefined>;
  /** The person's latest span (by start), if any. */
  lastSpan(userId: string): Promise<DutySpan | undefined>;
  /** 上班: the roster entry and the span in one transaction; false when the person is on duty already. */
  startDuty(entry: RosterEntry, span: DutySpan): Promise<boolean>;
  /**
   * 下班: the span gets its end, the roster entry goes and the day counters (minutesOnDuty) are added, in
   * one transaction; false when the span ended or the roster entry changed meanwhile.
   */
  endDuty(span: DutySpan & { end: string }, counters: CounterDelta[]): Promise<boolean>;
  /** The spans of a person that overlap `[from, to]` (one Query, newest first, paged only if needed). */
  spansOverlapping(userId: string, from: string, to: string): Promise<DutySpan[]>;
  /** Stores accepted points (BatchWrite, unprocessed items sent again); a point at the same instant replaces its twin. */
  putPoints(points: TrackPoint[]): Promise<void>;
  /** Moves the roster entry's last point forward, if the person is still on duty since `since` or earlier and the point is newer. */
  moveLastPoint(userId: string, point: TimedPoint): Promise<void>;
  /** Everyone on duty now (one paged Query of the roster's partition). */
  roster(): Promise<RosterEntry[]>;
  /** A person's points of one local day, oldest first (one Query). */
  pointsOfDay(userId: string, day: string): Promise<TrackPoint[]>;
  /** Every stored span of the person (their export). */
  allSpans(userId: string): Promise<DutySpan[]>;
}
