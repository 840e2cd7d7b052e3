/**
 * 实时推送 — the command center's live channel: a single-use ticket opens the WebSocket (API Gateway's in
 * the cloud, the local gateway's `/live` locally); a console that was away catches up with `missed`.
 */
import { errors, type RouteSpec } from './route-spec.ts';
import { LiveTicketBody, MissedBody, MissedQuery } from '#shared/schemas/live';
import { LIVE_ROLES } from '#shared/domain/live/scope';

export const createLiveTicket = {
  method: 'POST',
  path: '/v1/live/tickets',
  handler: 'functions/live/create-ticket.ts',
  access: LIVE_ROLES,
  summary: '实时推送 — a single-use ticket (60 s) for opening the live WebSocket',
  description: 'Browsers cannot set headers on a WebSocket: open `url?ticket=…` within 60 s. A ticket works once; the socket belongs to the caller\'s session and is closed (code 4401) when the session ends, the account is disabled or its roles change.',
  tag: 'Live',
  responses: { 201: { description: 'The ticket', schema: LiveTicketBody }, ...errors(401, 403) },
  needs: { table: 'readWrite' },
} as const satisfies RouteSpec;

export const listMissedLive = {
  method: 'GET',
  path: '/v1/live/missed',
  handler: 'functions/live/list-missed.ts',
  access: LIVE_ROLES,
  summary: '实时推送 — the messages after `since` (at most 1 h old, in the caller\'s scope) after a reconnect',
  tag: 'Live',
  request: { query: MissedQuery },
  responses: { 200: { description: 'Missed messages', schema: MissedBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;
