import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PHOTO_KINDS, PHOTO_TYPES } from '#shared/domain/photos/model';

/** A photo upload: who owns it, what it claims to be, what validation found, which case holds it. */
export const photoEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'photo', version: '1', service: 'citygrid' },
      attributes: {
        photoKey: { type: 'string', required: true },
        ownerId: { type: 'string', required: true },
        kind: { type: PHOTO_KINDS, required: true },
        contentType: { type: PHOTO_TYPES, required: true },
        declaredSize: { type: 'number', required: true },
        status: { type: ['pending', 'ready', 'rejected'] as const, required: true },
        reason: { type: 'string' },
        width: { type: 'number' },
        height: { type: 'number' },
        size: { type: 'number' },
        attachedTo: { type: 'string' },
        createdAt: { type: 'string', required: true },
        /** Unattached photos expire (TTL) a day after upload; attaching removes it. */
        expiresAt: { type: 'number' },
      },
      indexes: { byKey: { pk: { field: 'pk', composite: ['photoKey'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );
