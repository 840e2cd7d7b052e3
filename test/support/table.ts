import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTable } from '#infra/local/dynamodb';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';

/** A fresh table, built from THE definition, in the run's DynamoDB Local. Call `drop()` in afterAll. */
export async function createTestTable() {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  return {
    endpoint,
    tableName,
    client,
    db: { client, name: tableName } as Table,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}
