import { staffScope } from '#shared/domain/cases/counters';
import type { CounterDelta } from '#shared/domain/cases/ports';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { toWgs84, type InputLocation } from '#shared/domain/geo/coordinates';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import type { Principal, User } from '#shared/domain/identity/model';
import type { IdentityStore } from '#shared/domain/identity/ports';
import type { LivePort } from '#shared/domain/live/messages';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import { STAFF_ROLES } from '#shared/domain/roles';
import type { DutySpan, DutyStore, RosterEntry, TrackPoint } from './model.ts';
import { isTimely, localDayBounds, MAX_AHEAD_MS, minutesByLocalDay, onDutyAt, summarizeTrack } from './track.ts';
import { localDay } from '#shared/domain/cases/counters';

/** What the duty use cases need: the duty store, the accounts, the department tree, the grids and a clock. */
export interface DutyDeps {
  store: DutyStore;
  users: Pick<IdentityStore, 'getUser'>;
  departments(): Promise<DepartmentTree>;
  grids(): Promise<GridIndex>;
  now: () => Date;
}

/** The contract's `duty`: whether the person is on duty, since when, and their last known place. */
export const dutyView = (entry: RosterEntry | undefined) =>
  entry ? { onDuty: true, since: entry.since, lastPoint: entry.lastPoint } : { onDuty: false };

/** A client's time (`at`), defaulting to now; outside the last 24 h or more than 5 min ahead → 400. */
function clientTime(at: string | undefined, now: Date): Date {
  if (at === undefined) return now;
  const time = new Date(at);
  if (!isTimely(time, now)) {
    throw new ValidationError('The time must lie within the last 24 hours and at most 5 minutes ahead', [{ path: 'at', message: 'Within the last 24 hours, at most 5 minutes ahead' }], { id: 'duty.time-out-of-range' });
  }
  return time;
}

/** 考勤 — whether I am on duty now. */
export async function getMyDuty(deps: DutyDeps, principal: Principal) {
  return { duty: dutyView(await deps.store.rosterEntry(principal.userId)) };
}

/**
 * 上班 / 下班 — start or end my duty at `at` (a phone that was offline sends the time it was pressed).
 * 1. Starting while on duty, or ending while off duty, changes nothing and answers the current state:
 *    a phone's queue replays its actions, and a replay must not block the queue behind it.
 * 2. A start never reaches back into the previous span: it begins no earlier than that span's end.
 *    An end never lies before its span's start.
 * 3. The span and the roster change in one transaction; ending also adds the span's minutes to the
 *    person's daily counters (minutesOnDuty), split at local midnights.
 * 4. Two presses racing: the loser answers the state the winner left.
 * 5. A change that was written (not a replay, not the loser of a race) is `duty.changed` on the live
 *    channel: the command center's map hears who came on or went off duty.
 */
export async function changeDuty(deps: DutyDeps & { live?: LivePort | undefined }, principal: Principal, input: { action: 'start' | 'end'; location: InputLocation; at?: string | undefined }) {
  const now = deps.now();
  const at = clientTime(input.at, now);
  const location = toWgs84(input.location);
  const current = await deps.store.rosterEntry(principal.userId);
  if (input.action === 'start') {
    if (current) return { duty: dutyView(current) };
    const last = await deps.store.lastSpan(principal.userId);
    const earliest = last?.end ? Date.parse(last.end) + 1 : -Infinity;
    const start = new Date(Math.max(at.getTime(), earliest)).toISOString();
    const entry: RosterEntry = {
      userId: principal.userId,
      displayName: principal.displayName,
      roles: principal.roles,
      departmentId: principal.departmentId,
      since: start,
      lastPoint: { ...location, at: start },
    };
    const started = await deps.store.startDuty(entry, { userId: principal.userId, start, startLocation: location });
    if (started) await publishDutyChange(deps, principal, now, `duty:${principal.userId}:${start}:start`, '上班');
    return { duty: dutyView(started ? entry : await deps.store.rosterEntry(principal.userId)) };
  }
  if (!current) return { duty: dutyView(undefined) };
  const end = new Date(Math.max(at.getTime(), Date.parse(current.since)));
  const span: DutySpan & { end: string } = { userId: principal.userId, start: current.since, end: end.toISOString(), startLocation: current.lastPoint, endLocation: location };
  const stored = await deps.store.lastSpan(principal.userId);
  if (stored?.start === current.since) span.startLocation = stored.startLocation;
  const ended = await deps.store.endDuty(span, minutesCounters(principal.userId, new Date(current.since), end));
  if (ended) await publishDutyChange(deps, principal, now, `duty:${principal.userId}:${current.since}:end`, '下班');
  return { duty: dutyView(ended ? undefined : await deps.store.rosterEntry(principal.userId)) };
}

/** `duty.changed` for the person's department (dispatchers of it and above) and the person. */
function publishDutyChange(deps: { live?: LivePort | undefined }, principal: Principal, now: Date, source: string, what: '上班' | '下班') {
  return deps.live?.publish({
    type: 'duty.changed',
    at: now,
    source,
    summary: `${principal.displayName || '外勤人员'} ${what}`,
    departmentId: principal.departmentId,
    userIds: [principal.userId],
  });
}

/** The minutes of a span on each local day it touches, in the person's staff scope. */
export function minutesCounters(userId: string, start: Date, end: Date): CounterDelta[] {
  return minutesByLocalDay(start, end)
    .filter((part) => part.minutes > 0)
    .map((part) => ({ scope: staffScope(userId), day: part.day, add: { minutesOnDuty: part.minutes } }));
}

/**
 * 轨迹上报 — a batch of track points (1–200), as the phone recorded them.
 * 1. A point counts when its owner was on duty at the point's own time: a queued 上班 carries its time,
 *    so the points after it count; a batch sent after a later 下班 still counts the points inside the span.
 * 2. Points off duty, older than 24 h or more than 5 min ahead are dropped and counted, never refused
 *    (a refused batch would block the phone's queue).
 * 3. The spans around the batch: one Query; the points: BatchWrite; the roster's last point moves forward
 *    when the newest accepted point is newer than it.
 */
export async function recordTrackPoints(deps: DutyDeps, principal: Principal, input: { points: Array<{ lat: number; lng: number; accuracyMetres?: number | undefined; at: string }> }) {
  const now = deps.now();
  const timely = input.points.filter((p) => isTimely(new Date(p.at), now));
  let accepted: TrackPoint[] = [];
  if (timely.length > 0) {
    const times = timely.map((p) => new Date(p.at).toISOString()).sort();
    const spans = await deps.store.spansOverlapping(principal.userId, times[0]!, times[times.length - 1]!);
    accepted = timely
      .filter((p) => onDutyAt(spans, new Date(p.at)))
      .map((p) => ({ userId: principal.userId, at: new Date(p.at).toISOString(), lat: p.lat, lng: p.lng, ...(p.accuracyMetres !== undefined ? { accuracyMetres: p.accuracyMetres } : {}) }));
  }
  if (accepted.length > 0) {
    // One item per instant: a batch may repeat a point (a replay); BatchWrite refuses a key twice.
    const unique = [...new Map(accepted.map((p) => [p.at, p])).values()];
    await deps.store.putPoints(unique);
    const newest = unique.reduce((a, b) => (a.at > b.at ? a : b));
    await deps.store.moveLastPoint(principal.userId, { lat: newest.lat, lng: newest.lng, at: newest.at });
  }
  return { accepted: accepted.length, dropped: input.points.length - accepted.length };
}

/**
 * Who may read whom: agents, leaders and admins everyone; a dispatcher its own department's subtree
 * (another department → 403). Returns the departments a reader is limited to (undefined: all).
 */
function readerScope(tree: DepartmentTree, principal: Principal): Set<string> | undefined {
  if (principal.roles.some((r) => r === 'agent' || r === 'leader' || r === 'admin')) return undefined;
  const own = principal.departmentId;
  if (!principal.roles.includes('dispatcher') || !own) throw new ForbiddenError('You belong to no department', { id: 'scope.no-department' });
  return new Set([own, ...tree.descendants(own).map((d) => d.id)]);
}

/**
 * 在岗人员 — the people on duty now, with their last place; `departmentId` narrows to that department's
 * subtree (a dispatcher's must lie within its own). One paged Query of the roster, filtered here.
 */
export async function listOnDuty(deps: DutyDeps, principal: Principal, query: { departmentId?: string | undefined }) {
  const tree = await deps.departments();
  const scope = readerScope(tree, principal);
  let within = scope;
  if (query.departmentId) {
    if (!tree.get(query.departmentId)) {
      throw new ValidationError('Unknown department', [{ path: 'departmentId', message: `No department ${query.departmentId}` }], { id: 'reference.unknown-department' });
    }
    if (scope && !scope.has(query.departmentId)) throw new ForbiddenError('That department is outside yours', { id: 'scope.department-outside' });
    within = new Set([query.departmentId, ...tree.descendants(query.departmentId).map((d) => d.id)]);
  }
  const entries = (await deps.store.roster()).filter((e) => !within || (e.departmentId !== undefined && within.has(e.departmentId)));
  return {
    items: entries.map((e) => ({ id: e.userId, displayName: e.displayName, roles: e.roles, departmentId: e.departmentId ?? '', onDuty: true, since: e.since, lastPoint: e.lastPoint })),
  };
}

/**
 * A person's area: a supervisor's patrolled grids (`gridIds`); a handler's, the grids of their
 * department — or, when the department covers none itself (a district bureau), of its subtree.
 */
export function areaOf(user: User, tree: DepartmentTree): Set<string> {
  const area = new Set(user.gridIds ?? []);
  if (user.roles.includes('handler') && user.departmentId && tree.get(user.departmentId)) {
    const own = tree.get(user.departmentId)!.gridIds;
    const grids = own.length > 0 ? own : tree.descendants(user.departmentId).flatMap((d) => d.gridIds);
    for (const g of grids) area.add(g);
  }
  return area;
}

/**
 * 轨迹回放 — one person's local (Asia/Shanghai) day: the points, the spans overlapping the day, the
 * distance walked on duty, the minutes on duty and the minutes outside their area. Two Queries: the
 * day's points; the spans that start before the day ends (newest first), kept when they overlap it.
 */
async function trackOf(deps: DutyDeps, user: User, date: string | undefined) {
  const now = deps.now();
  const day = date ?? localDay(now);
  const { start, end } = localDayBounds(day);
  const [points, spans, tree, grids] = await Promise.all([
    deps.store.pointsOfDay(user.id, day),
    deps.store.spansOverlapping(user.id, start.toISOString(), new Date(end.getTime() - 1).toISOString()),
    deps.departments(),
    deps.grids(),
  ]);
  const area = areaOf(user, tree);
  const inside = area.size > 0 ? (p: { lat: number; lng: number }) => area.has(grids.locate(p.lat, p.lng)?.id ?? '') : undefined;
  const ordered = [...spans].sort((a, b) => a.start.localeCompare(b.start));
  return {
    date: day,
    points: points.map((p) => ({ lat: p.lat, lng: p.lng, at: p.at, ...(p.accuracyMetres !== undefined ? { accuracyMetres: p.accuracyMetres } : {}) })),
    duty: ordered.map((s) => ({ start: s.start, ...(s.end ? { end: s.end } : {}) })),
    ...summarizeTrack({ points, spans: ordered, from: start, to: end, now, inside }),
  };
}

/** My own track of a day. */
export async function getMyTrack(deps: DutyDeps, principal: Principal, query: { date?: string | undefined }) {
  const user = await deps.users.getUser(principal.userId);
  if (!user) throw new NotFoundError('No such staff member', { id: 'staff.not-found' });
  return trackOf(deps, user, query.date);
}

/** A staff member's track of a day, within the reader's scope (a dispatcher: its subtree; else 403). */
export async function getStaffTrack(deps: DutyDeps, principal: Principal, id: string, query: { date?: string | undefined }) {
  const [tree, user] = await Promise.all([deps.departments(), deps.users.getUser(id)]);
  const scope = readerScope(tree, principal);
  if (!user || !user.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r))) throw new NotFoundError('No such staff member', { id: 'staff.not-found' });
  if (scope && !(user.departmentId && scope.has(user.departmentId))) throw new ForbiddenError('That person is outside your department', { id: 'scope.staff-outside' });
  return trackOf(deps, user, query.date);
}

/** A person's own duty data for their export: every span and the points still kept (their retention). */
export async function exportDutyData(store: Pick<DutyStore, 'allSpans' | 'pointsOfDay'>, userId: string, now: Date) {
  const spans = await store.allSpans(userId);
  const days = new Set<string>();
  for (const span of spans) {
    // An open span's points reach up to 5 minutes ahead of now (phones' clocks).
    const until = span.end ? new Date(span.end) : new Date(now.getTime() + MAX_AHEAD_MS);
    for (let t = Date.parse(span.start); ; t += 86_400_000) {
      const day = localDay(new Date(Math.min(t, until.getTime())));
      days.add(day);
      if (t >= until.getTime()) break;
    }
  }
  const points: TrackPoint[] = [];
  for (const day of [...days].sort()) points.push(...(await store.pointsOfDay(userId, day)));
  return {
    dutySpans: spans.map((s) => ({ start: s.start, ...(s.end ? { end: s.end } : {}), startLocation: s.startLocation, ...(s.endLocation ? { endLocation: s.endLocation } : {}) })),
    trackPoints: points.map((p) => ({ at: p.at, lat: p.lat, lng: p.lng, ...(p.accuracyMetres !== undefined ? { accuracyMetres: p.accuracyMetres } : {}) })),
  };
}
