import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const service = 'citygrid';

/**
 * A client system's API key (Open311): found by the id embedded in the key (one GetItem); only the
 * SHA-256 of the key's secret is stored.
 */
export const apiKeyEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'apiKey', version: '1', service },
      attributes: {
        keyId: { type: 'string', required: true },
        name: { type: 'string', required: true },
        secretHash: { type: 'string', required: true },
        createdAt: { type: 'string', required: true },
        createdBy: { type: 'string', required: true },
      },
      indexes: { byId: { pk: { field: 'pk', composite: ['keyId'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );
