import * as z from 'zod';
import { CASE_STATUSES, CHANNELS } from '#shared/domain/cases/model';
import { ROLES } from '#shared/domain/roles';

/** A `case-events` message as subscribers receive it (validated by the hotline delivery function). */
export const CaseEventMessageSchema = z.object({
  id: z.string().min(1),
  type: z.literal('case.event'),
  caseId: z.string().min(1),
  caseNumber: z.string().optional(),
  channel: z.enum(CHANNELS),
  hotlineTicketId: z.string().optional(),
  seq: z.number().int().positive(),
  action: z.enum(['report', 'file', 'reject', 'dispatch', 'return', 'complete', 'verify', 'rate', 'close', 'rework', 'warn', 'escalate', 'merge', 'field-check', 'field-check-answer']),
  fromStatus: z.enum(CASE_STATUSES).optional(),
  toStatus: z.enum(CASE_STATUSES),
  statusChange: z.boolean(),
  at: z.iso.datetime(),
  actor: z.object({ role: z.enum([...ROLES, 'system']), displayName: z.string() }),
  departmentId: z.string().optional(),
  escalationLevel: z.number().int().optional(),
  note: z.string().optional(),
  mergedInto: z.string().optional(),
  mergedIntoCaseNumber: z.string().optional(),
  followerTicketIds: z.array(z.string()).optional(),
});
