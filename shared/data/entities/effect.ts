import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One side effect of the event processor already done (an SMS, a timer start, a topic message), by key
 * `{caseId}.{seq}#{effect}`. Created conditionally before the effect, so a redelivered stream record
 * finds it and skips; kept 7 days (longer than the stream's 24 h retention).
 */
export const effectEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'effect', version: '1', service: 'citygrid' },
      attributes: {
        key: { type: 'string', required: true },
        at: { type: 'string', required: true },
        expiresAt: { type: 'number', required: true },
      },
      indexes: { byKey: { pk: { field: 'pk', composite: ['key'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );
