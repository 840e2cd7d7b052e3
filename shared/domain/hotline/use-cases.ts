import { createHash } from 'node:crypto';
import { counterDeltas } from '#shared/domain/cases/counters';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import { newReportedCase, type Case, type CaseEvent } from '#shared/domain/cases/model';
import type { CounterDelta } from '#shared/domain/cases/ports';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import { toWgs84, type InputLocation } from '#shared/domain/geo/coordinates';

export interface HotlineTicket {
  ticketId: string;
  callerPhone: string;
  description: string;
  address?: string | undefined;
  location?: InputLocation | undefined;
  receivedAt: string;
}

export interface HotlineDeps {
  reference: { grids(): Promise<GridIndex> };
  store: {
    /** Creates the case with its ticket claim in one transaction; if the ticket was seen, the earlier case id. */
    createFromTicket(input: { case: Case; event: CaseEvent; counters: CounterDelta[]; ticketId: string; webhookId: string; bodyHash: string }): Promise<{ created: boolean; caseId: string; bodyHash?: string | undefined }>;
  };
  now: () => Date;
  newId: () => string;
}

/** How far back a ticket's `receivedAt` may lie (a replayed backlog still fits) and how far ahead (clock skew). */
export const RECEIVED_AT_WINDOW = { pastMs: 30 * 24 * 3600_000, futureMs: 5 * 60_000 };

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** A value with every object's keys sorted, nested ones included (the same ticket hashes the same). */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
      : value;

/** The hash of a ticket's whole body, stored with its claim. */
const hashTicket = (ticket: HotlineTicket) => sha256(JSON.stringify(canonical(ticket)));

/**
 * The hash tickets were stored with until 2026-12: `JSON.stringify` with the sorted top-level keys as
 * its key list, which also drops nested keys (`location` hashed as `{}`). A repeat of such a ticket is
 * compared with it too, so that its honest replays stay 200.
 */
const legacyHashTicket = (ticket: HotlineTicket) => sha256(JSON.stringify(ticket, Object.keys(ticket).sort()));

/**
 * 12345 热线转办 — a hotline ticket becomes a `reported` case.
 * 1. `receivedAt` within 30 days back and 5 minutes ahead (else 400).
 * 2. Locate the grid when the ticket has a location.
 * 3. Create case + `report` event (actor: the hotline) + counters + the ticket claim, atomically; a
 *    repeated ticket (or a replayed delivery) with the same body returns the first case and writes
 *    nothing; the same ticketId with another body is 409.
 */
export async function receiveTicket(deps: HotlineDeps, webhookId: string, ticket: HotlineTicket) {
  const at = deps.now();
  const received = Date.parse(ticket.receivedAt);
  if (!(received >= at.getTime() - RECEIVED_AT_WINDOW.pastMs && received <= at.getTime() + RECEIVED_AT_WINDOW.futureMs)) {
    throw new ValidationError('The request is not valid', [{ path: 'receivedAt', message: 'Must lie within the last 30 days (at most 5 minutes ahead)' }]);
  }
  const bodyHash = hashTicket(ticket);
  const location = ticket.location ? toWgs84(ticket.location) : undefined;
  const grid = location ? (await deps.reference.grids()).locate(location.lat, location.lng) : undefined;
  const { case: c, event } = newReportedCase(
    {
      id: deps.newId(),
      channel: 'hotline',
      description: ticket.description,
      location,
      address: ticket.address,
      gridId: grid?.id,
      gridName: grid?.name,
      district: grid?.district,
      callerPhone: ticket.callerPhone,
      hotlineTicketId: ticket.ticketId,
      receivedAt: new Date(received).toISOString(),
    },
    at,
    { id: 'hotline-12345', role: 'system', displayName: '12345政务服务热线' },
    `热线工单 ${ticket.ticketId}（来电 ${beijingTime(received)}）`,
  );
  const result = await deps.store.createFromTicket({ case: c, event, counters: counterDeltas(c, at, { case: { received: 1 } }), ticketId: ticket.ticketId, webhookId, bodyHash });
  // Tickets stored before bodies were hashed have no hash: those repeats stay 200.
  if (!result.created && result.bodyHash !== undefined && result.bodyHash !== bodyHash && result.bodyHash !== legacyHashTicket(ticket)) {
    throw new ConflictError('This ticketId was already received with a different body');
  }
  return { created: result.created, caseId: result.caseId };
}

const BEIJING_TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
/** A call's time as the console shows every time: 2026/05/12 11:44 in Beijing time, whatever offset the hotline sent. */
const beijingTime = (ms: number) => BEIJING_TIME.format(new Date(ms));
