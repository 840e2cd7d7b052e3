import { counterDeltas } from '#shared/domain/cases/counters';
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
    createFromTicket(input: { case: Case; event: CaseEvent; counters: CounterDelta[]; ticketId: string; webhookId: string }): Promise<{ created: boolean; caseId: string }>;
  };
  now: () => Date;
  newId: () => string;
}

/**
 * 12345 热线转办 — a hotline ticket becomes a `reported` case.
 * 1. Locate the grid when the ticket has a location.
 * 2. Create case + `report` event (actor: the hotline) + counters + the ticket claim, atomically; a
 *    repeated ticket (or a replayed delivery) returns the first case and writes nothing.
 */
export async function receiveTicket(deps: HotlineDeps, webhookId: string, ticket: HotlineTicket) {
  const location = ticket.location ? toWgs84(ticket.location) : undefined;
  const grid = location ? (await deps.reference.grids()).locate(location.lat, location.lng) : undefined;
  const at = deps.now();
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
    },
    at,
    { id: 'hotline-12345', role: 'system', displayName: '12345政务服务热线' },
    `热线工单 ${ticket.ticketId}（来电 ${ticket.receivedAt}）`,
  );
  return deps.store.createFromTicket({ case: c, event, counters: counterDeltas(c, at, { case: { received: 1 } }), ticketId: ticket.ticketId, webhookId });
}
