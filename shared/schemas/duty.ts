import * as z from '#shared/validation/zod';
import { ROLES } from '#shared/domain/roles';
import { Location } from './location.ts';

/** An instant as phones send it (with an offset or Z), stored in UTC. */
const Instant = z.pipe(z.iso.datetime({ offset: true }), z.transform((at: string) => new Date(at).toISOString()));
const Degrees = (limit: number) => z.number().check(z.gte(-limit), z.lte(limit));
const TimedPoint = z.lazy(() => z.withMeta(z.object({ lat: z.number(), lng: z.number(), at: z.string() }), { id: 'TimedPoint' }));

export const DutyBody = z.lazy(() => z.withMeta(z.strict(z.object({
  action: z.enum(['start', 'end']),
  location: Location,
  at: z.withMeta(z.optional(Instant), { description: 'When 上班/下班 was pressed (a queued action carries it): within the last 24 h, at most 5 min ahead; default now' }),
})), { id: 'DutyRequest' }));

export const DutyStateBody = z.lazy(() => z.withMeta(z.object({
  duty: z.object({ onDuty: z.boolean(), since: z.optional(z.string()), lastPoint: z.optional(TimedPoint) }),
}), { id: 'DutyState', description: 'Starting while on duty and ending while off duty change nothing and answer the current state (a replayed queue must not stall)' }));

export const TrackPointsBody = z.lazy(() => z.withMeta(z.strict(z.object({
  points: z.array(z.strict(z.object({
    lat: Degrees(90),
    lng: Degrees(180),
    accuracyMetres: z.optional(z.number().check(z.gte(0), z.lte(100_000))),
    at: Instant,
  }))).check(z.minLength(1), z.maxLength(200)),
})), { id: 'TrackPointsRequest', description: 'WGS84 points, 1–200 per batch' }));

export const TrackPointsResultBody = z.lazy(() => z.withMeta(z.object({ accepted: z.number(), dropped: z.number() }), {
  id: 'TrackPointsResult',
  description: 'Points off duty at their own time, older than 24 h or more than 5 min ahead are dropped and counted, never refused',
}));

export const OnDutyQuery = z.strict(z.object({ departmentId: z.optional(z.string().check(z.minLength(1), z.maxLength(63))) }));

export const OnDutyListBody = z.lazy(() => z.withMeta(z.object({
  items: z.array(z.object({
    id: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    departmentId: z.string(),
    onDuty: z.boolean(),
    since: z.string(),
    lastPoint: TimedPoint,
  })),
}), { id: 'OnDutyList' }));

export const TrackQuery = z.strict(z.object({ date: z.withMeta(z.optional(z.iso.date()), { description: 'Local (Asia/Shanghai) day, YYYY-MM-DD; default today' }) }));
export const TrackParams = z.lazy(() => z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) }));

export const TrackBody = z.lazy(() => z.withMeta(z.object({
  date: z.string(),
  points: z.array(z.object({ lat: z.number(), lng: z.number(), accuracyMetres: z.optional(z.number()), at: z.string() })),
  duty: z.array(z.object({ start: z.string(), end: z.optional(z.string()) })),
  distanceMetres: z.number(),
  minutesOnDuty: z.number(),
  minutesOutsideArea: z.number(),
}), { id: 'Track', description: 'One local day: distance between consecutive points of a span; minutes outside the area: gaps after a point outside, each capped at 5 min' }));

export const RollCallRequestBody = z.lazy(() => z.withMeta(z.strict(z.object({
  note: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
})), { id: 'RollCallRequest' }));

export const RollCallParams = z.lazy(() => z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) }));

export const RollCallAnswerRequestBody = z.lazy(() => z.withMeta(z.strict(z.object({
  location: Location,
  at: z.withMeta(z.optional(Instant), { description: 'When the person answered (a queued answer carries it): within the last 24 h, at most 5 min ahead; default now. On time when at ≤ dueAt' }),
})), { id: 'RollCallAnswerRequest' }));

export const RollCall = z.lazy(() => z.withMeta(z.object({
  id: z.string(),
  staffId: z.string(),
  sentAt: z.string(),
  dueAt: z.string(),
  note: z.optional(z.string()),
  answeredAt: z.withMeta(z.optional(z.string()), { description: 'When the person answered (the phone\'s time, no earlier than sentAt)' }),
  receivedAt: z.withMeta(z.optional(z.string()), { description: 'When the answer reached the server' }),
  location: z.optional(z.object({ lat: z.number(), lng: z.number() })),
  insideArea: z.withMeta(z.optional(z.boolean()), { description: 'Inside the person\'s area: a supervisor\'s grids, a handler\'s department\'s' }),
  distanceToAreaMetres: z.withMeta(z.optional(z.nullable(z.number())), { description: '0 inside; outside, metres to the nearest grid of the area; null when the person has no area' }),
  onTime: z.withMeta(z.optional(z.boolean()), { description: 'answeredAt ≤ dueAt; a late answer is accepted and counted late' }),
}), { id: 'RollCall' }));

export const RollCallBody = z.lazy(() => z.object({ rollCall: RollCall }));
export const RollCallListBody = z.lazy(() => z.withMeta(z.object({ items: z.array(RollCall) }), { id: 'RollCallList', description: 'My open roll calls (at most one): unanswered, less than an hour past due' }));
