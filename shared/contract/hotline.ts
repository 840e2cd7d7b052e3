/** The 12345 hotline's signed inbound webhook. */
import { errors, type RouteSpec } from './route-spec.ts';
import { HotlineAccepted, HotlineTicketBody } from '#shared/schemas/cases';

export const receiveHotlineTicket = {
  method: 'POST',
  path: '/v1/hotline/tickets',
  handler: 'functions/hotline/receive-ticket.ts',
  access: 'signed',
  summary: '12345 hotline ticket → reported case (Standard Webhooks signature; repeats return the first caseId)',
  tag: 'Hotline',
  // The body is validated inside, after the signature check on the raw bytes (docs/hotline-integration.md).
  documentedBody: HotlineTicketBody,
  responses: {
    202: { description: 'A new case', schema: HotlineAccepted },
    200: { description: 'This ticket was received before: its case', schema: HotlineAccepted },
    ...errors(400, 401),
  },
  needs: { table: 'readWrite', hotlineSecret: true },
} as const satisfies RouteSpec;
