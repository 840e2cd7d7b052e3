import type { LiveAudience, LiveType } from '#shared/domain/live/messages';
import type { Role } from '#shared/domain/roles';
import { defineModel } from '../model.ts';

/** 实时推送 — a single-use ticket for opening a socket, by its value; gone once used, expired after 60 s (TTL, and checked when taken). */
export const liveTicketModel = defineModel<{ ticket: string; userId: string; sessionId: string; expiresAt: number }>()({
  entity: 'liveTicket',
  indexes: { byTicket: { pk: ['ticket'], sk: [] } },
});

/**
 * An open socket, all in one partition (`$citygrid`, sort key by connection id) like the on-duty roster:
 * the fan-out reads every connection with one Query (hundreds at most). Removed on `$disconnect`, on a
 * gone socket (410) and by the re-check; the TTL (2 h 10 min: API Gateway's 2 h limit) clears the rest.
 */
export const liveConnectionModel = defineModel<{ connectionId: string; userId: string; sessionId: string; roles: Role[]; departmentId?: string | undefined; connectedAt: string; expiresAt: number }>()({
  entity: 'liveConnection',
  indexes: { roster: { pk: [], sk: ['connectionId'] } },
});

/**
 * A live message, by UTC hour (`2026-12-07T23`) and id (time-ordered): `missed` reads one or two hour
 * partitions from an id on. Kept 3 h through the TTL (`missed` reads at most the last hour).
 */
export const liveMessageModel = defineModel<{
  hour: string;
  id: string;
  type: LiveType;
  at: string;
  caseId?: string | undefined;
  caseNumber?: string | undefined;
  departmentId?: string | undefined;
  summary: string;
  audience: LiveAudience;
  expiresAt: number;
}>()({
  entity: 'liveMessage',
  indexes: { byHour: { pk: ['hour'], sk: ['id'] } },
});
