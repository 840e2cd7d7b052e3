import { defineModel } from '../model.ts';

/**
 * A message the local platform "sent" instead of SNS (SMS or a topic publication). Only the outbox
 * adapter writes these, and only when `MESSAGE_TRANSPORT=outbox`; `GET /dev/outbox` lists them newest
 * first. Ids sort by time, so one partition queried descending is the whole access pattern.
 */
export const outboxMessageModel = defineModel<{
  id: string;
  channel: 'sms' | 'topic' | 'callback' | 'dead-letter';
  destination: string;
  subject?: string | undefined;
  body: string;
  attributes?: Record<string, unknown> | undefined;
  createdAt: string;
  expiresAt?: number | undefined;
}>()({
  entity: 'outboxMessage',
  indexes: { byTime: { pk: [], sk: ['id'] } },
});
