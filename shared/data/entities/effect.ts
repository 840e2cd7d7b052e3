import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One side effect of the event processor (an SMS, a timer start, a topic message), by key
 * `{caseId}.{seq}#{effect}`: `pending` while someone holds its lease, `done` once it happened. A
 * redelivered stream record skips a done effect, waits for a live lease and takes over an expired one
 * (the holder crashed). Kept 7 days (longer than the stream's 24 h retention).
 */
export const effectEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'effect', version: '1', service: 'citygrid' },
      attributes: {
        key: { type: 'string', required: true },
        state: { type: ['pending', 'done'] as const, required: true },
        /** Epoch ms until which a `pending` claim belongs to its holder. */
        leaseUntil: { type: 'number', required: true },
        at: { type: 'string', required: true },
        expiresAt: { type: 'number', required: true },
      },
      indexes: { byKey: { pk: { field: 'pk', composite: ['key'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );
