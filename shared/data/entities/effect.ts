import { defineModel } from '../model.ts';

/**
 * One side effect of the event processor (an SMS, a timer start, a topic message), by key
 * `{caseId}.{seq}#{effect}`: `pending` while someone holds its lease, `done` once it happened. A
 * redelivered stream record skips a done effect, waits for a live lease and takes over an expired one
 * (the holder crashed). Kept 7 days (longer than the stream's 24 h retention).
 */
export const effectModel = defineModel<{ key: string; state: 'pending' | 'done'; leaseUntil: number; owner?: string | undefined; at: string; expiresAt: number }>()({
  entity: 'effect',
  indexes: { byKey: { pk: ['key'], sk: [] } },
});
