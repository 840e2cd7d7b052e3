import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '#infra/local/dynamodb';
import { createTableInput, TABLE } from '#shared/data/table';
import { createTestTable } from '../support/table.ts';
import { outboxMessageModel } from '#shared/data/entities/outbox-message';
import { get, send, transact, write } from '#shared/data/operations';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const message = (id: string) => ({ id, channel: 'sms' as const, destination: '+8613800000007', body: `m ${id}`, createdAt: '2026-11-28T00:00:00.000Z' });

describe('the single table on DynamoDB Local', () => {
  it('writes two items in one transaction and reads them back through their keys', async () => {
    const db = table.db;
    const result = await transact(db, [
      ['a', write.put(db, outboxMessageModel, message('tx-a'), { create: true })],
      ['b', write.put(db, outboxMessageModel, message('tx-b'), { create: true })],
    ]);
    expect(result.canceled).toBe(false);
    expect((await get(db, outboxMessageModel, { id: 'tx-a' }))?.body).toBe('m tx-a');
    expect((await get(db, outboxMessageModel, { id: 'tx-b' }))?.body).toBe('m tx-b');
  });

  it('writes nothing when one condition of the transaction fails, and names the write that failed', async () => {
    const db = table.db;
    await send(db, write.put(db, outboxMessageModel, message('tx-exists'), { create: true }));
    const result = await transact(db, [
      ['fresh', write.put(db, outboxMessageModel, message('tx-new'), { create: true })],
      ['taken', write.put(db, outboxMessageModel, message('tx-exists'), { create: true })],
    ]);
    expect(result).toEqual({ canceled: true, codes: { fresh: 'None', taken: 'ConditionalCheckFailed' } });
    expect(await get(db, outboxMessageModel, { id: 'tx-new' })).toBeUndefined();
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
