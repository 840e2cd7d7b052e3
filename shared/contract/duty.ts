/**
 * On duty (考勤 · 轨迹): supervisors and handlers start and end their duty and send track points; the
 * command center lists who is on duty and replays a person's day. Citizens never see any of it.
 */
import { errors, type RouteSpec } from './route-spec.ts';
import { DutyBody, DutyStateBody, OnDutyListBody, OnDutyQuery, RollCallAnswerRequestBody, RollCallBody, RollCallListBody, RollCallParams, RollCallRequestBody, TrackBody, TrackParams, TrackPointsBody, TrackPointsResultBody, TrackQuery } from '#shared/schemas/duty';

const FIELD_STAFF = ['supervisor', 'handler'] as const;
const READERS = ['agent', 'leader', 'admin', 'dispatcher'] as const;

export const getMyDuty = {
  method: 'GET',
  path: '/v1/me/duty',
  handler: 'functions/duty/get-my-duty.ts',
  access: FIELD_STAFF,
  summary: '考勤 — whether I am on duty, since when, and my last known place',
  tag: 'On duty',
  responses: { 200: { description: 'Duty state', schema: DutyStateBody }, ...errors(401, 403) },
} as const satisfies RouteSpec;

export const changeDuty = {
  method: 'POST',
  path: '/v1/me/duty',
  handler: 'functions/duty/change-duty.ts',
  access: FIELD_STAFF,
  summary: '上班 / 下班 — start or end my duty at a place (at: within the last 24 h, ≤ 5 min ahead)',
  description: 'Starting while on duty and ending while off duty change nothing and answer the current state (a phone\'s replayed queue must not stall). A start begins no earlier than the end of the previous span; an end no earlier than its start.',
  tag: 'On duty',
  request: { body: DutyBody },
  responses: { 200: { description: 'Duty state', schema: DutyStateBody }, ...errors(400, 401, 403, 409) },
  needs: { table: 'readWrite', liveTopic: true },
  idempotencyKey: true,
} as const satisfies RouteSpec;

export const recordTrackPoints = {
  method: 'POST',
  path: '/v1/me/track-points',
  handler: 'functions/duty/record-track-points.ts',
  access: FIELD_STAFF,
  summary: '轨迹 — send 1–200 track points; those on duty at their own time are kept TRACK_RETENTION_DAYS',
  tag: 'On duty',
  request: { body: TrackPointsBody },
  responses: { 202: { description: 'Counted', schema: TrackPointsResultBody }, ...errors(400, 401, 403, 409, 413) },
  needs: { table: 'readWrite' },
  idempotencyKey: true,
} as const satisfies RouteSpec;

export const listOnDuty = {
  method: 'GET',
  path: '/v1/staff/on-duty',
  handler: 'functions/duty/list-on-duty.ts',
  access: READERS,
  summary: '在岗人员 — the people on duty now with their last place (a dispatcher: its department subtree)',
  tag: 'On duty',
  request: { query: OnDutyQuery },
  responses: { 200: { description: 'On duty', schema: OnDutyListBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const getStaffTrack = {
  method: 'GET',
  path: '/v1/staff/{id}/track',
  handler: 'functions/duty/get-staff-track.ts',
  access: READERS,
  summary: '轨迹回放 — a person\'s local day: points, duty spans, distance, minutes on duty and outside their area',
  tag: 'On duty',
  request: { params: TrackParams, query: TrackQuery },
  responses: { 200: { description: 'The day\'s track', schema: TrackBody }, ...errors(400, 401, 403, 404) },
} as const satisfies RouteSpec;

export const getMyTrack = {
  method: 'GET',
  path: '/v1/me/track',
  handler: 'functions/duty/get-my-track.ts',
  access: FIELD_STAFF,
  summary: '我的轨迹 — my own local day: points, duty spans, distance, minutes on duty and outside my area',
  tag: 'On duty',
  request: { query: TrackQuery },
  responses: { 200: { description: 'The day\'s track', schema: TrackBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const callRoll = {
  method: 'POST',
  path: '/v1/staff/{id}/roll-calls',
  handler: 'functions/duty/call-roll.ts',
  access: ['agent'],
  summary: '点名 — call the roll of a supervisor or handler on duty: answer within ROLL_CALL_MINUTES (default 10), by SMS and as their task',
  description: 'The person must be an active supervisor or handler (else 404) on duty (else 409). One open roll call per person: while the last is unanswered and less than an hour past due, another is 409.',
  tag: 'On duty',
  request: { params: RollCallParams, body: RollCallRequestBody },
  responses: { 201: { description: 'Called', schema: RollCallBody }, ...errors(400, 401, 403, 404, 409) },
  needs: { table: 'readWrite', sms: true },
} as const satisfies RouteSpec;

export const listMyRollCalls = {
  method: 'GET',
  path: '/v1/me/roll-calls',
  handler: 'functions/duty/list-my-roll-calls.ts',
  access: FIELD_STAFF,
  summary: '我的点名 — my open roll calls (at most one)',
  tag: 'On duty',
  responses: { 200: { description: 'Open roll calls', schema: RollCallListBody }, ...errors(401, 403) },
} as const satisfies RouteSpec;

export const answerRollCall = {
  method: 'POST',
  path: '/v1/me/roll-calls/{id}/answer',
  handler: 'functions/duty/answer-roll-call.ts',
  access: FIELD_STAFF,
  summary: '应答点名 — answer my roll call with my place; inside my area or how far outside, on time or late',
  description: 'Answered already: the first answer again (200). Someone else\'s roll call: 404. Received more than an hour past due without an answer: 409 (closed).',
  tag: 'On duty',
  request: { params: RollCallParams, body: RollCallAnswerRequestBody },
  responses: { 200: { description: 'Answered', schema: RollCallBody }, ...errors(400, 401, 403, 404, 409) },
  needs: { table: 'readWrite', liveTopic: true },
  idempotencyKey: true,
} as const satisfies RouteSpec;
