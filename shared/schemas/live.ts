import * as z from '#shared/validation/zod';
import { LIVE_ID_PATTERN, LIVE_TYPES } from '#shared/domain/live/types';

export const LiveTicketBody = z.lazy(() => z.withMeta(z.object({
  url: z.withMeta(z.string(), { description: 'Open the WebSocket at `url?ticket=…` (wss:// in the cloud; ws://…/live locally)' }),
  ticket: z.string(),
  expiresAt: z.withMeta(z.string(), { description: 'The ticket works once, until then (60 s)' }),
}), { id: 'LiveTicket' }));

export const LiveMessageBody = z.lazy(() => z.withMeta(z.object({
  id: z.withMeta(z.string(), { description: 'Increases in time order and is unique: clients drop repeats by it' }),
  type: z.enum(LIVE_TYPES),
  at: z.string(),
  caseId: z.optional(z.string()),
  caseNumber: z.optional(z.string()),
  departmentId: z.optional(z.string()),
  summary: z.withMeta(z.string(), { description: 'One line in Chinese for the notification' }),
}), { id: 'LiveMessage', description: 'What a socket receives (one JSON text frame per message)' }));

export const MissedQuery = z.strict(z.object({
  since: z.withMeta(z.string().check(z.regex(LIVE_ID_PATTERN, 'A message id')), { description: 'The id of the last message the console received' }),
}));

export const MissedBody = z.lazy(() => z.withMeta(z.object({ items: z.array(LiveMessageBody) }), {
  id: 'LiveMissed',
  description: 'The messages after `since` (and of the 30 s before it: a message made just before `since` may have arrived after it), at most 1 h old, in the caller\'s scope, oldest first; at most 1000',
}));
