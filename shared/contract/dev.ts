/** Local platform only (never deployed): the outbox and the stand-in 12345 receiver. */
import { errors, type RouteSpec } from './route-spec.ts';
import { OutboxListBody, PageQuery } from '#shared/schemas/common';

export const listOutbox = {
  method: 'GET',
  path: '/dev/outbox',
  handler: 'functions/dev/outbox.ts',
  access: 'local',
  summary: 'SMS and topic messages the local stack "sent" instead of SNS, newest first (local only)',
  tag: 'Local',
  request: { query: PageQuery },
  needs: { table: 'read', cursorKey: true },
  responses: { 200: { description: 'Messages', schema: OutboxListBody }, ...errors(400) },
} as const satisfies RouteSpec;

export const receiveHotlineCallback = {
  method: 'POST',
  path: '/dev/hotline-callbacks',
  handler: 'functions/dev/hotline-callbacks.ts',
  access: 'local',
  summary: 'Plays the 12345 system locally: verifies our signed status callback and keeps it in the outbox (local only)',
  tag: 'Local',
  responses: { 204: { description: 'Verified and kept' }, ...errors(401) },
  needs: { table: 'readWrite' },
} as const satisfies RouteSpec;
