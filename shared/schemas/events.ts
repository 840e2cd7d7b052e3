import * as z from '#shared/validation/zod';
import { CASE_STATUSES, CHANNELS } from '#shared/domain/cases/model';
import { ROLES } from '#shared/domain/roles';

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
