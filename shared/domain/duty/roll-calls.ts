import { randomUUID } from 'node:crypto';
import { localDay, staffScope } from '#shared/domain/cases/counters';
import type { CounterDelta } from '#shared/domain/cases/ports';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { toWgs84, type InputLocation, type LatLng } from '#shared/domain/geo/coordinates';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import type { Principal } from '#shared/domain/identity/model';
import type { IdentityStore, SmsSender } from '#shared/domain/identity/ports';
import type { LivePort } from '#shared/domain/live/messages';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { DutyStore } from './model.ts';
import { placeAgainstArea } from './area-distance.ts';
import { isTimely } from './track.ts';
import { areaOf } from './use-cases.ts';

/**
 * 点名 (roll calls): the command center (an agent) calls a supervisor or handler on duty, who must answer
 * within `ROLL_CALL_MINUTES` (default 10) with their current place; the answer says whether they were
 * inside their area (the same area as the track's: a supervisor's grids, a handler's department's).
 */

/** An unanswered roll call stays open (answerable, and blocking a new one) this long after it was due. */
export const ROLL_CALL_OPEN_AFTER_DUE_MS = 60 * 60_000;
export const DEFAULT_ROLL_CALL_MINUTES = 10;

export interface RollCallAnswer {
  /** When the person answered (the phone's time: a queued answer carries it), no earlier than `sentAt`. */
  answeredAt: string;
  /** When the server received the answer. */
  receivedAt: string;
  location: LatLng;
  insideArea: boolean;
  /** 0 inside; outside, metres to the nearest grid of the area; null when the person has no area. */
  distanceToAreaMetres: number | null;
  /** answeredAt ≤ dueAt. */
  onTime: boolean;
}

export interface RollCall {
  id: string;
  staffId: string;
  /** The agent who called the roll. */
  sentBy: string;
  sentAt: string;
  dueAt: string;
  /** dueAt + {@link ROLL_CALL_OPEN_AFTER_DUE_MS}: unanswered, it stops being open then. */
  openUntil: string;
  note?: string | undefined;
  answer?: RollCallAnswer | undefined;
}

/** What the roll-call use cases store (shared/data/roll-call-store.ts on the single table). */
export interface RollCallStore {
  /**
   * The roll call, its person's "current roll call" item and the counter `rollCalls`, in one transaction;
   * `open` (nothing written) when the person's current roll call is unanswered and still open at `now`.
   */
  create(rollCall: RollCall, counters: CounterDelta[], now: string): Promise<'created' | 'open'>;
  /** One roll call of a person (strongly consistent). */
  get(staffId: string, id: string): Promise<RollCall | undefined>;
  /** The person's latest roll call (one GetItem of the "current" item), answered or not. */
  latest(staffId: string): Promise<RollCall | undefined>;
  /** Stores the answer (once: `already` when one is stored) with the counter `rollCallsAnsweredOnTime` when on time. */
  answer(rollCall: RollCall & { answer: RollCallAnswer }, counters: CounterDelta[]): Promise<'answered' | 'already'>;
}

export interface RollCallDeps {
  store: RollCallStore;
  duty: Pick<DutyStore, 'rosterEntry'>;
  users: Pick<IdentityStore, 'getUser'>;
  departments(): Promise<DepartmentTree>;
  grids(): Promise<GridIndex>;
  sms: SmsSender;
  /** E.164 prefixes SMS may go to (`SMS_ALLOWED_PREFIXES`). */
  smsPrefixes: readonly string[];
  /** Minutes to answer (`ROLL_CALL_MINUTES`). */
  minutes: number;
  now: () => Date;
  /** Logs without numbers (a failed SMS). */
  log: (message: string, details?: Record<string, unknown>) => void;
}

const FIELD_ROLES = ['supervisor', 'handler'] as const;

export const isOpen = (r: RollCall, now: Date) => !r.answer && now.getTime() < Date.parse(r.openUntil);

/** The contract's `rollCall`. */
export function rollCallView(r: RollCall) {
  return {
    id: r.id,
    staffId: r.staffId,
    sentAt: r.sentAt,
    dueAt: r.dueAt,
    ...(r.note !== undefined ? { note: r.note } : {}),
    ...(r.answer
      ? {
          answeredAt: r.answer.answeredAt,
          receivedAt: r.answer.receivedAt,
          location: r.answer.location,
          insideArea: r.answer.insideArea,
          distanceToAreaMetres: r.answer.distanceToAreaMetres,
          onTime: r.answer.onTime,
        }
      : {}),
  };
}

/** HH:mm of an instant in Asia/Shanghai (the SMS's due time). */
const shanghaiClock = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16);

/**
 * 点名 — an agent calls the roll of a supervisor or handler.
 * 1. The person must be an active supervisor or handler (else 404) and on duty now (else 409: off duty
 *    there is nothing to check, and an unanswerable call would count against them).
 * 2. One open roll call per person: while the latest is unanswered and not {@link ROLL_CALL_OPEN_AFTER_DUE_MS}
 *    past due, another is 409. Checked in the write's transaction (two agents at once: one wins).
 * 3. The counter `rollCalls` (staff scope, the local day it was sent) in the same transaction.
 * 4. An SMS to the person (template `roll-call`), after the write: best effort — the roll call is
 *    written and is the person's task in the field app either way; a failed send is logged, no number.
 */
export async function callRoll(deps: RollCallDeps, principal: Principal, staffId: string, input: { note?: string | undefined }) {
  const person = await deps.users.getUser(staffId);
  if (!person || person.status !== 'active' || !person.roles.some((r) => (FIELD_ROLES as readonly string[]).includes(r))) {
    throw new NotFoundError('No supervisor or handler with this id', { id: 'roll-call.no-field-staff' });
  }
  if (!(await deps.duty.rosterEntry(staffId))) throw new ConflictError('This person is not on duty', 'CONFLICT', { id: 'roll-call.not-on-duty' });
  const now = deps.now();
  const due = new Date(now.getTime() + deps.minutes * 60_000);
  const rollCall: RollCall = {
    id: randomUUID(),
    staffId,
    sentBy: principal.userId,
    sentAt: now.toISOString(),
    dueAt: due.toISOString(),
    openUntil: new Date(due.getTime() + ROLL_CALL_OPEN_AFTER_DUE_MS).toISOString(),
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
  const counters: CounterDelta[] = [{ scope: staffScope(staffId), day: localDay(now), add: { rollCalls: 1 } }];
  if ((await deps.store.create(rollCall, counters, rollCall.sentAt)) === 'open') {
    throw new ConflictError('This person has an unanswered roll call', 'CONFLICT', { id: 'roll-call.open' });
  }
  if (!deps.smsPrefixes.some((prefix) => person.phone.startsWith(prefix))) {
    deps.log('roll-call SMS not sent: number outside SMS_ALLOWED_PREFIXES', { rollCallId: rollCall.id });
  } else {
    try {
      await deps.sms.send(person.phone, { template: 'roll-call', params: { due: shanghaiClock(due) } }, { effectKey: `rollCall.${rollCall.id}#sms` });
    } catch (error) {
      deps.log('roll-call SMS failed; the roll call stands', { rollCallId: rollCall.id, error: (error as Error).name });
    }
  }
  return { rollCall: rollCallView(rollCall) };
}

/** My open roll calls (at most one): the latest, while unanswered and open. */
export async function listMyRollCalls(deps: Pick<RollCallDeps, 'store' | 'now'>, principal: Principal) {
  const latest = await deps.store.latest(principal.userId);
  return { items: latest && isOpen(latest, deps.now()) ? [rollCallView(latest)] : [] };
}

/**
 * 应答点名 — answer my roll call with my current place.
 * 1. Someone else's roll call, or an unknown id → 404.
 * 2. Answered already → the stored answer again (200): a phone's queue replays, and a second answer
 *    never replaces the first.
 * 3. Received after the roll call closed (unanswered {@link ROLL_CALL_OPEN_AFTER_DUE_MS} past due) → 409.
 * 4. `at` (the phone's time of the answer; default now) within the last 24 h and at most 5 min ahead
 *    (else 400), no earlier than the call (a slow phone clock). On time when `at` ≤ dueAt; a late
 *    answer is accepted and counted late.
 * 5. The place against the person's area (the track's: a supervisor's grids, a handler's department's).
 * 6. The answer and `rollCallsAnsweredOnTime` (on the day it was sent) in one transaction.
 * 7. Once stored (not for an answer given already), `roll-call.answered` on the live channel: the
 *    command center hears it (dispatchers through the person's department), and so does the person.
 */
export async function answerRollCall(
  deps: Pick<RollCallDeps, 'store' | 'users' | 'departments' | 'grids' | 'now'> & { live?: LivePort | undefined },
  principal: Principal,
  id: string,
  input: { location: InputLocation; at?: string | undefined },
) {
  const rollCall = await deps.store.get(principal.userId, id);
  if (!rollCall) throw new NotFoundError('No such roll call', { id: 'roll-call.not-found' });
  if (rollCall.answer) return { rollCall: rollCallView(rollCall) };
  const now = deps.now();
  if (now.getTime() >= Date.parse(rollCall.openUntil)) throw new ConflictError('This roll call has closed', 'CONFLICT', { id: 'roll-call.closed' });
  let at = now;
  if (input.at !== undefined) {
    at = new Date(input.at);
    if (!isTimely(at, now)) {
      throw new ValidationError('The time must lie within the last 24 hours and at most 5 minutes ahead', [{ path: 'at', message: 'Within the last 24 hours, at most 5 minutes ahead' }], { id: 'duty.time-out-of-range' });
    }
  }
  const answeredAt = new Date(Math.max(at.getTime(), Date.parse(rollCall.sentAt)));
  const location = toWgs84(input.location);
  const [user, tree, grids] = await Promise.all([deps.users.getUser(principal.userId), deps.departments(), deps.grids()]);
  const area = user ? [...areaOf(user, tree)].flatMap((gridId) => grids.get(gridId) ?? []) : [];
  const place = placeAgainstArea(location, area, grids.locate(location.lat, location.lng)?.id);
  const onTime = answeredAt.getTime() <= Date.parse(rollCall.dueAt);
  const answered = { ...rollCall, answer: { answeredAt: answeredAt.toISOString(), receivedAt: now.toISOString(), location, ...place, onTime } };
  const counters: CounterDelta[] = onTime ? [{ scope: staffScope(rollCall.staffId), day: localDay(new Date(rollCall.sentAt)), add: { rollCallsAnsweredOnTime: 1 } }] : [];
  if ((await deps.store.answer(answered, counters)) === 'already') {
    // Two answers raced: the first one stored is the answer.
    const stored = await deps.store.get(principal.userId, id);
    return { rollCall: rollCallView(stored ?? answered) };
  }
  await deps.live?.publish({
    type: 'roll-call.answered',
    at: now,
    source: `roll-call:${id}:answered`,
    summary: `${principal.displayName || '外勤人员'} 已应答点名：${answerText(answered.answer)}`,
    departmentId: user?.departmentId ?? principal.departmentId,
    userIds: [rollCall.staffId],
  });
  return { rollCall: rollCallView(answered) };
}

/** 在辖区/不在辖区（距 N 米）, 按时/超时 — the answer in the notification's words. */
export function answerText(answer: Pick<RollCallAnswer, 'insideArea' | 'distanceToAreaMetres' | 'onTime'>): string {
  const place = answer.insideArea ? '在辖区' : answer.distanceToAreaMetres != null ? `不在辖区（距 ${answer.distanceToAreaMetres} 米）` : '不在辖区';
  return `${place}，${answer.onTime ? '按时' : '超时'}`;
}
