import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '#infra/local/dynamodb';
import { createTableInput, TABLE } from '#shared/data/table';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const message = (id: string) => ({ id, channel: 'sms' as const, destination: '+8613800000007', body: `m ${id}`, createdAt: '2026-11-28T00:00:00.000Z' });

describe('the single table on DynamoDB Local', () => {
  it('writes two items in one transaction and reads them back through their keys', async () => {
    const { outboxMessage } = table.db.entities;
    const result = await table.db.transaction
      .write(({ outboxMessage: m }) => [m.create(message('tx-a')).commit(), m.create(message('tx-b')).commit()])
      .go();
    expect(result.canceled).toBe(false);
    const a = await outboxMessage.get({ id: 'tx-a' }).go();
    const b = await outboxMessage.get({ id: 'tx-b' }).go();
    expect(a.data?.body).toBe('m tx-a');
    expect(b.data?.body).toBe('m tx-b');
  });

  it('writes nothing when one condition of the transaction fails', async () => {
    const { outboxMessage } = table.db.entities;
    await outboxMessage.create(message('tx-exists')).go();
    const result = await table.db.transaction
      .write(({ outboxMessage: m }) => [m.create(message('tx-new')).commit(), m.create(message('tx-exists')).commit()])
      .go();
    expect(result.canceled).toBe(true);
    expect(result.data.map((item) => item.code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect((await outboxMessage.get({ id: 'tx-new' }).go()).data).toBeNull();
  });
});

describe('upgrading a table made by an older version', () => {
  it('adds the indexes the table lacks, so a kept .data/ table gets the new lookups', async () => {
    const endpoint = inject('dynamoEndpoint');
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const tableName = `old-${randomUUID()}`;
    const input = createTableInput(tableName);
    const older = new Set(['gsi1', 'gsi2', 'gsi3']);
    const olderIndexes = input.GlobalSecondaryIndexes.filter((i) => older.has(i.IndexName));
    const olderAttributes = new Set(['pk', 'sk', ...olderIndexes.flatMap((i) => i.KeySchema.map((k) => k.AttributeName))]);
    await client.send(new CreateTableCommand({ ...input, GlobalSecondaryIndexes: olderIndexes, AttributeDefinitions: input.AttributeDefinitions.filter((a) => olderAttributes.has(a.AttributeName)) }));
    try {
      expect(await ensureTable(endpoint, tableName)).toBe(false);
      const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(Object.keys(TABLE.indexes).sort());
      expect(described.Table?.GlobalSecondaryIndexes?.every((i) => i.IndexStatus === 'ACTIVE')).toBe(true);
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    }
  });
});
