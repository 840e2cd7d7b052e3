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

/**
 * The local outbox's record of one event-processor effect (its ledger key): written in the same
 * transaction as the message, create-only, so an effect repeated after a crash between sending and
 * being marked done (the ledger's one at-least-once window) is kept once. Kept as long as the message.
 */
export const outboxEffectModel = defineModel<{ effectKey: string; messageId: string; expiresAt?: number | undefined }>()({
  entity: 'outboxEffect',
  indexes: { byKey: { pk: ['effectKey'], sk: [] } },
});
