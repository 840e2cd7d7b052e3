import * as z from '#shared/validation/zod';
import { CASE_STATUSES, CHANNELS } from '#shared/domain/cases/model';
import { ROLES } from '#shared/domain/roles';
import { LIVE_ID_PATTERN, LIVE_TYPES } from '#shared/domain/live/types';

/** A `case-events` message as subscribers receive it (validated by the hotline delivery function). */
export const CaseEventMessageSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(1)),
  type: z.literal('case.event'),
  caseId: z.string().check(z.minLength(1)),
  caseNumber: z.optional(z.string()),
  channel: z.enum(CHANNELS),
  hotlineTicketId: z.optional(z.string()),
  seq: z.number().check(z.int(), z.gt(0)),
  action: z.enum(['report', 'file', 'reject', 'dispatch', 'return', 'complete', 'verify', 'rate', 'close', 'rework', 'warn', 'escalate', 'merge', 'field-check', 'field-check-answer']),
  fromStatus: z.optional(z.enum(CASE_STATUSES)),
  toStatus: z.enum(CASE_STATUSES),
  statusChange: z.boolean(),
  at: z.iso.datetime(),
  actor: z.object({ role: z.enum([...ROLES, 'system']), displayName: z.string() }),
  departmentId: z.optional(z.string()),
  escalationLevel: z.optional(z.number().check(z.int())),
  note: z.optional(z.string()),
  mergedInto: z.optional(z.string()),
  mergedIntoCaseNumber: z.optional(z.string()),
  followerTicketIds: z.optional(z.array(z.string())),
}));

/** A route's own live message on `case-events` (`roll-call.answered`, `duty.changed`; shared/domain/live/messages.ts). */
export const LiveEnvelopeSchema = z.lazy(() => z.object({
  type: z.literal('live'),
  message: z.object({
    id: z.string().check(z.regex(LIVE_ID_PATTERN)),
    type: z.enum(LIVE_TYPES),
    at: z.iso.datetime(),
    caseId: z.optional(z.string()),
    caseNumber: z.optional(z.string()),
    departmentId: z.optional(z.string()),
    summary: z.string(),
    audience: z.object({ departmentPath: z.optional(z.array(z.string())), userIds: z.optional(z.array(z.string())) }),
  }),
}));

/** What the live fan-out takes from `case-events`: timeline events and routes' live messages. */
export const LiveTopicMessageSchema = z.lazy(() => z.union([CaseEventMessageSchema, LiveEnvelopeSchema]));
