import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A message the local platform "sent" instead of SNS (SMS or a topic publication). Only the outbox
 * adapter writes these, and only when `MESSAGE_TRANSPORT=outbox`; `GET /dev/outbox` lists them newest
 * first. Ids sort by time, so one partition queried descending is the whole access pattern.
 */
export const outboxMessageEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'outboxMessage', version: '1', service: 'citygrid' },
      attributes: {
        id: { type: 'string', required: true },
        channel: { type: ['sms', 'topic', 'callback', 'dead-letter'] as const, required: true },
        destination: { type: 'string', required: true },
        subject: { type: 'string' },
        body: { type: 'string', required: true },
        attributes: { type: 'any' },
        createdAt: { type: 'string', required: true },
        /** Local messages expire after a week so the local table does not grow without bound. */
        expiresAt: { type: 'number' },
      },
      indexes: {
        byTime: {
          pk: { field: 'pk', composite: [] },
          sk: { field: 'sk', composite: ['id'] },
        },
      },
    },
    { client, table },
  );
