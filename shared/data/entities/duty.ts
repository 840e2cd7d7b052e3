import type { LatLng } from '#shared/domain/geo/coordinates';
import type { Role } from '#shared/domain/roles';
import { defineModel } from '../model.ts';

/**
 * 在岗名册 — one item per person on duty now, all in one partition (`$citygrid`, sort key by user):
 * 上班 puts it, 下班 deletes it, a newer accepted track point moves `lastPoint`. A few hundred items at
 * most: the on-duty list is one paged Query of the partition. `lastPointAt` repeats `lastPoint.at` at the
 * top level for the conditional update (a newer point only).
 */
export const onDutyModel = defineModel<{
  userId: string;
  displayName: string;
  roles: Role[];
  departmentId?: string | undefined;
  since: string;
  lastPoint: LatLng & { at: string };
  lastPointAt: string;
}>()({
  entity: 'onDuty',
  indexes: { roster: { pk: [], sk: ['userId'] } },
});

/** 考勤 — one duty span per person and start time (`end` absent while on duty); kept TRACK_RETENTION_DAYS through the table's TTL. */
export const dutySpanModel = defineModel<{
  userId: string;
  start: string;
  end?: string | undefined;
  startLocation: LatLng;
  endLocation?: LatLng | undefined;
  /** Epoch seconds (the table's TTL attribute): the span's start + the retention; moved on with the end. */
  expiresAt: number;
}>()({
  entity: 'dutySpan',
  indexes: { byUser: { pk: ['userId'], sk: ['start'] } },
});

/**
 * 轨迹点 — one track point per person, local (Asia/Shanghai) day and instant: a day's track is one Query
 * of one partition. The instant is the key: a replayed point (same time) replaces its twin instead of
 * adding a copy. Kept TRACK_RETENTION_DAYS through the table's TTL.
 */
export const trackPointModel = defineModel<{
  userId: string;
  day: string;
  at: string;
  lat: number;
  lng: number;
  accuracyMetres?: number | undefined;
  expiresAt: number;
}>()({
  entity: 'trackPoint',
  indexes: { byUserDay: { pk: ['userId', 'day'], sk: ['at'] } },
});

/** The answer of a roll call, as stored (shared/domain/duty/roll-calls.ts). */
type StoredRollCallAnswer = {
  answeredAt: string;
  receivedAt: string;
  location: LatLng;
  insideArea: boolean;
  distanceToAreaMetres: number | null;
  onTime: boolean;
};

type StoredRollCall = {
  staffId: string;
  id: string;
  sentBy: string;
  sentAt: string;
  dueAt: string;
  openUntil: string;
  note?: string | undefined;
  answer?: StoredRollCallAnswer | undefined;
  /** Epoch seconds (the table's TTL attribute): sent + TRACK_RETENTION_DAYS. */
  expiresAt: number;
};

/** 点名 — one roll call per person and id (answered or not); kept TRACK_RETENTION_DAYS through the table's TTL. */
export const rollCallModel = defineModel<StoredRollCall>()({
  entity: 'rollCall',
  indexes: { byStaff: { pk: ['staffId'], sk: ['id'] } },
});

/**
 * A person's current (latest) roll call, a copy with `answered`: "one open roll call per person" is the
 * condition on this one item when the next is created, and "my open roll calls" is one GetItem of it.
 */
export const currentRollCallModel = defineModel<Omit<StoredRollCall, 'answer'> & { answered: boolean }>()({
  entity: 'currentRollCall',
  indexes: { byStaff: { pk: ['staffId'], sk: [] } },
});

/**
 * A remembered answer of an Idempotency-Key on the duty routes (上班/下班, track points, a roll call's
 * answer), per caller, method and path: the body's hash and the 2xx it answered (TTL 24 h).
 */
export const rememberedAnswerModel = defineModel<{ callerId: string; scope: string; key: string; bodyHash: string; status: number; body: string; expiresAt: number }>()({
  entity: 'rememberedAnswer',
  indexes: { byKey: { pk: ['callerId', 'scope', 'key'], sk: [] } },
});
